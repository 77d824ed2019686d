/**
 * P5: `duo log` and its searches over 10,000 recorded runs, answered from the run index — in-process and as a user
 * runs it, a whole process.
 */

import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { searchRuns } from '../record/query.js';
import { RunStore } from '../record/store.js';
import { sampleRepo } from './demo-run.js';
import { type Figure, goal, median } from './figure.js';
import { writeSyntheticRecords } from './synthetic.js';

/**
 * P5: `duo log` and a search over 10,000 recorded runs, answered from the run index. Measured in-process (the
 * query) and as a user runs it (a whole `duo log` process, Node's start-up and module loading included), beside
 * the index's one-off rebuild from the records and what listing used to cost (loading every record).
 */
export async function recordAt10k(n: number, runs = Number(process.env.BENCH_RECORDS ?? 10_000)): Promise<Figure[]> {
  const repo = sampleRepo();
  writeSyntheticRecords(repo, runs);
  const time = async (f: () => unknown) => {
    const t0 = performance.now();
    await f();
    return performance.now() - t0;
  };
  const rebuild = await time(() => new RunStore(repo).index.rows());
  const listAll = await time(() => new RunStore(repo).list());
  // A search most runs match (two common words), and one that finds a single run (a ticket number in its task).
  const query = 'rounding refund';
  const specific = `SHOP-${Math.floor(runs / 3)}`;
  const logMs: number[] = [];
  const redMs: number[] = [];
  const searchMs: number[] = [];
  const specificMs: number[] = [];
  let hits = 0;
  let red = 0;
  for (let i = 0; i < n; i++) {
    logMs.push(await time(() => searchRuns({ repoRoot: repo }, '', { limit: 20 })));
    redMs.push(
      await time(async () => (red = (await searchRuns({ repoRoot: repo }, '', { limit: 20, status: ['red'] })).total)),
    );
    searchMs.push(await time(async () => (hits = (await searchRuns({ repoRoot: repo }, query, { limit: 20 })).total)));
    specificMs.push(await time(() => searchRuns({ repoRoot: repo }, specific, { limit: 20 })));
  }
  const cliDir = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'cli');
  const env = { ...process.env, NO_COLOR: '1' };
  const proc = (args: string[]) => time(() => execFileSync('node', args, { cwd: repo, stdio: 'pipe', env }));
  const repeat = async (f: () => Promise<number>) => {
    const xs: number[] = [];
    for (let i = 0; i < n; i++) xs.push(await f());
    return median(xs);
  };
  const nodeStart = await repeat(() => proc(['-e', '0']));
  const cliLog = await repeat(() => proc([join(cliDir, 'duo.js'), 'log']));
  const cliRed = await repeat(() => proc([join(cliDir, 'duo.js'), 'log', '--status', 'red']));
  const cliSearch = await repeat(() => proc([join(cliDir, 'duo.js'), 'log', '--search', query]));
  const cliSpecific = await repeat(() => proc([join(cliDir, 'duo.js'), 'log', '--search', specific]));
  rmSync(dirname(repo), { recursive: true, force: true });
  const limit = 300;
  const within = (id: string, what: string, value: number, detail: string): Figure => ({
    id,
    what,
    value,
    unit: 'ms',
    ...goal(value, '≤', limit, ' ms'),
    detail,
  });
  const nodeNote = `a bare \`node -e 0\` takes ${nodeStart.toFixed(0)} ms here`;
  return [
    within(
      'P5-log',
      `duo log over ${runs} runs: the newest 20 from the run index (in-process query)`,
      median(logMs),
      `only the page shown is checked against its records; listing by loading every record took ${listAll.toFixed(0)} ms`,
    ),
    within(
      'P5-log-status',
      `duo log --status red over ${runs} runs (in-process query)`,
      median(redMs),
      `${red} red runs; a filter checks every record's revision against the index`,
    ),
    within(
      'P5-search',
      `duo log --search "${query}" over ${runs} runs (in-process query)`,
      median(searchMs),
      `${hits} matching runs; each word found once in the whole search file, only the page shown is parsed`,
    ),
    within(
      'P5-search-one',
      `duo log --search "${specific}" over ${runs} runs: one run matches (in-process query)`,
      median(specificMs),
      'the same index read; only the matching line is parsed',
    ),
    within(
      'P5-log-cli',
      `\`duo log\` over ${runs} runs, as a process (Node start-up, git, the index, printing the newest 20)`,
      cliLog,
      nodeNote,
    ),
    within('P5-log-status-cli', `\`duo log --status red\` over ${runs} runs, as a process`, cliRed, nodeNote),
    within('P5-search-cli', `\`duo log --search "${query}"\` over ${runs} runs, as a process`, cliSearch, nodeNote),
    within(
      'P5-search-one-cli',
      `\`duo log --search "${specific}"\` over ${runs} runs, as a process`,
      cliSpecific,
      nodeNote,
    ),
    {
      id: 'P5-rebuild',
      what: `the index rebuilt from ${runs} records (once: a missing index, or records from before it)`,
      value: rebuild,
      unit: 'ms',
      detail: 'loads and validates every record, then appends its lines',
    },
  ];
}
