import { rmSync } from 'node:fs';
import type { RunState } from '../../protocol/types.js';
import { writeRunArtifacts } from '../../record/artifacts.js';
import { acquireRunLock, LockedError } from '../../record/lock.js';
import { UsageError } from '../../sys/duo-error.js';
import type { CleanJson } from '../../wire/records.js';
import { cleanRuns, existingRunBranches, hasRunWorktrees } from '../../workspace/index.js';
import type { CleanFlags } from '../flags.js';
import { printJson } from '../json.js';
import { openSession, resolveRun, type Session } from '../setup.js';
import { effectiveStatus } from '../status.js';

/** Said wherever a run's branch was removed (by `duo clean`, or by hand) and the command needed it. */
export function branchGone(runId: string, consequence: string): string {
  return (
    `run ${runId}'s branch duo/${runId} is gone (removed by \`duo clean\`, or by hand), so ${consequence}. ` +
    `Its record stays: \`duo show ${runId}\`.`
  );
}

/** The change is in the user's tree: recorded, and the report's next step says so instead of "apply". */
export function markApplied(session: Session, state: RunState, files: string[]): void {
  state.applied = { at: new Date().toISOString(), files };
  session.store.save(state);
  writeRunArtifacts(session.store, state);
}

interface Candidate {
  runId: string;
  /** Why removing it loses something (it can still be resumed or applied, or its record cannot be read). */
  keep?: string;
  /** A branch or worktree exists to remove. */
  present: boolean;
}

/**
 * Removes runs' branches and worktrees (and with --all their records). By default only what cannot be wanted any
 * more: applied runs, and finished runs that cannot be resumed. A run that can still be resumed or applied, or
 * whose record is damaged, needs --force (a damaged one named explicitly does not: it cannot be resumed), and is
 * listed before anything is removed. A running run is never touched, and is named.
 */
export async function cleanCommand(refs: string[], flags: CleanFlags): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const { repoRoot, store } = session;
  const named = new Set<string>();
  for (const ref of refs) named.add(await resolveRun(session, ref));
  const { runs, damaged } = store.list();
  const byId = new Map(runs.map((r) => [r.runId, r]));
  const damagedIds = new Set(damaged.map((d) => d.runId));
  // Said as it happens, or gathered into one JSON object at the end.
  const say = (text: string) => {
    if (!flags.json) process.stdout.write(text);
  };
  const live = runs.filter((r) => (named.size === 0 || named.has(r.runId)) && effectiveStatus(r) === 'running');
  if (named.size && live.length)
    throw new UsageError(
      `run(s) ${live.map((r) => r.runId).join(', ')} are still running; stop them first.`,
      `\`duo cancel ${live[0]?.runId}\` stops a run (it stays resumable).`,
    );
  if (live.length)
    say(
      `left ${live.length} running run(s) alone (\`duo cancel <runId>\` stops one): ${live.map((r) => r.runId).join(', ')}\n`,
    );

  const branches = await existingRunBranches(repoRoot);
  const ids = named.size ? [...named] : [...byId.keys(), ...damagedIds];
  const candidates: Candidate[] = [];
  for (const runId of ids) {
    const present = branches.has(runId) || hasRunWorktrees(repoRoot, runId);
    const state = byId.get(runId);
    if (state && effectiveStatus(state) === 'running') continue;
    const keep = state ? worthKeeping(state, present) : named.has(runId) ? undefined : 'damaged record';
    // Nothing left to remove, and the record stays anyway: not worth a line.
    if (!present && !flags.all) continue;
    candidates.push({ runId, present, ...(keep ? { keep } : {}) });
  }
  const kept = flags.force ? [] : candidates.filter((c): c is Candidate & { keep: string } => !!c.keep);
  const targets = candidates.filter((c) => flags.force || !c.keep);

  const listing = (cs: Candidate[]) => cs.map((c) => `  ${c.runId} ${c.keep}\n`).join('');
  if (kept.length)
    say(
      `kept ${kept.length} run(s) that can still be used (\`duo clean --force\` removes them too):\n${listing(kept)}`,
    );
  const risky = targets.filter((c) => c.keep);
  if (risky.length) say(`removing ${risky.length} run(s) that could still be used (--force):\n${listing(risky)}`);

  // Every target's lock first, so nothing is removed from under a `duo apply` or `resume` still at work.
  const releases: (() => void)[] = [];
  try {
    for (const c of targets) releases.push(acquireRunLock(store.dir(c.runId)));
  } catch (e) {
    for (const r of releases) r();
    if (e instanceof LockedError) throw new UsageError(`${e.message} Nothing was removed.`);
    throw e;
  }
  try {
    await cleanRuns(
      repoRoot,
      targets.filter((c) => c.present).map((c) => c.runId),
    );
    if (flags.all) for (const c of targets) rmSync(store.dir(c.runId), { recursive: true, force: true });
  } finally {
    for (const r of releases) r();
  }

  if (flags.json)
    printJson({
      removed: targets.map((c) => c.runId),
      records: !!flags.all,
      kept: kept.map((c) => ({ runId: c.runId, why: c.keep })),
      running: live.map((r) => r.runId),
    } satisfies CleanJson);
  else if (targets.length === 0) say('nothing to clean.\n');
  else {
    const what = flags.all ? 'branches, worktrees and records' : 'branches and worktrees';
    say(
      `removed the ${what} of ${targets.length} run(s): ${targets.map((c) => c.runId).join(', ')}` +
        `${flags.all ? '' : '; records kept (--all removes them too)'}\n`,
    );
  }
  return kept.some((c) => named.has(c.runId)) ? 1 : 0;
}

/** Why a run is still worth its branch, or undefined when removing it loses nothing. */
function worthKeeping(state: RunState, present: boolean): string | undefined {
  const status = effectiveStatus(state);
  const resumable =
    status === 'failed' || status === 'interrupted' || status === 'awaiting-decision' || status === 'paused';
  // A resumable run without a worktree yet is resumed from scratch; one whose branch is gone cannot be.
  if (resumable && (present || !state.worktree)) return `${status}: \`duo resume ${state.runId}\` continues it`;
  // A review whose driver made no fix has nothing of its own to bring in: its branch is only the user's snapshot.
  const nothingToApply = !!state.options.review && state.headSha === state.options.review.head;
  if (status === 'green' && !state.applied && present && !nothingToApply)
    return `green, not applied: \`duo apply ${state.runId}\` brings it in`;
  return undefined;
}
