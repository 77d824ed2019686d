/**
 * `npm run bench`: the speed figures, measured — never asserted in tests (these machines are noisy, so each goal is
 * a ratio taken within one run, or an absolute time reported as met or missed). `--json` prints them as JSON.
 * BENCH_RUNS sets the repetitions (median kept); BENCH_RECORDS the number of runs P5 generates (10,000).
 */

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import type { Agent } from '../agents/port.js';
import { Scenario, ScriptedAgent } from '../agents/scripted.js';
import { Config } from '../config/schema.js';
import { DEMO_TASK, demoScenarioWithLatency, writeSampleRepo } from '../demo/sample.js';
import { createGate } from '../gate/index.js';
import { createRunState, executeRun } from '../protocol/engine.js';
import type { EnginePorts } from '../protocol/ports.js';
import type { RunState } from '../protocol/types.js';
import { indexMemory } from '../record/memory.js';
import { searchRuns } from '../record/query.js';
import { RunStore } from '../record/store.js';
import { defaultDuoHome } from '../sys/home.js';
import { createWorkspace } from '../workspace/index.js';
import type { Workspace } from '../workspace/types.js';
import { type Figure, goal } from './figure.js';
import { dependencyWriteCheck, pristineFigure, timedCheckouts } from './gate.js';
import { htmlFigures } from './html.js';
import { integrationFigures } from './integrations.js';
import { writeSyntheticRecords } from './synthetic.js';

function sampleRepo(): string {
  return writeSampleRepo(join(mkdtempSync(join(tmpdir(), 'duo-bench-')), 'repo'));
}

function scenario(latencyMs: number): Scenario {
  return Scenario.parse(demoScenarioWithLatency(latencyMs));
}

interface Wire {
  /** Bytes of prompt duo sent the agents. */
  bytes: number;
  /** Forget every session: each call then carries its full prompt (what a duo without resume would send). */
  noResume?: boolean;
}

function ports(
  repo: string,
  s: Scenario,
  config: Record<string, unknown> = {},
  wire?: Wire,
  extra: Partial<EnginePorts> = {},
): EnginePorts {
  const agents = new Map<string, Agent>();
  return {
    agent: (name) => {
      let a = agents.get(name);
      if (!a) {
        const scripted = new ScriptedAgent(name, s);
        a = wire ? metered(scripted, wire) : scripted;
        agents.set(name, a);
      }
      return a;
    },
    workspace: createWorkspace(repo),
    gate: createGate(),
    store: new RunStore(repo),
    config: Config.parse({ limits: { retryBaseMs: 1 }, ...config }),
    ...extra,
  };
}

/** Counts the prompt bytes sent through an agent; optionally hides its session ids so nothing is resumed. */
function metered(agent: Agent, wire: Wire): Agent {
  return {
    name: agent.name,
    kind: agent.kind,
    async run(call) {
      wire.bytes += Buffer.byteLength(call.prompt);
      const r = await agent.run(wire.noResume ? { ...call, resume: undefined } : call);
      if (!wire.noResume) return r;
      const { sessionId: _dropped, ...rest } = r;
      return rest;
    },
  };
}

async function demoRun(
  latencyMs: number,
  config: Record<string, unknown> = {},
  verify: string[] = [],
  wire?: Wire,
  s: Scenario = scenario(latencyMs),
  /** Run in this repository (default: a new sample), with its memory and these options; `workspace` wraps the port. */
  at: {
    repo?: string;
    memory?: boolean;
    panel?: boolean;
    progress?: EnginePorts['progress'];
    workspace?: (ws: Workspace) => Workspace;
  } = {},
): Promise<{ ms: number; state: RunState; repo: string }> {
  const repo = at.repo ?? sampleRepo();
  const p = ports(repo, s, config, wire, {
    ...(at.memory ? { memory: indexMemory(repo) } : {}),
    ...(at.progress ? { progress: at.progress } : {}),
    ...(at.workspace ? { workspace: at.workspace(createWorkspace(repo)) } : {}),
  });
  const state = createRunState(
    p,
    {
      task: DEMO_TASK,
      mode: 'pair',
      options: { verify, includeUncommitted: false, apply: false, ...(at.panel ? { panel: true } : {}) },
    },
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
      ...goal(ratio, '≤', 1.05),
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
      ...goal(ratio, '≤', 1.1),
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
 * P1, orchestration overhead: a whole pair run on scripted agents that each take a fixed time, against its critical
 * path — every agent call (they run one after another here) plus, per gate attempt, its slowest command. What is
 * left is duo: git worktrees and commits, checkpoints, the integrity checks, the report.
 */
async function orchestration(n: number): Promise<Figure[]> {
  const latency = 1000;
  const ratios: number[] = [];
  const checkouts: number[] = [];
  const critical: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    let timed: ReturnType<typeof timedCheckouts> | undefined;
    const { ms, state, repo } = await demoRun(latency, {}, [], undefined, scenario(latency), {
      workspace: (ws) => {
        timed = timedCheckouts(ws);
        return timed.ws;
      },
    });
    checkouts.push(timed?.ms() ?? 0);
    const calls = new RunStore(repo)
      .readText(state.runId, 'events.jsonl')!
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; durationMs?: number })
      .filter((e) => e.type === 'agent-call');
    const agents = calls.reduce((sum, e) => sum + (e.durationMs ?? 0), 0);
    const gates = state.verify.reduce(
      (sum, v) => sum + Math.max(0, ...[...v.results, ...(v.original?.results ?? [])].map((r) => r.durationMs)),
      0,
    );
    ratios.push(ms / (agents + gates));
    critical.push(agents + gates);
    last = `wall ${ms.toFixed(0)} ms; critical path ${(agents + gates).toFixed(0)} ms (${calls.length} agent calls of ${latency} ms, ${state.verify.length} gate attempts ${gates.toFixed(0)} ms)`;
  }
  const ratio = median(ratios);
  return [
    {
      id: 'P1',
      what: 'orchestration: a pair run’s wall time ÷ its critical path of agent calls and verify commands',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 1.03),
      detail: last,
    },
    pristineFigure(checkouts, critical),
  ];
}

