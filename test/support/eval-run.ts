import { enginePortsFor } from '../../src/cli/setup.js';
import type { Config } from '../../src/config/schema.js';
import { reportOf } from '../../src/eval/merge.js';
import type { EvalReport } from '../../src/eval/report.js';
import { EvalDir, type EvalPlan, tasksHash, type UnitResult } from '../../src/eval/results.js';
import { type EvalEvent, type EvalOutcome, runEval } from '../../src/eval/run.js';
import type { EvalTask } from '../../src/eval/task.js';
import type { EnginePortsFor } from '../../src/eval/unit.js';
import { createGate } from '../../src/gate/index.js';
import { tempDir } from './harness.js';

/** An eval run in-process, as `duo eval run` does it (the real engine ports, the config's scripted agents). */
export interface EvalRun {
  outcome: EvalOutcome;
  dir: EvalDir;
  plan: EvalPlan;
  report: EvalReport;
  results: UnitResult[];
  events: EvalEvent[];
}

export async function runEvalOn(
  source: string,
  tasks: EvalTask[],
  config: Config,
  opts: {
    modes?: EvalPlan['modes'];
    repeat?: number;
    impossible?: boolean;
    shard?: EvalPlan['shard'];
    parallel?: number;
    budgetUsd?: number;
    keepCheckouts?: boolean;
    signal?: AbortSignal;
    dir?: string;
    onEvent?: (e: EvalEvent) => void;
    /** The engine's ports (default: the CLI's real composition). */
    engine?: EnginePortsFor;
  } = {},
): Promise<EvalRun> {
  const plan: EvalPlan = {
    version: 1,
    tasksSha256: tasksHash(tasks),
    modes: opts.modes ?? ['solo'],
    repeat: opts.repeat ?? 1,
    impossible: !!opts.impossible,
    shard: opts.shard ?? null,
  };
  const dir = new EvalDir(opts.dir ?? tempDir('duo-eval-results-'));
  if (!dir.exists()) {
    dir.write('eval.json', plan);
    dir.writeTasks(tasks);
  }
  const events: EvalEvent[] = [];
  const outcome = await runEval({
    source,
    dir,
    plan,
    tasks,
    config,
    engine: opts.engine ?? enginePortsFor,
    gate: createGate(),
    parallel: opts.parallel ?? 1,
    ...(opts.budgetUsd !== undefined ? { budgetUsd: opts.budgetUsd } : {}),
    keepCheckouts: !!opts.keepCheckouts,
    ...(opts.signal ? { signal: opts.signal } : {}),
    onEvent: (e) => {
      events.push(e);
      opts.onEvent?.(e);
    },
  });
  const results = [...dir.journals().values()].flatMap((j) => (j.result ? [j.result] : []));
  return { outcome, dir, plan, report: reportOf(dir, plan), results, events };
}

/** The same task under another id (scripted agents answer by id), for several drivers on one task in one eval. */
export const asTask = (task: EvalTask, id: string): EvalTask => ({ ...task, instance_id: id });
