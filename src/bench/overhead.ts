/**
 * duo's own work: a whole run with instant agents, the replay of a finished run from its journal, and the start-up
 * of a `duo` process (P4).
 */

import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { DEMO_TASK } from '../demo/sample.js';
import { createRunState, executeRun } from '../protocol/engine.js';
import { demoRun, ports, sampleRepo, scenario } from './demo-run.js';
import { type Figure, goal, median } from './figure.js';

/** duo's own work on a run with instant agents, and a resume that replays every step from the journal. */
export async function overhead(n: number): Promise<Figure[]> {
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
 * P4, start-up: `duo --help` and `duo log` (a repo with three runs) as the wall time of a whole process, against a
 * bare `node -e 0` on the same machine at the same moment (interleaved, medians).
 */
export async function startup(n: number): Promise<Figure[]> {
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
