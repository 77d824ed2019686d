/**
 * `npm run bench`: the speed figures, measured — never asserted in tests (these machines are noisy, so each goal is
 * a ratio taken within one run, or an absolute time reported as met or missed). `--json` prints them as JSON.
 * BENCH_RUNS sets the repetitions (median kept); BENCH_RECORDS the number of runs P5 generates (10,000).
 * Each file measures one thing: orchestration.ts (P1, P2, the panel), gate.ts (P3, the baseline, the gate's
 * checkouts and write check), overhead.ts (a run, a replay, P4), wire.ts (P6), record.ts (P5), integrations.ts
 * and html.ts.
 */

import { mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultDuoHome } from '../sys/home.js';
import { demoRun } from './demo-run.js';
import type { Figure } from './figure.js';
import { baselineCost, dependencyWriteCheck, parallelGate } from './gate.js';
import { htmlFigures } from './html.js';
import { integrationFigures } from './integrations.js';
import { fanOut, orchestration, panelReview } from './orchestration.js';
import { overhead, startup } from './overhead.js';
import { recordAt10k } from './record.js';
import { wireBytes } from './wire.js';

function table(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const value = f.unit === 'ratio' ? `${f.value.toFixed(3)}×` : `${f.value.toFixed(0)} ms`;
    const target = f.goal ? `${f.goal} ${f.met ? 'met' : 'MISSED'}` : '';
    return `| ${f.id} | ${f.what} | ${value} | ${target} | ${f.detail} |`;
  });
  return ['| id | what | value | goal | detail |', '|---|---|---|---|---|', ...rows].join('\n');
}

/** Each measurement, by the ids of the figures it prints; `--only P1,P6` runs a subset. */
const MEASUREMENTS: [string[], (n: number) => Promise<Figure[]>][] = [
  [['P1', 'P1-pristine'], orchestration],
  [['dep-write'], dependencyWriteCheck],
  [['P2'], fanOut],
  [['P3'], parallelGate],
  [['baseline'], baselineCost],
  [['run', 'replay'], overhead],
  [['P4'], startup],
  [['P6', 'P6-memory'], wireBytes],
  [['panel'], panelReview],
  [['detach', 'status', 'mcp-wait', 'gate-clean'], integrationFigures],
  [['P5', 'P5-log', 'P5-log-status', 'P5-search', 'P5-search-all', 'P5-search-one', 'P5-rebuild'], recordAt10k],
  [['html', 'html-run', 'html-record'], (n) => htmlFigures(n, async () => (await demoRun(0)).state)],
];

async function main(): Promise<void> {
  defaultDuoHome(() => mkdtempSync(join(tmpdir(), 'duo-bench-home-')));
  const n = Number(process.env.BENCH_RUNS ?? 3);
  const onlyAt = process.argv.indexOf('--only');
  const only = onlyAt > 0 ? (process.argv[onlyAt + 1] ?? '').split(',') : null;
  const figures: Figure[] = [];
  for (const [ids, measure] of MEASUREMENTS) {
    if (only && !ids.some((id) => only.includes(id))) continue;
    figures.push(...(await measure(n)));
  }
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else {
    // Absolute times depend on what else the machine is doing: say how busy it was.
    const load = loadavg().map((l) => l.toFixed(1));
    const head = `duo bench (median of ${n} runs each; load average ${load.join(', ')} on ${availableParallelism()} cores)`;
    process.stdout.write(`${head}\n\n${table(figures)}\n`);
  }
}

await main();
