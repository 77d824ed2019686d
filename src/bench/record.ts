/**
 * P5: `duo log`, its filters and searches over 10,000 recorded runs, answered from the run index — in-process (the
 * query) and as a user runs it (a whole `duo log` process: Node's start-up, duo's modules, the query, printing) —
 * and what each figure is spent on: the query's phases (record/spent.ts) and, for a process, the time before and
 * after them (spent-probe.ts). Beside them, the index's one-off rebuild and what listing by the records costs.
 */

import { execFileSync } from 'node:child_process';
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { type RunFilters, searchRuns } from '../record/query.js';
import { SPENT_CHANNEL, type Spent } from '../record/spent.js';
import { RunStore } from '../record/store.js';
import { sampleRepo } from './demo-run.js';
import { type Figure, goal, median } from './figure.js';
import type { ProbeReport } from './spent-probe.js';
import { writeSyntheticRecords } from './synthetic.js';

const LIMIT_MS = 300;
const RECORDS = Number(process.env.BENCH_RECORDS ?? 10_000);

interface Query {
  id: string;
  /** As the user types it, and what is special about it. */
  command: string;
  note: string;
  search: string;
  filters: RunFilters;
  args: string[];
}

function queries(): Query[] {
  // Two common words most runs hold; a word every run holds (each task names its ticket); one run's ticket.
  const common = 'rounding refund';
  const one = `SHOP-${Math.floor(RECORDS / 3)}`;
  const page = { limit: 20 };
  const q = (id: string, args: string[], note: string, search: string, filters: RunFilters = page): Query => ({
    id,
    command: ['duo log', ...args.map((a) => (a.includes(' ') ? `"${a}"` : a))].join(' '),
    note,
    search,
    filters,
    args,
  });
  return [
    q('P5-log', [], ': the newest 20', ''),
    q('P5-log-status', ['--status', 'red'], '', '', { ...page, status: ['red'] }),
    q('P5-search', ['--search', common], '', common),
    q('P5-search-all', ['--search', 'ticket'], ': every run matches', 'ticket'),
    q('P5-search-one', ['--search', one], ': one run matches', one),
  ];
}

/** Per phase, the median of its time over the repetitions (a phase missing from one counts 0 there). */
function medianPhases(reps: Spent[][]): Map<string, number> {
  const names = [...new Set(reps.flatMap((r) => r.map((p) => p.phase)))];
  return new Map(
    names.map((name) => [
      name,
      median(reps.map((r) => r.filter((p) => p.phase === name).reduce((sum, p) => sum + p.ms, 0))),
    ]),
  );
}

const spentText = (parts: [string, number][]) => parts.map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(' · ');

/** The query in this process, n times: its time, its phases, and the collector's pauses during it. */
async function inProcess(repo: string, q: Query, n: number) {
  const times: number[] = [];
  const phases: Spent[][] = [];
  const gcs: number[] = [];
  let total = 0;
  const gc = new PerformanceObserver(() => {});
  gc.observe({ entryTypes: ['gc'] });
  for (let i = 0; i < n; i++) {
    const seen: Spent[] = [];
    const listen = (m: unknown) => seen.push(m as Spent);
    subscribe(SPENT_CHANNEL, listen);
    const t0 = performance.now();
    total = (await searchRuns({ repoRoot: repo }, q.search, q.filters)).total;
    const t1 = performance.now();
    times.push(t1 - t0);
    unsubscribe(SPENT_CHANNEL, listen);
    phases.push(seen);
    // The collector's entries reach the observer on the next turn of the event loop.
    await new Promise((r) => setImmediate(r));
    const during = gc.takeRecords().filter((e) => e.startTime >= t0 && e.startTime < t1);
    gcs.push(during.reduce((sum, e) => sum + e.duration, 0));
  }
  gc.disconnect();
  return { ms: median(times), phases: medianPhases(phases), gcMs: median(gcs), total };
}

/**
 * `duo log …` as a process, n times for its wall time, then n times more with the probe loaded to see where that
 * time goes: Node's start-up, duo's modules (and finding the repository), each phase of the query, printing and
 * exiting, and spawning and reaping the process.
 */
