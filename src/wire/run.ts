/**
 * The run as `--json` prints it (`duo run`, `resume`, `review`, `status`, `wait`, `show`, `apply`, `cancel`): one
 * zod schema per output that the writer (cli/output.ts's runSummary, the commands) is typed by, that readers (the MCP
 * server, the stop hook, tests) parse with, and that `npm run schema` exports as JSON Schema for users who parse it
 * (dist/schema/<name>.json in the package; the list is json-schemas.ts).
 * Each field reuses the record's own schema (protocol/types.ts), so the wire form cannot drift from the record.
 * The field names are stable: scripts rely on them.
 */

import { z } from 'zod';
import { RunState, VerifyRecord, VerifyResultRecord } from '../protocol/types.js';
import type { RunProgress } from '../record/progress.js';
import type { Same } from './same.js';

const S = RunState.shape;
const Result = VerifyResultRecord.shape;
const Ledger = S.findings.element.shape;

export const RunJsonFinding = z.strictObject({
  id: Ledger.id,
  /** The finding's identity across rounds and runs (short form; `duo memory forget` takes it). */
  fingerprint: z.string(),
  phase: Ledger.phase,
  severity: Ledger.finding.shape.severity,
  category: z.string().nullable(),
  claim: z.string(),
  resolution: Ledger.resolution,
  fixCommit: Ledger.fixCommit,
  decision: Ledger.decision,
  /** A panel review: both, or `<agent>-only`; null otherwise. */
  caughtBy: z.string().nullable(),
  /** resolution repeat: the declined finding it raises again (fingerprint, run, finding, why). */
  repeatOf: Ledger.repeatOf.unwrap().nullable(),
  /** A new thread with new evidence against a declined one, which it cites. */
  reopens: Ledger.reopens.unwrap().nullable(),
  /** resolution suggestion: why it took no fix round. */
  suggestion: z.string().nullable(),
});

export const RunJsonVerify = z.strictObject({
  command: Result.command,
  exitCode: Result.exitCode,
  durationMs: Result.durationMs,
  passed: Result.passed,
  noTestsRan: Result.noTestsRan,
  /** The failing tests the runner named in its output ([] when it passed or names none). */
  failingTests: z.array(z.string()),
  /** The tail of the output (the whole of it is at outputPath). */
  output: Result.output,
  outputPath: Result.outputPath,
  logCutBytes: Result.logCutBytes,
});

const Integrity = VerifyRecord.shape.integrity.unwrap().shape;

export const RunJson = z.strictObject({
  runId: S.runId,
  status: S.status,
  mode: S.mode,
  task: S.task,
  roles: S.roles,
  /** duo review: what was reviewed (scope, base..head); null for other runs. */
  review: S.options.shape.review.unwrap().nullable(),
  branch: z.string().nullable(),
  worktree: z.string().nullable(),
  reportPath: z.string(),
  /** The same report as a self-contained page (written at the end of every run; `duo show --html` rewrites it). */
  htmlPath: z.string(),
  unreviewed: S.unreviewed,
  /** auto mode: how the run was routed (risk, each agent's headroom, an upgrade after the plan); null otherwise. */
  routing: S.triage,
  /** A paused run: which agent, until when, and why. */
  pause: S.pause,
  /** The config file the run runs on, and whether `resume --config` replaced it (null: an old record without one). */
  config: z
    .strictObject({
      path: S.config.unwrap().unwrap().shape.path,
      changes: S.config.unwrap().unwrap().shape.changes,
    })
    .nullable(),
  findings: z.array(RunJsonFinding),
  /** --panel: who reviewed, and who was left out and why (then a single reviewer's review); null otherwise. */
  panel: S.panel,
  disagreements: S.disagreements,
  verify: z.array(RunJsonVerify),
  verifyAttempts: z.array(z.strictObject({ attempt: z.number(), status: VerifyRecord.shape.status })),
  /** Every failing test the runners named in the last gate attempt. */
  failingTests: z.array(z.string()),
  /** Test integrity of the last gate attempt: null before the gate ran (or in records older than the check). */
  integrity: z
    .strictObject({
      headline: Integrity.headline,
      unaccepted: Integrity.unaccepted,
      issues: Integrity.issues,
      comparisons: Integrity.comparisons,
      baseDefinition: z.array(z.string()),
      original: VerifyRecord.shape.original.unwrap(),
    })
    .nullable(),
  baseline: z
    .strictObject({
      durationMs: z.number(),
      results: z.array(
        z.strictObject({
          command: Result.command,
          exitCode: Result.exitCode,
          passed: Result.passed,
          counts: Result.counts.unwrap().nullable(),
        }),
      ),
    })
    .nullable(),
  reverts: S.reverts,
  /** The decision cards still waiting for a human (`duo decide`). */
  cards: S.cards,
  decisions: S.decisions,
  changes: S.changes,
  answer: S.answer,
  error: S.error,
  usage: S.usage,
  createdAt: S.createdAt,
  finishedAt: S.finishedAt,
  /** What was said on stderr before the run started (no verify command found, a secret in a verify command). */
  warnings: z.array(z.string()),
});
export type RunJson = z.infer<typeof RunJson>;

