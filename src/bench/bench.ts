import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { Scenario, ScriptedAgent } from '../agents/scripted.js';
import { Config } from '../config/schema.js';
import { DEMO_TASK, demoScenario, SAMPLE_REPO } from '../demo/sample.js';
import { createGate } from '../gate/index.js';
import type { EnginePorts } from '../protocol/context.js';
import { createRunState, executeRun } from '../protocol/engine.js';
import { RunStore } from '../record/store.js';
import { createWorkspace } from '../workspace/index.js';

/**
 * `npm run bench`: duo's own overhead, measured — never asserted in tests. With scripted agents answering
 * instantly, what is left is duo: git worktrees and commits, checkpoints, the verify gate, the report.
 * Figures: a whole demo run, and a resume that replays every step from the journal (should be near zero work).
 */
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

function ports(repo: string): EnginePorts {
  const scenario = Scenario.parse(demoScenario());
  const agents = new Map<string, ScriptedAgent>();
  return {
    agent: (name) => {
      const a = agents.get(name) ?? new ScriptedAgent(name, scenario);
      agents.set(name, a);
      return a;
    },
    workspace: createWorkspace(repo),
    gate: createGate(),
    store: new RunStore(repo),
    config: Config.parse({ limits: { retryBaseMs: 1 } }),
  };
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s[Math.floor(s.length / 2)]!;
  return `median ${median.toFixed(0)} ms, min ${s[0]!.toFixed(0)} ms, max ${s.at(-1)!.toFixed(0)} ms (n=${s.length})`;
}

/**
 * P4, start-up: `duo --help` and `duo log` (a repo with a few runs) as wall time of a whole process, against a bare
 * `node -e 0` on the same machine at the same moment (runs interleaved, medians). The target is within 1.5×.
 */
async function startupRatios(): Promise<string[]> {
  const duo = join(dirname(fileURLToPath(import.meta.url)), '..', 'cli', 'duo.js');
  const repo = sampleRepo();
  for (let i = 0; i < 3; i++) {
    const p = ports(repo);
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
    'node -e 0': ['-e', '0'],
    'duo --help': [duo, '--help'],
    'duo log': [duo, 'log'],
  };
  const times: Record<string, number[]> = Object.fromEntries(Object.keys(commands).map((k) => [k, []]));
  const n = Number(process.env.BENCH_STARTUP_RUNS ?? 21);
  for (let i = 0; i < n; i++) {
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
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const base = median(times['node -e 0']!);
  return [
    `P4 start-up (median of ${n}, interleaved; target within 1.5× node -e 0):`,
    `  node -e 0:               ${base.toFixed(0)} ms`,
    ...['duo --help', 'duo log'].map((name) => {
      const m = median(times[name]!);
      return `  ${name.padEnd(24)} ${m.toFixed(0)} ms = ${(m / base).toFixed(2)}× node -e 0${name === 'duo log' ? ' (3 runs)' : ''}`;
    }),
  ];
}

async function main(): Promise<void> {
  process.env.DUO_HOME ??= mkdtempSync(join(tmpdir(), 'duo-bench-home-'));
  const n = Number(process.env.BENCH_RUNS ?? 5);
  const runs: number[] = [];
  const gates: number[] = [];
  const replays: number[] = [];
  for (let i = 0; i < n; i++) {
    const repo = sampleRepo();
    const p = ports(repo);
    const state = createRunState(
      p,
      { task: DEMO_TASK, mode: 'pair', options: { verify: [], includeUncommitted: false, apply: false } },
      repo,
    );
    p.store.save(state);
    const t0 = performance.now();
    const done = await executeRun(p, state);
    runs.push(performance.now() - t0);
    gates.push(done.verify.flatMap((v) => v.results).reduce((s, r) => s + r.durationMs, 0));
    if (done.status !== 'green') throw new Error(`bench run ended ${done.status}`);
    // Resume of a finished run's journal: every step replays, nothing re-runs.
    const again = p.store.load(done.runId);
    again.status = 'interrupted';
    const t1 = performance.now();
    await executeRun(ports(repo), again);
    replays.push(performance.now() - t1);
  }
  process.stdout.write(
    [
      'duo bench (scripted agents; what remains is duo itself)',
      `whole demo run (plan, implement, review, verify red→green): ${stats(runs)}`,
      `  of which the verify gate's commands:                    ${stats(gates)}`,
      `resume replaying every step from the journal:              ${stats(replays)}`,
      ...(await startupRatios()),
      '',
    ].join('\n'),
  );
}

await main();
