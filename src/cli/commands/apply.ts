/**
 * `duo apply [runId] [--force] [--json]`, and the same step for `duo run --apply`: a run's change brought into the
 * user's working tree as uncommitted changes, keeping theirs. Both report one outcome — applied, the files, the
 * conflicts, and a message that names the real cause of a conflict — so `run --apply --json` cannot hide a failed
 * apply behind a green status.
 */
import type { RunState } from '../../protocol/types.js';
import { UsageError } from '../../sys/duo-error.js';
import { localTime } from '../../sys/time.js';
import type { ApplyCommandJson, ApplyJson } from '../../wire/run.js';
import { ApplyError, applyRun, existingRunBranches } from '../../workspace/index.js';
import type { ApplyFlags } from '../flags.js';
import { printJson } from '../json.js';
import { lockRun, openSession, resolveRun, type Session } from '../setup.js';
import { effectiveStatus } from '../status.js';
import { branchGone, markApplied } from './workspace.js';

/** What an apply did, as `--json` prints it (wire/run.ts). */
export type ApplyOutcome = ApplyJson;

/**
 * Brings a run's change into the working tree. A conflict is an outcome, not an exception: nothing of the user's
 * was touched, and the message says why and what to do.
 */
export async function applyToTree(session: Session, state: RunState, force = false): Promise<ApplyOutcome> {
  const wt = state.worktree;
  if (!wt) return { applied: false, files: [], conflicts: [], message: 'the run has no branch: nothing to apply' };
  const review = state.options.review;
  try {
    const { files } = await applyRun(session.repoRoot, {
      branch: wt.branch,
      // A review's branch starts with the user's own changes (the snapshot): only what the driver added on top.
      baseSha: review ? review.head : wt.baseSha,
      force,
    });
    markApplied(session, state, files);
    return {
      applied: true,
      files,
      conflicts: [],
      message: `applied run ${state.runId} to your working tree (uncommitted): ${files.join(', ') || 'no files changed'}`,
    };
  } catch (e) {
    if (!(e instanceof ApplyError)) throw e;
    return { applied: false, files: [], conflicts: e.conflicts, message: conflictMessage(state, e) };
  }
}

/**
 * A run based on a snapshot of the user's uncommitted work (`--include-uncommitted`, or a review of uncommitted or
 * staged changes) assumes those files as they were then: a conflict there means the tree moved away from the
 * snapshot, not that the user's changes are in the way — so the advice differs.
 */
export function conflictMessage(state: RunState, e: ApplyError): string {
  const review = state.options.review;
  const snapshot = state.worktree?.includesUncommitted || (review && review.scope !== 'base');
  if (!snapshot) return e.message;
  const files = e.conflicts.join(', ');
  const base = review ? review.head : state.worktree?.baseSha;
  const what = review
    ? `duo review took of your ${review.scope} changes`
    : 'of your uncommitted changes (--include-uncommitted)';
  return (
    `run ${state.runId} started from a snapshot ${review ? '' : 'duo took '}${what}, and your working tree no longer ` +
    `matches that snapshot in ${files}, so the run's change does not fit there; nothing was changed. Put those files ` +
    `back as they were when the run started (\`git diff ${base?.slice(0, 12)} -- <file>\` shows how they differ now), ` +
    `or merge the branch, which carries the snapshot too: git merge ${state.worktree?.branch}`
  );
}

export async function applyCommand(ref: string | undefined, flags: ApplyFlags): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const runId = await resolveRun(session, ref);
  const release = lockRun(session, runId);
  const say = (outcome: ApplyOutcome, code: number) => {
    if (flags.json) printJson({ runId, ...outcome } satisfies ApplyCommandJson);
    else if (code === 0) process.stdout.write(`${outcome.message}\n`);
    else process.stderr.write(`duo: ${outcome.message}\n`);
    return code;
  };
  try {
    const state = session.store.load(runId);
    if (!state.worktree)
      throw new UsageError(`run ${runId} never got as far as creating its branch; there is nothing to apply.`);
    if (!(await existingRunBranches(session.repoRoot)).has(runId))
      throw new UsageError(branchGone(runId, 'there is nothing left to apply'));
    if (state.applied && !flags.force) {
      const message =
        `run ${runId} is already applied to your working tree (${localTime(state.applied.at)}: ` +
        `${state.applied.files.join(', ') || 'no files'}); nothing to do. \`duo apply ${runId} --force\` applies it again.`;
      return say({ applied: false, files: state.applied.files, conflicts: [], message }, 0);
    }
    const status = effectiveStatus(state);
    if (status !== 'green' && !flags.force) {
      throw new UsageError(
        `run ${runId} is ${status}, not green: its change did not pass the verify gate.`,
        `Read ${session.store.dir(runId)}/report.md; \`duo apply ${runId} --force\` applies it anyway.`,
      );
    }
    const review = state.options.review;
    if (review && state.headSha === review.head) {
      const message = `run ${runId} reviewed your changes and made none of its own: nothing to apply.`;
      return say({ applied: false, files: [], conflicts: [], message }, 0);
    }
    if (status !== 'green' && !flags.json)
      process.stderr.write(`warning: applying a ${status} run because of --force\n`);
    const outcome = await applyToTree(session, state, !!flags.force);
    return say(outcome, outcome.applied ? 0 : 1);
  } finally {
    release();
  }
}