/** `apply` in `duo run --apply --json`: what was brought into the working tree, or why not. */
export const ApplyJson = z.strictObject({
  /** This call changed the working tree. */
  applied: z.boolean(),
  files: z.array(z.string()),
  /** Files where the change did not fit (nothing was changed then). */
  conflicts: z.array(z.string()),
  message: z.string(),
});
export type ApplyJson = z.infer<typeof ApplyJson>;

/** `duo apply --json`: the run applied, and the same outcome. */
export const ApplyCommandJson = ApplyJson.extend({ runId: S.runId });
export type ApplyCommandJson = z.infer<typeof ApplyCommandJson>;

/**
 * `duo run|resume|review --json`: the run, and what became of the apply (null without --apply; absent when `resume`
 * found the run already finished).
 */
export const RunCommandJson = RunJson.extend({ apply: ApplyJson.nullable().optional() });
export type RunCommandJson = z.infer<typeof RunCommandJson>;

/** `duo show --json`: the run, whether its branch is gone, and its plan and notes. */
export const ShowJson = RunJson.extend({ branchGone: z.boolean(), plan: S.plan, notes: S.notes });
export type ShowJson = z.infer<typeof ShowJson>;

/** `duo show --html --json`: the run as `duo run` prints it (its htmlPath just rewritten), and whether its branch is gone. */
export const ShowHtmlJson = RunJson.extend({ branchGone: z.boolean() });
export type ShowHtmlJson = z.infer<typeof ShowHtmlJson>;

/** `duo run|resume|review --detach --json`: the run started in the background (cli/commands/detach.ts). */
export const DetachedJson = z.strictObject({
  runId: S.runId,
  status: z.literal('running'),
  pid: z.number().int(),
  /** Where its output goes (detached.log in the run's folder). */
  log: z.string(),
});
export type DetachedJson = z.infer<typeof DetachedJson>;

/** `duo review --json` when there is nothing to review: no run was started. */
export const NothingToReviewJson = z.strictObject({
  runId: z.null(),
  status: z.literal('nothing-to-review'),
  scope: S.options.shape.review.unwrap().shape.scope,
});
export type NothingToReviewJson = z.infer<typeof NothingToReviewJson>;

/** `duo cancel --json`: whether this call stopped the run, and its status after. */
export const CancelJson = z.strictObject({ runId: S.runId, cancelled: z.boolean(), status: S.status });
export type CancelJson = z.infer<typeof CancelJson>;

/** Any command's `--json` when it fails before it has a result: what went wrong, what to do, the exit code. */
export const ErrorJson = z.strictObject({
  error: z.strictObject({ message: z.string(), hint: z.string().nullable() }),
  exitCode: z.number().int(),
});
export type ErrorJson = z.infer<typeof ErrorJson>;

/** `duo status --json`: where a run is (record/progress.ts computes it; the type there must match, below). */
export const StatusJson = z.strictObject({
  runId: S.runId,
  task: S.task,
  mode: S.mode,
  /** The effective status: "running" only while a live process owns the run. */
  status: S.status,
  headline: z.string(),
  phase: z.string(),
  round: z.number().nullable(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  elapsedMs: z.number(),
  agents: z.array(
    z.strictObject({
      agent: z.string(),
      roles: z.array(z.string()),
      doing: z.string().nullable(),
      since: z.string().nullable(),
      activity: z.strictObject({ kind: z.enum(['edit', 'command']), text: z.string(), at: z.string() }).nullable(),
      trouble: z.strictObject({ message: z.string(), at: z.string(), count: z.number() }).nullable(),
    }),
  ),
  verifying: z.array(z.string()),
  lastNote: z.string().nullable(),
  findings: z.strictObject({ total: z.number(), open: z.number(), standing: z.number() }),
  cards: z.array(z.strictObject({ id: z.string(), question: z.string() })),
  owner: z.strictObject({ pid: z.number(), alive: z.boolean() }).nullable(),
  log: z.string().nullable(),
  logTail: z.string().nullable(),
  next: z.string(),
  reportPath: z.string(),
});
export type StatusJson = z.infer<typeof StatusJson>;

// The wire form and the in-memory RunProgress are one shape: either drifting from the other fails the typecheck.
const progressIsStatusJson: Same<RunProgress, StatusJson> = true;
void progressIsStatusJson;

/**
 * `duo wait --json`: a finished run as `duo run` prints it, with its progress; or, when `--timeout` passed first
 * (exit 4), the run still running.
 */
export const WaitJson = z.union([
  RunJson.extend({ progress: StatusJson }),
  z.strictObject({ runId: S.runId, status: z.literal('running'), timedOut: z.literal(true), progress: StatusJson }),
]);
export type WaitJson = z.infer<typeof WaitJson>;
