import { z } from 'zod';
import type { Mode } from '../config/schema.js';
import { Finding, Plan, Severity } from './schemas.js';

/**
 * The run record's shape. `steps` is the journal — every completed step's result, keyed by a stable step key —
 * and everything else is a projection the engine rebuilds by replaying the journal, so a resumed run reaches
 * the same outcome an uninterrupted one would.
 */
export const RunStatus = z.enum([
  'running',
  'green',
  'red',
  'unverified',
  'awaiting-decision',
  'failed',
  'interrupted',
  'answered',
]);
export type RunStatus = z.infer<typeof RunStatus>;

export const Resolution = z.enum(['fixed', 'rebutted', 'escalated', 'open']);
export type Resolution = z.infer<typeof Resolution>;

export const Phase = z.enum(['triage', 'plan', 'implement', 'review', 'verify', 'report', 'done']);
export type Phase = z.infer<typeof Phase>;

export const LedgerEntry = z.object({
  id: z.string(),
  phase: z.enum(['plan', 'review', 'verify', 'subtask']),
  round: z.number(),
  finding: Finding,
  resolution: Resolution,
  /** The driver's latest answer (fix / rebut / escalate) with its note. */
  answer: z.object({ action: z.string(), note: z.string(), round: z.number() }).nullable(),
  /** The skeptic's latest re-check of that answer. */
  recheck: z.object({ status: z.string(), note: z.string(), round: z.number() }).nullable(),
  /** Commit that carries the fix, when resolution is fixed. */
  fixCommit: z.string().nullable(),
  decision: z.string().nullable(),
  history: z.array(z.object({ at: z.string(), round: z.number(), event: z.string(), note: z.string() })),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const DecisionCard = z.object({
  id: z.string(),
  phase: z.string(),
  findingId: z.string(),
  question: z.string(),
  driverPosition: z.string(),
  skepticPosition: z.string(),
  stakes: z.string(),
  createdAt: z.string(),
});
export type DecisionCard = z.infer<typeof DecisionCard>;

export const Decision = z.object({
  cardId: z.string(),
  pick: z.enum(['driver', 'skeptic', 'custom']),
  text: z.string(),
  decidedAt: z.string(),
  by: z.string(),
});
export type Decision = z.infer<typeof Decision>;

export const Disagreement = z.object({
  at: z.string(),
  phase: z.string(),
  findingId: z.string(),
  severity: Severity,
  topic: z.string(),
  driver: z.string(),
  skeptic: z.string(),
  outcome: z.string(),
});
export type Disagreement = z.infer<typeof Disagreement>;

export const VerifyRecord = z.object({
  attempt: z.number(),
  status: z.enum(['green', 'red', 'unverified']),
  results: z.array(
    z.object({
      command: z.string(),
      kind: z.string(),
      exitCode: z.number().nullable(),
      durationMs: z.number(),
      output: z.string(),
      outputPath: z.string(),
      outputBytes: z.number(),
      logCutBytes: z.number().optional(),
      truncated: z.boolean(),
      timedOut: z.boolean(),
      startError: z.string().optional(),
      noTestsRan: z.boolean(),
      passed: z.boolean(),
      reason: z.string().optional(),
    }),
  ),
});
export type VerifyRecord = z.infer<typeof VerifyRecord>;

export const StepRecord = z.object({
  at: z.string(),
  durationMs: z.number(),
  result: z.unknown(),
});
export type StepRecord = z.infer<typeof StepRecord>;

export const RunOptions = z.object({
  verify: z.array(z.string()),
  includeUncommitted: z.boolean(),
  apply: z.boolean(),
});
export type RunOptions = z.infer<typeof RunOptions>;

export const RunState = z.object({
  version: z.literal(1),
  runId: z.string(),
  task: z.string(),
  requestedMode: z.string(),
  mode: z.enum(['pair', 'invert', 'solo', 'answer']),
  roles: z.object({
    driver: z.string(),
    skeptic: z.string().nullable(),
    dispatcher: z.string().nullable(),
    subtask: z.string().nullable(),
  }),
  repoRoot: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: RunStatus,
  phase: Phase,
  options: RunOptions,
  worktree: z
    .object({
      runId: z.string(),
      path: z.string(),
      branch: z.string(),
      baseSha: z.string(),
      includesUncommitted: z.boolean(),
    })
    .nullable(),
  /** The last commit a completed step left the run branch at: resume resets the worktree here. */
  headSha: z.string().nullable(),
  steps: z.record(z.string(), StepRecord),
  plan: Plan.nullable(),
  planConverged: z.boolean().nullable(),
  findings: z.array(LedgerEntry),
  disagreements: z.array(Disagreement),
  cards: z.array(DecisionCard),
  decisions: z.array(Decision),
  verify: z.array(VerifyRecord),
  answer: z.string().nullable(),
  /** What the run changed against its base (projection, for the report). */
  changes: z.array(z.object({ path: z.string(), status: z.string(), added: z.number(), removed: z.number() })),
  unreviewed: z.boolean(),
  triage: z.object({ mode: z.string(), reason: z.string() }).nullable(),
  notes: z.array(z.string()),
  usage: z.record(
    z.string(),
    z.object({
      calls: z.number(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      cachedInputTokens: z.number(),
      costUsd: z.number().nullable(),
      durationMs: z.number(),
    }),
  ),
  error: z.object({ message: z.string(), hint: z.string().nullable() }).nullable(),
  owner: z.object({ pid: z.number(), host: z.string() }).nullable(),
  /** Set by `duo apply` / `run --apply` once the change is in the user's working tree (not a projection). */
  applied: z
    .object({ at: z.string(), files: z.array(z.string()) })
    .nullable()
    .optional(),
});
export type RunState = z.infer<typeof RunState>;

export type ConcreteMode = RunState['mode'];
export type RequestedMode = Mode;
