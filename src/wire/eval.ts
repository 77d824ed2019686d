/**
 * The `--json` of `duo eval`: `mine` (the tasks found in the history), `run` (how far it got, and the report) and
 * `report`/`merge` (the report of an eval folder). The report is eval/report.ts's own schema; the mined commits are
 * checked against eval/mine.ts's type at compile time. The field names are stable: scripts rely on them.
 */

import { z } from 'zod';
import type { MinedCommit } from '../eval/mine.js';
import { EvalReport } from '../eval/report.js';
import type { EvalStop } from '../eval/run.js';
import type { Same } from './same.js';

const MinedCommitJson = z.strictObject({
  sha: z.string(),
  subject: z.string(),
  outcome: z.enum(['task', 'skipped', 'not-candidate']),
  /** Why it is no task. */
  reason: z.string().nullable(),
  failToPass: z.number(),
  passToPass: z.number(),
  durationMs: z.number(),
});

/** `duo eval mine --json -o <file>`: where the tasks went, how many, and what each examined commit came to. */
export const EvalMineJson = z.strictObject({
  output: z.string(),
  tasks: z.number(),
  interrupted: z.boolean(),
  summary: z.string(),
  commits: z.array(MinedCommitJson),
});
export type EvalMineJson = z.infer<typeof EvalMineJson>;

/** `duo eval report|merge --json`: the eval folder and its report. */
export const EvalReportJson = z.strictObject({ dir: z.string(), report: EvalReport });
export type EvalReportJson = z.infer<typeof EvalReportJson>;

const STOPS = ['done', 'interrupted', 'paused', 'budget'] as const;

/** `duo eval run --json`: why it stopped, how many of its runs are done, what it spent, and the report so far. */
export const EvalRunJson = EvalReportJson.extend({
  stop: z.enum(STOPS),
  done: z.number(),
  total: z.number(),
  spentUsd: z.number(),
});
export type EvalRunJson = z.infer<typeof EvalRunJson>;

const checks: [Same<z.infer<typeof MinedCommitJson>, MinedCommit>, Same<(typeof STOPS)[number], EvalStop>] = [
  true,
  true,
];
void checks;
