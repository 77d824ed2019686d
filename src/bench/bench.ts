import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Scenario, ScriptedAgent } from '../agents/scripted.js';
import { Config } from '../config/schema.js';
import { DEMO_TASK, demoScenario, SAMPLE_REPO } from '../demo/sample.js';
import { createGate } from '../gate/index.js';
import type { EnginePorts } from '../protocol/context.js';
import { createRunState, executeRun } from '../protocol/engine.js';
import type { RunState } from '../protocol/types.js';
import { searchRuns } from '../record/query.js';
import { RunStore } from '../record/store.js';
import { createWorkspace } from '../workspace/index.js';
import { prng, syntheticRun } from './synthetic.js';

/**
 * `npm run bench`: the speed figures, measured — never asserted in tests (these machines are noisy, so each goal is
 * a ratio taken within one run, or an absolute time reported as met or missed). `--json` prints them as JSON.
 * BENCH_RUNS sets the repetitions (median kept); BENCH_ONLY=P3,baseline,run,P5 picks groups; BENCH_RECORDS the
 * number of runs P5 generates (10,000).
 */
interface Figure {
  id: string;
  what: string;
  value: number;
  unit: 'ratio' | 'ms';
  goal?: string;
  met?: boolean;
  detail: string;
}

function sampleRepo(): string {
  const repo = join(mkdtempSync(join(tmpdir(), 'duo-bench-')), 'repo');
  for (const [p, c] of Object.entries(SAMPLE_REPO)) {
    mkdirSync(dirname(join(repo, p)), { recursive: true });
    writeFileSync(join(repo, p), c);
  }
  const git = (...a: string[]) => execFileSync('git', a, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=b', '-c', 'user.email=b@localhost', 'commit', '-qm', 'init');
  return repo;
}

/** The demo's scripted pair, every agent call taking `latencyMs` (a fixed stand-in for a model's time). */
function scenario(latencyMs: number): Scenario {
  const s = Scenario.parse(demoScenario());
  for (const purposes of Object.values(s.agents))
    for (const entries of Object.values(purposes)) for (const e of entries) e.delayMs = latencyMs;
  return s;
}

function ports(repo: string, s: Scenario, config: Record<string, unknown> = {}): EnginePorts {
  const agents = new Map<string, ScriptedAgent>();
  return {
    agent: (name) => {
      const a = agents.get(name) ?? new ScriptedAgent(name, s);
      agents.set(name, a);
      return a;
    },
    workspace: createWorkspace(repo),
    gate: createGate(),
    store: new RunStore(repo),
    config: Config.parse({ limits: { retryBaseMs: 1 }, ...config }),
  };
}

async function demoRun(
  latencyMs: number,
  config: Record<string, unknown> = {},
  verify: string[] = [],
): Promise<{ ms: number; state: RunState; repo: string }> {
  const repo = sampleRepo();
  const p = ports(repo, scenario(latencyMs), config);
  const state = createRunState(
    p,
    { task: DEMO_TASK, mode: 'pair', options: { verify, includeUncommitted: false, apply: false } },
    repo,
  );
  p.store.save(state);
  const t0 = performance.now();
  const done = await executeRun(p, state);
  const ms = performance.now() - t0;
  if (done.status !== 'green') throw new Error(`bench run ended ${done.status}`);
  return { ms, state: done, repo };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** The baseline runs beside the plan phase: a run with it should take no longer than one without. */
async function baselineCost(n: number): Promise<Figure[]> {
  // A suite that takes a second, and agents that take 400 ms a call: the plan phase is longer than the baseline.
  const verify = ['sleep 1 && npm test'];
  const withIt: number[] = [];
  const without: number[] = [];
  let baselineMs = 0;
  for (let i = 0; i < n; i++) {
    const a = await demoRun(400, {}, verify);
    withIt.push(a.ms);
    baselineMs = a.state.baseline?.durationMs ?? 0;
    without.push((await demoRun(400, { baseline: false }, verify)).ms);
  }
  const ratio = median(withIt) / median(without);
  return [
    {
      id: 'baseline',
      what: 'run wall time with the baseline ÷ without it (scripted agents, 400 ms a call; a 1 s suite)',
      value: ratio,
      unit: 'ratio',
      goal: '≤ 1.05',
      met: ratio <= 1.05,
      detail: `with ${median(withIt).toFixed(0)} ms, without ${median(without).toFixed(0)} ms; the baseline itself took ${baselineMs.toFixed(0)} ms beside the plan phase`,
    },
  ];
}

/** P3: three verify commands at once take as long as the slowest. */
async function parallelGate(n: number): Promise<Figure[]> {
  const gate = createGate();
  const cwd = mkdtempSync(join(tmpdir(), 'duo-bench-gate-'));
  const jobs = [0.3, 0.6, 0.9].map((s) => ({ command: `sleep ${s}`, kind: 'other' as const, source: 'bench' }));
  const ratios: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const out = await gate.run(jobs, {
      cwd,
      logDir: join(cwd, 'logs'),
      label: `p3-${i}`,
      timeoutMs: 60_000,
      parallel: true,
    });
    const wall = performance.now() - t0;
    const slowest = Math.max(...out.results.map((r) => r.durationMs));
    ratios.push(wall / slowest);
    last = `wall ${wall.toFixed(0)} ms, slowest command ${slowest.toFixed(0)} ms`;
  }
  const ratio = median(ratios);
  return [
    {
      id: 'P3',
      what: 'verify gate: wall time ÷ the slowest of three commands run in parallel',
      value: ratio,
      unit: 'ratio',
      goal: '≤ 1.10',
      met: ratio <= 1.1,
      detail: last,
    },
  ];
}

/** duo's own work on a run with instant agents, and a resume that replays every step from the journal. */
async function overhead(n: number): Promise<Figure[]> {
  const runs: number[] = [];
  const replays: number[] = [];
  for (let i = 0; i < n; i++) {
    const { ms, state, repo } = await demoRun(0);
    runs.push(ms);
    const p = ports(repo, scenario(0));
    const again = p.store.load(state.runId);
    again.status = 'interrupted';
    const t1 = performance.now();
    await executeRun(p, again);
    replays.push(performance.now() - t1);
  }
  return [
    {
      id: 'run',
      what: 'a whole demo run with instant agents (git, checkpoints, baseline and gate, report)',
      value: median(runs),
      unit: 'ms',
      detail: `min ${Math.min(...runs).toFixed(0)} ms, max ${Math.max(...runs).toFixed(0)} ms (n=${n})`,
    },
    {
      id: 'replay',
      what: 'resume of a finished run: every step replays from the journal',
      value: median(replays),
      unit: 'ms',
      detail: `min ${Math.min(...replays).toFixed(0)} ms, max ${Math.max(...replays).toFixed(0)} ms (n=${n})`,
    },
  ];
}

/**
 * P5: `duo log` and a search over 10,000 recorded runs, answered from the run index. Measured in-process (the
 * query) and as a user runs it (a whole `duo log` process, Node's start-up and module loading included), beside
 * the index's one-off rebuild from the records and what listing used to cost (loading every record).
 */
async function recordAt10k(n: number, runs = Number(process.env.BENCH_RECORDS ?? 10_000)): Promise<Figure[]> {
  const repo = sampleRepo();
  const rand = prng(7);
  const runsDir = join(repo, '.duo', 'runs');
  for (let i = 0; i < runs; i++) {
    // Written as an older duo (or a restored backup) would leave them: records only, no index yet.
    const run = syntheticRun({ index: i, repoRoot: repo, rand });
    mkdirSync(join(runsDir, run.runId), { recursive: true });
    writeFileSync(join(runsDir, run.runId, 'state.json'), `${JSON.stringify(run, null, 2)}\n`);
  }
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
  const searchMs: number[] = [];
  const specificMs: number[] = [];
  let hits = 0;
  for (let i = 0; i < n; i++) {
    logMs.push(await time(() => searchRuns({ repoRoot: repo }, '', { limit: 20 })));
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
  // The log command alone in a process: what `duo log` costs once main loads each command only when it runs.
  const lean = (search: string) =>
    proc([
      '--input-type=module',
      '-e',
      `const { logCommand } = await import(${JSON.stringify(join(cliDir, 'commands', 'log.js'))}); ` +
        `process.exitCode = await logCommand(${JSON.stringify(search ? { search } : {})});`,
    ]);
  const nodeStart = await repeat(() => proc(['-e', '0']));
  const cliLog = await repeat(() => proc([join(cliDir, 'duo.js'), 'log']));
  const cliSearch = await repeat(() => proc([join(cliDir, 'duo.js'), 'log', '--search', query]));
  const leanLog = await repeat(() => lean(''));
  const leanSearch = await repeat(() => lean(query));
  const leanSpecific = await repeat(() => lean(specific));
  rmSync(dirname(repo), { recursive: true, force: true });
  const goal = 300;
  return [
    {
      id: 'P5-log',
      what: `duo log over ${runs} runs: the newest 20 from the run index (in-process query)`,
      value: median(logMs),
      unit: 'ms',
      goal: `≤ ${goal} ms`,
      met: median(logMs) <= goal,
      detail: `stats every record's revision, reads the index; listing by loading every record took ${listAll.toFixed(0)} ms`,
    },
    {
      id: 'P5-search',
      what: `duo log --search "${query}" over ${runs} runs (in-process query)`,
      value: median(searchMs),
      unit: 'ms',
      goal: `≤ ${goal} ms`,
      met: median(searchMs) <= goal,
      detail: `${hits} matching runs; every word checked on the raw index line before any is parsed`,
    },
    {
      id: 'P5-search-one',
      what: `duo log --search "${specific}" over ${runs} runs: one run matches (in-process query)`,
      value: median(specificMs),
      unit: 'ms',
      goal: `≤ ${goal} ms`,
      met: median(specificMs) <= goal,
      detail: 'the same index read; only the matching line is parsed',
    },
    {
      id: 'P5-log-cmd',
      what: `the log command alone in a process over ${runs} runs (Node start-up, its modules, git, the query, printing)`,
      value: leanLog,
      unit: 'ms',
      goal: `≤ ${goal} ms`,
      met: leanLog <= goal,
      detail: `a bare \`node -e 0\` takes ${nodeStart.toFixed(0)} ms here`,
    },
    {
      id: 'P5-search-cmd',
      what: `the log command with --search "${query}" alone in a process over ${runs} runs`,
      value: leanSearch,
      unit: 'ms',
      goal: `≤ ${goal} ms`,
      met: leanSearch <= goal,
      detail: `a bare \`node -e 0\` takes ${nodeStart.toFixed(0)} ms here`,
    },
    {
      id: 'P5-search-one-cmd',
      what: `the log command with --search "${specific}" alone in a process over ${runs} runs`,
      value: leanSpecific,
      unit: 'ms',
      goal: `≤ ${goal} ms`,
      met: leanSpecific <= goal,
      detail: `a bare \`node -e 0\` takes ${nodeStart.toFixed(0)} ms here`,
    },
    {
      id: 'P5-log-cli',
      what: `\`duo log\` through dist/cli/duo.js over ${runs} runs`,
      value: cliLog,
      unit: 'ms',
      detail: `${(cliLog - leanLog).toFixed(0)} ms more than the command alone: main.ts still imports every command up front`,
    },
    {
      id: 'P5-search-cli',
      what: `\`duo log --search "${query}"\` through dist/cli/duo.js over ${runs} runs`,
      value: cliSearch,
      unit: 'ms',
      detail: `${(cliSearch - leanSearch).toFixed(0)} ms more than the command alone`,
    },
    {
      id: 'P5-rebuild',
      what: `the index rebuilt from ${runs} records (once: a missing index, or records from before it)`,
      value: rebuild,
      unit: 'ms',
      detail: 'loads and validates every record, then appends its lines',
    },
  ];
}

function table(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const value = f.unit === 'ratio' ? `${f.value.toFixed(3)}×` : `${f.value.toFixed(0)} ms`;
    const goal = f.goal ? `${f.goal} ${f.met ? 'met' : 'MISSED'}` : '';
    return `| ${f.id} | ${f.what} | ${value} | ${goal} | ${f.detail} |`;
  });
  return ['| id | what | value | goal | detail |', '|---|---|---|---|---|', ...rows].join('\n');
}

async function main(): Promise<void> {
  process.env.DUO_HOME ??= mkdtempSync(join(tmpdir(), 'duo-bench-home-'));
  const n = Number(process.env.BENCH_RUNS ?? 3);
  const only = process.env.BENCH_ONLY?.split(',');
  const want = (id: string) => !only || only.includes(id);
  const figures = [
    ...(want('P3') ? await parallelGate(n) : []),
    ...(want('baseline') ? await baselineCost(n) : []),
    ...(want('run') ? await overhead(n) : []),
    ...(want('P5') ? await recordAt10k(n) : []),
  ];
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(figures, null, 2)}\n`);
  else process.stdout.write(`duo bench (median of ${n} runs each)\n\n${table(figures)}\n`);
}

await main();
