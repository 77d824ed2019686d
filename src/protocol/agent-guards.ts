/**
 * The guards duo keeps around every agent call, one function each so each can be read and tested alone:
 * the spend cap before a try, the worktree reset before a write try, the read-only check after a read-only call,
 * the commit after a write call, what a failed try leads to (retry, fresh session, pause, stop), and the one rule
 * for whether the run worktree is known clean. `agent-call.ts` runs them in order; none of them decides another's
 * rule. They take the narrow ports they need (a workspace, an event sink), not the whole run.
 */

import type { AgentError } from '../agents/failure.js';
import { type RetryLimits, retryDelay } from '../agents/retry.js';
import type { Workspace } from '../workspace/types.js';
import { Paused } from './run-stops.js';

export type Access = 'read-only' | 'write';

/** Spend cap: an agent whose cap in duo.config.json is reached is not called; the run pauses until it resets. */
export function guardSpendCap(name: string, cap: { until: string; why: string } | null | undefined): void {
  if (cap) throw new Paused(name, cap.until, `${name} reached a spend cap in duo.config.json (${cap.why})`);
}

/**
 * Worktree reset: a write step that died halfway (a crash, a failed try) may have left edits behind, so a write
 * try in the run worktree starts from the last checkpointed commit unless the worktree is known clean there.
 */
export function needsReset(
  access: Access,
  inRun: boolean,
  headSha: string | null | undefined,
  clean: boolean,
): boolean {
  return access === 'write' && inRun && !!headSha && !clean;
}

/** What happened to the run worktree, as far as whether it is exactly at headSha with nothing uncommitted. */
export type WorktreeEvent =
  /** A write try starts: the agent may leave anything behind. */
  | { kind: 'write-start' }
  /** A read-only call wrote files; `discarded`: duo put the worktree back. */
  | { kind: 'read-only-violation'; discarded: boolean }
  /** A read-only call wrote nothing, as git confirmed; `wasClean`: nothing was uncommitted before it either. */
  | { kind: 'read-only-checked'; wasClean: boolean }
  /** A write step committed (or found nothing to commit): the worktree is at headSha. */
  | { kind: 'committed' }
  /** duo made the worktree exactly headSha: created it there, or reset it there on resume. */
  | { kind: 'placed' }
  /** Something other than an agent call (a verify command, a patch) touched the worktree. */
  | { kind: 'touched' };

/** The one rule for RunContext.worktreeClean after an event in an agent call. */
export function worktreeCleanAfter(event: WorktreeEvent): boolean {
  switch (event.kind) {
    case 'write-start':
    case 'touched':
      return false;
    case 'read-only-violation':
      return event.discarded;
    case 'read-only-checked':
      return event.wasClean;
    case 'committed':
    case 'placed':
      return true;
  }
}

/** Files an agent wrote during a read-only call, and whether duo discarded them. */
export interface ReadOnlyViolation {
  paths: string[];
  discarded: boolean;
}

/**
 * Read-only enforcement, by duo and not only by each CLI's sandbox: whatever an agent wrote in the worktree during
 * a read-only call is discarded (when the worktree was clean before, so nothing of duo's is lost) and recorded.
 * One mechanism for every agent, including a `command` CLI that has no sandbox of its own. The caller records it.
 */
export async function enforceReadOnly(
  ws: Pick<Workspace, 'changedFiles' | 'resetTo' | 'head'>,
  cwd: string,
  before: string[],
): Promise<ReadOnlyViolation | undefined> {
  const paths = (await ws.changedFiles(cwd)).filter((p) => !before.includes(p));
  if (!paths.length) return undefined;
  const discarded = before.length === 0;
  if (discarded) await ws.resetTo(cwd, await ws.head(cwd));
  return { paths, discarded };
}

/**
 * Commit of a write step: what the call changed (after protected edits were put back) becomes one commit. An agent
 * that committed by itself moved HEAD with nothing left to stage: that commit is the step's. Null: nothing changed.
 */
export async function commitStep(
  ws: Pick<Workspace, 'commitAll' | 'head'>,
  cwd: string,
  message: string,
  preSha: string | undefined,
  changed: number,
  reverted: number,
): Promise<string | null> {
  if (changed === 0) return null;
  // Reverting rewrote files after changedPaths staged them: the index is complete only when nothing was reverted.
  const commit = await ws.commitAll(cwd, message, { staged: reverted === 0 });
  if (commit) return commit;
  if (preSha) {
    const head = await ws.head(cwd);
    if (head !== preSha) return head;
  }
  return null;
}

/** What a failed try leads to. */
export type FailureAction =
  | { kind: 'interrupt' }
  | { kind: 'pause'; until: string }
  | { kind: 'fresh-session' }
  | { kind: 'retry'; waitMs: number }
  | { kind: 'fail' };

/**
 * Retry policy of a call: Ctrl-C stops; a plan limit reached until a known time pauses (retrying now only spends
 * the retries); a lost session is started afresh with the full prompt; otherwise the agents' retry policy decides.
 */
export function onFailure(
  err: AgentError,
  attempt: number,
  limits: RetryLimits,
  opts: { aborted: boolean; resuming: boolean },
): FailureAction {
  if (err.failure === 'aborted' || opts.aborted) return { kind: 'interrupt' };
  if (err.failure === 'rate-limited' && err.resetAt) return { kind: 'pause', until: err.resetAt };
  if (err.failure === 'session-lost' && opts.resuming) return { kind: 'fresh-session' };
  const wait = retryDelay(err, attempt, limits);
  return wait === null ? { kind: 'fail' } : { kind: 'retry', waitMs: wait };
}
