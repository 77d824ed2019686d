/**
 * The `--json` of the commands over the record and a run's branch: `duo log` (the list, and `--html`), `duo memory`
 * (the list, and `forget`), `duo diff`, `duo decide` and `duo clean`. Each writer is typed by its schema here, and
 * the in-memory shapes they print (the index's rows, the memory's entries, the workspace's diff) are checked against
 * these at compile time, so the wire form cannot drift from them. The field names are stable: scripts rely on them.
 */

import { z } from 'zod';
import { DeclinedFinding, HouseRule } from '../protocol/memory.js';
import { Decision, RunState } from '../protocol/types.js';
import type { MemoryEntry, RepoMemoryList } from '../record/memory.js';
import type { RunHit, SearchMatch } from '../record/query.js';
import type { DiffSummary } from '../workspace/types.js';
import type { Same } from './same.js';

const S = RunState.shape;

const Match = z.strictObject({ kind: z.string(), label: z.string(), snippet: z.string() });

/** `duo log --json`: the runs shown (newest first), the damaged records among them, and how many matched. */
export const LogJson = z.strictObject({
  runs: z.array(
    z.strictObject({
      runId: S.runId,
      /** When the run was created. */
      date: z.string(),
      task: z.string(),
      mode: z.string(),
      requestedMode: z.string(),
      status: z.string(),
      findings: z.number(),
      open: z.number(),
      disagreements: z.number(),
      branch: z.string().nullable(),
      repo: z.string(),
      pausedUntil: z.string().nullable(),
      /** With --search: where the words were found. */
      matches: z.array(Match).optional(),
    }),
  ),
  damaged: z.array(z.strictObject({ runId: S.runId, repo: z.string(), error: z.string() })),
  /** How many runs matched before --limit. */
  total: z.number(),
  /** How many of them are shown (damaged ones included). */
  shown: z.number(),
});
export type LogJson = z.infer<typeof LogJson>;

/** `duo log --html --json`: the record page written, and what it holds. */
export const LogHtmlJson = z.strictObject({ htmlPath: z.string(), runs: z.number(), bytes: z.number() });
export type LogHtmlJson = z.infer<typeof LogHtmlJson>;

/** One declined finding in the memory: the newest decision on its thread, where, and how many times. */
const MemoryEntryJson = z.strictObject({
  ...DeclinedFinding.shape,
  repo: z.string(),
  /** The fingerprint as shown (and accepted by `duo memory forget`). */
  short: z.string(),
  times: z.number(),
});

/** `duo memory --json`: the declined findings, the revocations, and (in one repository) its house rules. */
export const MemoryJson = z.strictObject({
  repos: z.array(z.string()),
  declined: z.array(MemoryEntryJson),
  forgotten: z.array(z.strictObject({ fingerprint: z.string(), at: z.string(), by: z.string(), repo: z.string() })),
  rules: z.array(HouseRule),
  /** null with --all-repos. */
  rulesFile: z.string().nullable(),
});
export type MemoryJson = z.infer<typeof MemoryJson>;

/** `duo memory forget --json`: the entry revoked. */
export const ForgetJson = z.strictObject({ forgotten: MemoryEntryJson });
export type ForgetJson = z.infer<typeof ForgetJson>;

/** `duo diff --json`: what the run changed against its base (`patch` absent with --stat). */
export const DiffJson = z.strictObject({
  runId: S.runId,
  base: z.string(),
  branch: z.string(),
  files: z.array(
    z.strictObject({
      path: z.string(),
      status: z.enum(['A', 'C', 'D', 'M', 'R', 'T', 'U', 'X']),
      binary: z.boolean(),
      added: z.number(),
      removed: z.number(),
      summarised: z.boolean(),
    }),
  ),
  /** A file shown as a summary (binary, or too large), and how to see it whole. */
  notes: z.array(z.string()),
  patch: z.string().optional(),
});
export type DiffJson = z.infer<typeof DiffJson>;

/** `duo decide --json`: the decision recorded, the one it replaced (with --amend), and the next step. */
export const DecideJson = z.strictObject({
  runId: S.runId,
  cardId: z.string(),
  decision: Decision,
  amended: Decision.nullable(),
  next: z.string(),
});
export type DecideJson = z.infer<typeof DecideJson>;

/** `duo clean --json`: the runs removed, the ones kept and why, and the running ones left alone. */
export const CleanJson = z.strictObject({
  removed: z.array(S.runId),
  /** --all: their records were removed too. */
  records: z.boolean(),
  kept: z.array(z.strictObject({ runId: S.runId, why: z.string() })),
  running: z.array(S.runId),
});
export type CleanJson = z.infer<typeof CleanJson>;

// The in-memory shapes these print, and the wire's: either drifting from the other fails the typecheck.
const checks: [
  Same<z.infer<typeof MemoryEntryJson>, MemoryEntry>,
  Same<MemoryJson['forgotten'], RepoMemoryList['forgotten']>,
  Same<z.infer<typeof Match>, SearchMatch>,
  Same<LogJson['runs'][number]['findings'], RunHit['findings']>,
  Same<DiffJson['files'], DiffSummary['files']>,
] = [true, true, true, true, true];
void checks;
