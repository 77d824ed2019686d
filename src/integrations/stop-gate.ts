/**
 * The stop-time review gate's rules, pure. When Claude Code is about to stop, `duo hook stop` reviews the session's
 * uncommitted changes (`duo review`) and may send Claude back with the findings. What users of such gates hate —
 * loops, and being blocked by an infrastructure failure — is ruled out here:
 * - `stop_hook_active` (Claude is already continuing because of a stop hook): let go, always;
 * - at most `maxBlocks` blocks per session, and never twice for the same tree (nothing changed: nothing new to say);
 * - only a finding or a failing check is a reason to block; a review that could not run (duo broken, an agent not
 *   logged in, a timeout, a crash) lets Claude stop, with a note the user sees.
 */

import { z } from 'zod';

export const StopInput = z.object({
  session_id: z.string().default('unknown'),
  cwd: z.string().optional(),
  stop_hook_active: z.boolean().default(false),
  hook_event_name: z.string().optional(),
});
export type StopInput = z.infer<typeof StopInput>;

/** What Claude Code reads from a Stop hook's stdout (exit 0). */
export interface HookOutput {
  decision?: 'block';
  reason?: string;
  systemMessage?: string;
}

/** The part of `duo review --json` the gate reads. */
export const ReviewResult = z.object({
  runId: z.string().nullable(),
  status: z.string(),
  reportPath: z.string().optional(),
  findings: z
    .array(
      z.object({
        id: z.string(),
        severity: z.string(),
        claim: z.string(),
        resolution: z.string(),
        phase: z.string().optional(),
      }),
    )
    .default([]),
  verify: z.array(z.object({ command: z.string(), exitCode: z.number().nullable(), passed: z.boolean() })).default([]),
  integrity: z
    .object({
      comparisons: z.array(z.object({ command: z.string(), preExisting: z.string().nullable().optional() })),
    })
    .nullable()
    .optional(),
  error: z.object({ message: z.string(), hint: z.string().nullable().optional() }).nullable().optional(),
});
export type ReviewResult = z.infer<typeof ReviewResult>;

/** Per session: how often the gate blocked, and the tree it last reviewed. */
export interface GateMemory {
  blocks: number;
  lastTree: string | null;
  lastRunId: string | null;
  /** Whether the review of lastTree blocked. */
  lastBlocked?: boolean;
}

/** What stands against the changes: blocker/major findings not resolved, and checks that fail where they passed. */
function reasonsToBlock(r: ReviewResult): string[] {
  const standing = r.findings.filter(
    (f) =>
      (f.severity === 'blocker' || f.severity === 'major') && (f.resolution === 'open' || f.resolution === 'escalated'),
  );
  const comparisons = r.integrity?.comparisons ?? [];
  const failing = r.verify.filter((v, i) => !v.passed && comparisons[i]?.preExisting !== 'all');
  return [
    ...standing.map((f) => `[${f.id}] ${f.severity}: ${f.claim.split('\n')[0]}`),
    ...failing.map((v) => `the check \`${v.command}\` fails (exit ${v.exitCode ?? 'none'})`),
  ];
}

export type GateVerdict =
  | { kind: 'block'; output: HookOutput }
  | { kind: 'pass'; output: HookOutput }
  /** The review could not be judged: let Claude stop, and say why. */
  | { kind: 'fail-open'; output: HookOutput };

/** `duo review --json`'s stdout through its schema; null when it is not a review result (duo failed to print one). */
export function readReview(stdout: string): ReviewResult | null {
  try {
    return ReviewResult.parse(JSON.parse(stdout));
  } catch {
    return null;
  }
}

/** Judges a finished review (`exitCode` of `duo review --json`, its stdout) for a session with `memory`. */
export function judgeReview(
  exitCode: number | undefined,
  stdout: string,
  maxBlocks: number,
  blocks: number,
): GateVerdict {
  const parsed = readReview(stdout);
  if (!parsed) return failOpen(`duo review ended with exit code ${exitCode ?? 'none'} and no readable result`);
  if (parsed.status === 'nothing-to-review') return { kind: 'pass', output: {} };
  // Did not finish, for reasons that are not the change's fault (a paused review waits for an agent's plan limit).
  if (['failed', 'interrupted', 'awaiting-decision', 'paused'].includes(parsed.status)) {
    const why = parsed.error?.message.split('\n')[0] ?? parsed.status;
    return failOpen(
      `the review did not finish (${why}${parsed.error?.hint ? `; ${parsed.error.hint}` : ''})`,
      parsed.runId,
    );
  }
  const reasons = reasonsToBlock(parsed);
  if (!reasons.length)
    return {
      kind: 'pass',
      output: { systemMessage: `duo review (${parsed.runId}): ${parsed.status}, nothing blocking in your changes.` },
    };
  const left = maxBlocks - blocks - 1;
  return {
    kind: 'block',
    output: {
      decision: 'block',
      reason: [
        `duo review (run ${parsed.runId}) of your uncommitted changes found problems that stand:`,
        ...reasons.map((r) => `- ${r}`),
        'Address each before you stop: fix it, or say plainly why it is wrong. Do not weaken or skip a test to get past it.',
        `Report: ${parsed.reportPath ?? `duo show ${parsed.runId}`}.${left > 0 ? '' : ' (The gate will not block this session again.)'}`,
      ].join('\n'),
    },
  };
}

export function failOpen(why: string, runId?: string | null): GateVerdict {
  return {
    kind: 'fail-open',
    output: {
      systemMessage: `duo review gate could not review this stop — ${why}. Not blocking.${runId ? ` (run ${runId})` : ''}`,
    },
  };
}