function asProcess(repo: string, args: string[], n: number) {
  const duo = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'duo.js');
  const probe = join(dirname(fileURLToPath(import.meta.url)), 'spent-probe.js');
  const out = join(mkdtempSync(join(tmpdir(), 'duo-bench-spent-')), 'spent.jsonl');
  const env = { ...process.env, NO_COLOR: '1', DUO_BENCH_SPENT: out };
  const run = (nodeArgs: string[]) => {
    const t0 = performance.now();
    execFileSync(process.execPath, nodeArgs, { cwd: repo, stdio: 'pipe', env });
    return performance.now() - t0;
  };
  const walls: number[] = [];
  for (let i = 0; i < n; i++) walls.push(run([duo, 'log', ...args]));
  const probedWalls: number[] = [];
  for (let i = 0; i < n; i++) probedWalls.push(run(['--import', probe, duo, 'log', ...args]));
  const reports = readFileSync(out, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as ProbeReport);
  rmSync(dirname(out), { recursive: true, force: true });
  const phases = medianPhases(reports.map((r) => r.phases));
  const firstStart = (r: ProbeReport) => Math.min(...r.phases.map((p) => p.end - p.ms), r.exited);
  const lastEnd = (r: ProbeReport) => Math.max(...r.phases.map((p) => p.end), firstStart(r));
  const parts: [string, number][] = [
    ['Node start-up', median(reports.map((r) => r.started))],
    ["duo's modules, arguments and repository", median(reports.map((r) => firstStart(r) - r.started))],
    ...phases,
    ['printing and exit', median(reports.map((r) => r.exited - lastEnd(r)))],
    ['spawn and reap', median(reports.map((r, i) => (probedWalls[i] as number) - r.exited))],
  ];
  return {
    ms: median(walls),
    parts,
    gcMs: median(reports.map((r) => r.gcMs)),
    cpuMs: median(reports.map((r) => r.cpuMs)),
  };
}

export async function recordAt10k(n: number): Promise<Figure[]> {
  const runs = RECORDS;
  const repo = sampleRepo();
  writeSyntheticRecords(repo, runs);
  const time = async (f: () => unknown) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const rebuild = await time(() => new RunStore(repo).index.rows());
  const listAll = await time(() => new RunStore(repo).list());
  const within = (id: string, what: string, value: number, detail: string): Figure => ({
    id,
    what,
    value,
    unit: 'ms',
    ...goal(value, '≤', LIMIT_MS, ' ms'),
    detail,
  });
  const figures: Figure[] = [];
  for (const q of queries()) {
    const r = await inProcess(repo, q, n);
    const matched =
      q.id === 'P5-log'
        ? `${r.total} runs`
        : `${r.total} run${r.total === 1 ? '' : 's'} match${r.total === 1 ? 'es' : ''}`;
    figures.push(
      within(
        q.id,
        `${q.command} over ${runs} runs${q.note} (in-process query)`,
        r.ms,
        `${matched}; ms spent: ${spentText([...r.phases])} (garbage collection ${r.gcMs.toFixed(0)} of it)`,
      ),
    );
  }
  const nodeAlone = median(
    Array.from({ length: n }, () => {
      const t0 = performance.now();
      execFileSync(process.execPath, ['-e', '0'], { stdio: 'pipe' });
      return performance.now() - t0;
    }),
  );
  for (const q of queries()) {
    const load = loadavg()[0] as number;
    const p = asProcess(repo, q.args, n);
    figures.push(
      within(
        `${q.id}-cli`,
        `\`${q.command}\` over ${runs} runs${q.note}, as a process`,
        p.ms,
        `ms spent, with the probe: ${spentText(p.parts)} (garbage collection ${p.gcMs.toFixed(0)} of it); ` +
          `CPU time ${p.cpuMs.toFixed(0)} ms; a bare \`node -e 0\` takes ${nodeAlone.toFixed(0)} ms; ` +
          `load average ${load.toFixed(1)}`,
      ),
    );
  }
  rmSync(dirname(repo), { recursive: true, force: true });
  figures.push({
    id: 'P5-rebuild',
    what: `the index rebuilt from ${runs} records (once: a missing index, or records from before it)`,
    value: rebuild,
    unit: 'ms',
    detail: `loads and validates every record, then appends its lines; listing by loading every record takes ${listAll.toFixed(0)} ms`,
  });
  return figures;
}
