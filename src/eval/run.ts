/**
 * `duo eval run`: every task × mode × repeat of a plan, `parallel` at a time, each one a resumable unit (unit.ts)
 * in its own sealed checkout. Running the same command again continues: finished units are read from the
 * journal, a stopped run resumes. The whole eval stops cleanly — no new run starts, the ones in flight end as
 * they would — at Ctrl-C, at an agent's plan limit (a paused run; resume after the reset) and at `--budget`,
 * which also caps each run's own spend (`limits.maxCostUsd`) at what is left of it.
 */

import { createHash } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Config } from '../config/schema.js';
import type { Gate } from '../gate/types.js';
import { acquireRunLock, LockedError } from '../record/lock.js';
import { duoHome } from '../sys/home.js';
import { findContradiction } from './mutate.js';
import { type EvalDir, type EvalPlan, type MutationRecord, type Unit, type UnitResult, unitsOf } from './results.js';
import { copyDependencies } from './seal.js';
import { EvalInputError, type EvalTask } from './task.js';
import { type EnginePortsFor, runUnit, type UnitContext } from './unit.js';

export interface RunEvalInput {
  /** The user's repository: where the base commits are fetched from. */
  source: string;
  dir: EvalDir;
  plan: EvalPlan;
  tasks: EvalTask[];
  config: Config;
  engine: EnginePortsFor;
  gate: Gate;
  parallel: number;
  budgetUsd?: number;
  keepCheckouts?: boolean;
  signal?: AbortSignal;
  onEvent?: (event: EvalEvent) => void;
  now?: () => number;
}

export type EvalEvent =
  | { type: 'mutation'; instanceId: string; record: MutationRecord }
  | { type: 'unit-start'; unit: string; instanceId: string; mode: string; repeat: number }
  | {
      type: 'unit-done';
      unit: string;
      result: UnitResult;
      done: number;
      total: number;
      spentUsd: number;
      /** Remaining time at the pace of the units finished so far in this process; null before the first. */
      etaMs: number | null;
    }
  | { type: 'unit-stopped'; unit: string; why: 'interrupted' | 'paused' | 'budget' };

export type EvalStop = 'done' | 'interrupted' | 'paused' | 'budget';

export interface EvalOutcome {
  stop: EvalStop;
  done: number;
  total: number;
  spentUsd: number;
  pause: { agent: string; until: string | null } | null;
}

/** Sealed checkouts of an eval folder live under DUO_HOME, never inside the user's repository. */
export function evalWorkDir(dir: string): string {
  const id = createHash('sha1').update(resolve(dir)).digest('hex').slice(0, 10);
  return join(duoHome(), 'eval', id);
}

/**
 * A unit's config: the user's, with `{instance_id}`, `{mode}` and `{variant}` filled in in scripted agents'
 * scenario paths (so scripted agents can answer each task differently: the demo and the tests), and the run's
 * spend capped at what is left of --budget.
 */
export function unitConfig(config: Config, unit: Unit, impossible: boolean, leftUsd?: number): Config {
  const copy = structuredClone(config);
  for (const agent of Object.values(copy.agents)) {
    if (agent.kind !== 'scripted') continue;
    agent.scenario = agent.scenario
      .replaceAll('{instance_id}', unit.task.instance_id.replace(/[^A-Za-z0-9._-]/g, '_'))
      .replaceAll('{mode}', unit.mode)
      .replaceAll('{variant}', impossible ? 'impossible' : 'normal');
  }
  if (leftUsd !== undefined)
    copy.limits.maxCostUsd = Math.max(0, Math.min(copy.limits.maxCostUsd ?? Number.POSITIVE_INFINITY, leftUsd));
  return copy;
}

export async function runEval(input: RunEvalInput): Promise<EvalOutcome> {
  const release = lockEval(input.dir);
  try {
    return await runUnits(input);
  } finally {
    release();
  }
}

/** One process at a time per eval folder: two would run the same units. */
function lockEval(dir: EvalDir): () => void {
  try {
    return acquireRunLock(dir.dir);
  } catch (e) {
    if (!(e instanceof LockedError)) throw e;
    // The run lock's own hint names `duo wait`/`duo cancel`, which do not apply to an eval folder.
    const who = e.owner ? `it is in use by process ${e.owner.pid} (since ${e.owner.since})` : e.message;
    throw new EvalInputError(
      `the eval in ${dir.dir} is running in another process: ${who}. Wait for it to finish, or stop it there ` +
        '(Ctrl-C); running the same command again continues where it stopped.',
    );
  }
}