/** P2, fan-out: four independent sub-tasks at --parallel 4 against the same four one at a time. */
async function fanOut(n: number): Promise<Figure[]> {
  const latency = 1000;
  const approve = { answer: { verdict: 'approve', summary: 'ok', findings: [], rechecks: [] } };
  const subs = [1, 2, 3, 4].map((k) => ({
    id: `S${k}`,
    title: `part ${k}`,
    description: `write src/part${k}.js`,
    files: [`src/part${k}.js`],
    independent: true,
  }));
  const plan = {
    summary: 'four parts',
    files: subs.map((x) => ({ path: x.files[0], change: 'new' })),
    approach: 'one sub-task per part',
    tests: [],
    testChanges: [],
    risks: [],
    rollback: null,
    subtasks: subs,
    answers: [],
  };
  const work = (files: Record<string, string>) => ({
    answer: { summary: 'done', filesChanged: Object.keys(files), claims: [], contradiction: null },
    writes: files,
  });
  const s = Scenario.parse({
    agents: {
      claude: {
        plan: [{ answer: plan }],
        'review-patch': subs.map(() => approve),
        implement: [work({})],
      },
      codex: {
        critique: [approve],
        subtask: subs.map((x) => ({
          ...work({ [x.files[0] as string]: `export const ${x.id} = 1;\n` }),
          delayMs: latency,
        })),
        review: [approve],
      },
    },
  });
  const span = (state: RunState) => {
    const steps = subs.map((x) => state.steps[`subtask/${x.id}/work`]!);
    const start = Math.min(...steps.map((st) => Date.parse(st.at)));
    const end = Math.max(...steps.map((st) => Date.parse(st.at) + st.durationMs));
    return end - start;
  };
  const speedups: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    const par = span((await demoRun(0, { parallel: 4 }, [], undefined, s)).state);
    const ser = span((await demoRun(0, { parallel: 1 }, [], undefined, s)).state);
    speedups.push(ser / par);
    last = `4 sub-tasks of ${latency} ms: serial ${ser} ms, --parallel 4 ${par} ms`;
  }
  const speedup = median(speedups);
  return [
    {
      id: 'P2',
      what: 'fan-out: 4 independent sub-tasks at --parallel 4, speed-up over one at a time',
      value: speedup,
      unit: 'ratio',
      ...goal(speedup, '≥', 3.5),
      detail: last,
    },
  ];
}

/**
 * P6: prompt bytes duo sends over a reference pair run, against the same run with no session resumed — the demo run
 * in a new repository, and the same run again there, with the memory the first left (its two declined findings
 * come back as repeats, and the memory is told once per session instead of in every fresh prompt).
 */
async function wireBytes(_n: number): Promise<Figure[]> {
  const measure = async (noResume: boolean) => {
    const first: Wire = { bytes: 0, noResume };
    const again: Wire = { bytes: 0, noResume };
    const { repo } = await demoRun(0, {}, [], first, undefined, { memory: true });
    await demoRun(0, {}, [], again, undefined, { repo, memory: true });
    return { first: first.bytes, again: again.bytes };
  };
  const resumed = await measure(false);
  const fresh = await measure(true);
  const ratio = resumed.first / fresh.first;
  const withMemory = resumed.again / fresh.again;
  return [
    {
      id: 'P6',
      what: 'bytes duo sends the agents over the demo pair run, with session resume ÷ without',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 0.6),
      detail: `${resumed.first} bytes resumed, ${fresh.first} bytes with every call fresh`,
    },
    {
      id: 'P6-memory',
      what: 'the same, for the demo pair run again in its repository (the memory of the first run in play)',
      value: withMemory,
      unit: 'ratio',
      ...goal(withMemory, '≤', 0.5),
      detail: `${resumed.again} bytes resumed, ${fresh.again} bytes with every call fresh; the two declined findings came back as repeats`,
    },
  ];
}

