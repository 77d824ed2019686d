/**
 * The integrity verdict's shapes: what the caller measured (the input) and what the verdict records (zod schemas,
 * stored in the run record as they are, so these are their one definition).
 */
import { z } from 'zod';
import { TestCounts } from '../counts.js';
import { type VerifyCommand, VerifyKind, type VerifyResult } from '../types.js';
import type { Suspect } from './cheats.js';
import type { AddedMarker } from './markers.js';
import type { ProtectedKind } from './protection.js';

export const Acceptance = z.object({ by: z.enum(['plan', 'skeptic', 'human']), note: z.string() });
export type Acceptance = z.infer<typeof Acceptance>;

export interface ProtectedChange {
  path: string;
  status: 'A' | 'M' | 'D';
  kind: ProtectedKind;
  /** The file existed at the base (only pre-existing tests are protected; new ones are the run's own). */
  preExisting: boolean;
  /** What changed, in a line or a short diff, for the report and the agents. */
  detail: string;
  /** For a test-side file: "an existing test" or "an existing test helper". */
  label?: string;
  acceptance: Acceptance | null;
}

export interface MarkerChange extends AddedMarker {
  preExisting: boolean;
  acceptance: Acceptance | null;
}

export interface OriginalRun {
  /** Pre-existing test files put back to their base version for this run. */
  restored: string[];
  /** Index into the gate's commands of each result. */
  commandIndexes: number[];
  results: VerifyResult[];
}

export interface SuspectCode extends Suspect {
  acceptance: Acceptance | null;
}

/** Files a run changed outside its worktree: the user's dependencies, or the repository's shared .git. */
export interface OutsideWrite {
  /** The folder written into, as the user knows it (`node_modules`, `packages/app/node_modules`, `.git`). */
  dir: string;
  /** Changed paths under it (capped), and how many in all. */
  paths: string[];
  count: number;
  /** The step during which it was found. */
  step: string;
  /** How to put it back. */
  restore: string;
  /**
   * For the user's working tree (`dir` "."): the changed paths the run's own change also touches. Only those are
   * the run's beyond doubt; other files there may be the user's own edits while the run went on.
   */
  overlap?: string[];
}

export interface IntegrityInput {
  commands: VerifyCommand[];
  /** The same commands on the untouched base, in the same order; null when no baseline could be taken. */
  baseline: VerifyResult[] | null;
  final: VerifyResult[];
  original: OriginalRun | null;
  /** The original versions of declared and accepted test changes, re-run for the record: never blocking. */
  declared: OriginalRun | null;
  changes: ProtectedChange[];
  markers: MarkerChange[];
  suspects: SuspectCode[];
  outside: OutsideWrite[];
  /** Issues accepted after they were raised (by the skeptic or the human), by issue key. */
  accepted: Record<string, Acceptance>;
}

/** The verdict is stored in the run record as it is; these schemas are its one definition. */
export const IssueKind = z.enum([
  'gate-definition',
  'test-changed',
  'original-fails',
  'skip-added',
  'count-drop',
  /** Added code that detects the runner, exits at import, patches assertions or special-cases test inputs. */
  'suspect-code',
  /** The run wrote outside its worktree (the user's dependencies, the shared .git). */
  'outside-write',
  /** The original version of a test changed on purpose fails on the final code: shown, never blocking. */
  'declared-original-fails',
]);
export type IssueKind = z.infer<typeof IssueKind>;

export const IntegrityIssue = z.object({
  /** Stable across attempts: the same problem keeps its key (and its ledger entry). */
  key: z.string(),
  kind: IssueKind,
  path: z.string().nullable(),
  command: z.string().nullable(),
  line: z.number().nullable(),
  /** One line, in words a user understands. */
  title: z.string(),
  evidence: z.string(),
  /** Needs acceptance before the run can be green. */
  blocking: z.boolean(),
  acceptance: Acceptance.nullable(),
});
export type IntegrityIssue = z.infer<typeof IntegrityIssue>;

export const Side = z.object({
  exitCode: z.number().nullable(),
  passed: z.boolean(),
  counts: TestCounts.optional(),
  problems: z.number().optional(),
});
export type Side = z.infer<typeof Side>;

export const CommandComparison = z.object({
  command: z.string(),
  kind: VerifyKind,
  base: Side.nullable(),
  final: Side,
  /** For a command failing at the end: were its failures already there at the base? null: it passed, or no base. */
  preExisting: z.enum(['all', 'some', 'none', 'unknown']).nullable(),
  newFailures: z.array(z.string()).optional(),
});
export type CommandComparison = z.infer<typeof CommandComparison>;

export const IntegrityVerdict = z.object({
  comparisons: z.array(CommandComparison),
  issues: z.array(IntegrityIssue),
  /** Keys of blocking issues nobody accepted: while any is left, the run is not green. */
  unaccepted: z.array(z.string()),
  /** Why the run is not green because of the checks, in plain words; null when nothing is unaccepted. */
  headline: z.string().nullable(),
});
export type IntegrityVerdict = z.infer<typeof IntegrityVerdict>;