async function runUnits(input: RunEvalInput): Promise<EvalOutcome> {
  const now = input.now ?? Date.now;
  const { dir, plan } = input;
  const units = unitsOf(plan, input.tasks);
  const work = evalWorkDir(dir.dir);
  const ctx: UnitContext = {
    source: input.source,
    dir,
    work,
    deps: copyDependencies(input.source, join(work, 'deps')),
    config: input.config,
    engine: input.engine,
    gate: input.gate,
    impossible: plan.impossible,
    keepCheckouts: !!input.keepCheckouts,
    ...(input.signal ? { signal: input.signal } : {}),
    now,
  };
  const journals = dir.journals();
  let spentUsd = 0;
  let done = 0;
  for (const u of units) {
    const r = journals.get(u.slug)?.result;
    if (!r) continue;
    done++;
    spentUsd += r.costUsd ?? 0;
  }
  const mutations = new Map<number, Promise<MutationRecord>>();
  const mutationFor = (u: Unit): Promise<MutationRecord> => {
    let m = mutations.get(u.taskIndex);
    if (!m) {
      m = mutate(input, u);
      mutations.set(u.taskIndex, m);
    }
    return m;
  };

  let stop: EvalStop | null = null;
  let pause: EvalOutcome['pause'] = null;
  const durations: number[] = [];
  let next = 0;
  let failure: unknown = null;
  const worker = async () => {
    while (!stop && next < units.length) {
      const unit = units[next++] as Unit;
      if (journals.get(unit.slug)?.result) continue;
      if (input.signal?.aborted) {
        stop = 'interrupted';
        break;
      }
      if (input.budgetUsd !== undefined && spentUsd >= input.budgetUsd) {
        stop = 'budget';
        break;
      }
      input.onEvent?.({
        type: 'unit-start',
        unit: unit.slug,
        instanceId: unit.task.instance_id,
        mode: unit.mode,
        repeat: unit.repeat,
      });
      const started = now();
      const left = input.budgetUsd === undefined ? undefined : input.budgetUsd - spentUsd;
      let end: Awaited<ReturnType<typeof runUnit>>;
      try {
        const mutation = plan.impossible ? await mutationFor(unit) : null;
        end = await runUnit(ctx, unit, unitConfig(input.config, unit, plan.impossible, left), mutation);
      } catch (e) {
        // Ctrl-C during a checkout, a grade or a mutation: the unit's journal has what was done; it resumes.
        if (input.signal?.aborted) end = { end: 'interrupted' };
        else {
          failure ??= e;
          stop ??= 'interrupted';
          break;
        }
      }
      if (end.end !== 'done') {
        input.onEvent?.({ type: 'unit-stopped', unit: unit.slug, why: end.end });
        if (end.end === 'paused') pause = { agent: end.agent, until: end.until };
        stop ??= end.end;
        break;
      }
      done++;
      spentUsd += end.result.costUsd ?? 0;
      durations.push(now() - started);
      const remaining = units.length - done;
      const pace = durations.reduce((s, d) => s + d, 0) / durations.length;
      input.onEvent?.({
        type: 'unit-done',
        unit: unit.slug,
        result: end.result,
        done,
        total: units.length,
        spentUsd,
        etaMs: remaining ? (pace * remaining) / Math.max(1, Math.min(input.parallel, remaining)) : 0,
      });
    }
  };
  // Every worker ends its unit before a failure is reported: no run is left behind half-written.
  await Promise.all(Array.from({ length: Math.max(1, input.parallel) }, worker));
  if (failure) throw failure;
  if (!stop && input.signal?.aborted) stop = 'interrupted';
  // Done and nothing kept: the dependency copy and the (empty) checkout folder go too.
  if (!stop && done === units.length && !input.keepCheckouts) rmSync(work, { recursive: true, force: true });
  return { stop: stop ?? (done === units.length ? 'done' : 'interrupted'), done, total: units.length, spentUsd, pause };
}

/** A task's contradiction for the impossible variant, found once and journaled (every mode runs the same one). */
async function mutate(input: RunEvalInput, unit: Unit): Promise<MutationRecord> {
  const recorded = input.dir.mutation(unit.taskIndex);
  if (recorded) return recorded;
  const found = await findContradiction({
    source: input.source,
    task: unit.task,
    gate: input.gate,
    config: input.config,
    ...(input.signal ? { signal: input.signal } : {}),
  });
  const record: MutationRecord =
    'skip' in found
      ? {
          instanceId: unit.task.instance_id,
          description: null,
          testPatch: null,
          contradicted: [],
          skip: found.skip,
          tried: found.tried,
        }
      : {
          instanceId: unit.task.instance_id,
          description: `${found.mutation.file}:${found.mutation.line}: ${found.mutation.before} → ${found.mutation.after}`,
          testPatch: found.mutation.testPatch,
          contradicted: found.contradicted,
          skip: null,
          tried: found.tried,
        };
  input.dir.writeMutation(unit.taskIndex, record);
  input.onEvent?.({ type: 'mutation', instanceId: unit.task.instance_id, record });
  return record;
}