/**
 * A panel review really runs its two reviewers at once: from the review's start to the driver's first answer, ÷ the
 * slower reviewer's call (codex takes 1 s, claude 1.5 s). What is left is duo: the second reviewer's scratch
 * checkout of the commit, and merging the findings.
 */
async function panelReview(n: number): Promise<Figure[]> {
  const ratios: number[] = [];
  let last = '';
  for (let i = 0; i < n; i++) {
    const s = demoScenarioWithLatency(0);
    const codex = s.agents.codex as Record<string, { delayMs?: number }[]>;
    const claude = s.agents.claude as Record<string, { delayMs?: number }[]>;
    codex.review = [{ ...codex.review![0], delayMs: 1000 }, ...codex.review!.slice(1)];
    claude.review = [{ ...codex.review[0], delayMs: 1500 }];
    let start = 0;
    let end = 0;
    const { state } = await demoRun(0, {}, [], undefined, Scenario.parse(s), {
      panel: true,
      progress: (e) => {
        if (e.type === 'phase' && e.phase === 'review' && !start) start = performance.now();
        if (e.type === 'agent' && e.purpose === 'answer-findings' && e.state === 'start' && !end)
          end = performance.now();
      },
    });
    const slower = Math.max(
      ...['review/r1/review', 'review/r1/panel-review'].map((k) => state.steps[k]?.durationMs ?? 0),
    );
    ratios.push((end - start) / slower);
    last = `review to the first answer ${(end - start).toFixed(0)} ms; the slower reviewer's call ${slower} ms (codex 1 s, claude 1.5 s, at once)`;
  }
  const ratio = median(ratios);
  return [
    {
      id: 'panel',
      what: 'a panel review (both agents at once): its wall time ÷ the slower reviewer',
      value: ratio,
      unit: 'ratio',
      ...goal(ratio, '≤', 1.1),
      detail: last,
    },
  ];
}

/**
 * P4, start-up: `duo --help` and `duo log` (a repo with three runs) as the wall time of a whole process, against a
 * bare `node -e 0` on the same machine at the same moment (interleaved, medians).
 */
async function startup(n: number): Promise<Figure[]> {
  const duo = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'duo.js');
  const repo = sampleRepo();
  for (let i = 0; i < 3; i++) {
    const p = ports(repo, scenario(0));
    const state = createRunState(
      p,
      {
        task: `${DEMO_TASK} (${i + 1})`,
        mode: 'pair',
        options: { verify: [], includeUncommitted: false, apply: false },
      },
      repo,
    );
    p.store.save(state);
    await executeRun(p, state);
  }
  const commands: Record<string, string[]> = {
    node: ['-e', '0'],
    help: [duo, '--help'],
    log: [duo, 'log'],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const rounds = Math.max(11, n * 7);
  for (let i = 0; i < rounds; i++) {
    for (const [name, args] of Object.entries(commands)) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, args, {
        cwd: repo,
        stdio: 'ignore',
        env: { ...process.env, NO_COLOR: '1' },
      });
      if (r.status !== 0) throw new Error(`${name} exited ${r.status}`);
      times[name]!.push(performance.now() - t0);
    }
  }
  const base = median(times.node!);
  const figure = (id: string, name: string, what: string): Figure => {
    const ms = median(times[name]!);
    return {
      id,
      what,
      value: ms / base,
      unit: 'ratio',
      ...goal(ms / base, '≤', 1.5),
      detail: `${ms.toFixed(0)} ms vs node -e 0 ${base.toFixed(0)} ms (median of ${rounds}, interleaved)`,
    };
  };
  return [
    figure('P4 help', 'help', 'start-up: `duo --help` wall time ÷ a bare `node -e 0`'),
    figure('P4 log', 'log', 'start-up: `duo log` (three runs) wall time ÷ a bare `node -e 0`'),
  ];
}

/**
 * P5: `duo log` and a search over 10,000 recorded runs, answered from the run index. Measured in-process (the
 * query) and as a user runs it (a whole `duo log` process, Node's start-up and module loading included), beside
 * the index's one-off rebuild from the records and what listing used to cost (loading every record).
 */
async function recordAt10k(n: number, runs = Number(process.env.BENCH_RECORDS ?? 10_000)): Promise<Figure[]> {
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
  [['P5', 'P5-log', 'P5-log-status', 'P5-search', 'P5-search-one', 'P5-rebuild'], (n) => recordAt10k(n)],
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
  else process.stdout.write(`duo bench (median of ${n} runs each)\n\n${table(figures)}\n`);
}

await main();
