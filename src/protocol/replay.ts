/**
 * Journal results checked when they are replayed. A resumed run replays every recorded step's result instead of
 * running it again, and the code after the step reads that result as its type: a record written by another duo
 * version, or edited by hand, would otherwise flow on as a wrong shape and fail somewhere far from its cause.
 *
 * A step that gives a schema has its recorded result checked against it. A mismatch stops the run with an error
 * naming the step — it is not run again: the steps after it were decided on the recorded result (a commit, a plan,
 * a verdict), so re-running one step alone would no longer be "resume runs the same code again" on the same record.
 * The recorded value is returned as it was (the schema checks it, it does not rewrite it).
 */

import { z } from 'zod';
import { VerifyKind } from '../gate/types.js';
import type { AgentStep } from './agent-call.js';
import { RunFailure } from './run-stops.js';
import { RunState, VerifyRecord } from './types.js';

/** A recorded step result that does not have the shape this duo's code expects. */
export class JournalMismatch extends RunFailure {
  constructor(
    readonly key: string,
    readonly issues: string,
  ) {
    super(
      `the journal's result of step "${key}" does not have the shape this duo expects:\n${issues}`,
      'The run was recorded by another duo version or its state.json was edited. Resume it with the duo that ' +
        'started it, or start the task again with `duo run`.',
    );
  }
}

/** A recorded result, checked against the step's schema. */
export function replayed<T>(key: string, result: unknown, schema: z.ZodType<T>): T {
  const parsed = schema.safeParse(result);
  if (!parsed.success) throw new JournalMismatch(key, z.prettifyError(parsed.error));
  return result as T;
}

/** The journal's record of an agent call (AgentStep), with the call's own answer schema. */
export function agentStepSchema<T>(answer: z.ZodType<T>): z.ZodType<AgentStep<T>> {
  return z.object({
    agent: z.string(),
    answer,
    text: z.string(),
    sessionId: z.string().nullable(),
    durationMs: z.number(),
    permissionDenials: z.array(z.string()),
    commit: z.string().nullable(),
    after: z.unknown().optional(),
    readOnlyViolation: z.object({ paths: z.array(z.string()), discarded: z.boolean() }).optional(),
    reverted: z.array(z.object({ path: z.string(), reason: z.string() })).optional(),
    outside: z.array(z.object({ dir: z.string(), paths: z.array(z.string()), count: z.number() })).optional(),
  }) as z.ZodType<AgentStep<T>>;
}

/** The verify commands step (verify/commands). */
export const VerifyCommandsStep = z.array(z.object({ command: z.string(), kind: VerifyKind, source: z.string() }));

/** A gate attempt step (verify/a<n>/gate): the attempt's record without its number. */
export const GateAttemptStep = VerifyRecord.omit({ attempt: true });

/** The workspace step: the run worktree as it was created. */
export const WorktreeStep = z.object({
  runId: z.string(),
  path: z.string(),
  branch: z.string(),
  baseSha: z.string(),
  includesUncommitted: z.boolean(),
});

/** The baseline step (gate/baseline): the verify commands on the untouched base. */
export const BaselineStep = RunState.shape.baseline.unwrap().unwrap();

/** The plan commit step (plan/commit): the commit's sha. */
export const PlanCommitStep = z.string();

/** A reviewed change's protected paths (review/protected). */
export const ProtectedPathsStep = z.array(z.string());

/** A panel reviewer that could not review (<key>/unavailable): why. */
export const UnavailableStep = z.object({ why: z.string() });

/** The skeptic gone for good in a run allowed to finish solo (skeptic/unavailable): its failure. */
export const SkepticGoneStep = z.object({ failure: z.string(), message: z.string() });

/** Auto mode's look at the agreed plan's paths (triage/plan-paths): the risky paths and what the run became. */
export const PlanPathsStep = z.object({
  hits: z.array(z.object({ path: z.string(), label: z.string() })),
  to: z.enum(['pair', 'solo']),
  roles: RunState.shape.roles,
  reason: z.string(),
});

/** A sub-task's patch applied to the run worktree (subtask/<id>/apply): its commit, or the conflicting paths. */
export const SubtaskApplyStep = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), conflicts: z.array(z.never()), commit: z.string().nullable() }),
  z.object({ ok: z.literal(false), conflicts: z.array(z.string()), commit: z.null() }),
]);

/** A panel review's choice of reviewers (<prefix>/panel): who reviews, and who was skipped and why. */
export const PanelChoiceStep = z.object({
  reviewers: z.array(z.string()),
  skipped: z.array(z.object({ agent: z.string(), why: z.string() })),
});
