import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
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
      '',
    ].join('\n'),
  );
}

await main();
