import { rmSync } from 'node:fs';
import { acquireRunLock, applyRun, cleanRuns } from '../../workspace/index.js';
import { UsageError } from '../errors.js';
import { openSession } from '../setup.js';
import { effectiveStatus } from './records.js';

export async function applyCommand(runId: string, flags: { force?: boolean; config?: string }): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const release = acquireRunLock(session.store.dir(runId));
  try {
    const state = session.store.load(runId);
    if (!state.worktree)
      throw new UsageError(`run ${runId} never got as far as creating its branch; there is nothing to apply.`);
    const status = effectiveStatus(state);
    if (status !== 'green' && !flags.force) {
      throw new UsageError(
        `run ${runId} is ${status}, not green: its change did not pass the verify gate. ` +
          `Read ${session.store.dir(runId)}/report.md; \`duo apply ${runId} --force\` applies it anyway.`,
      );
    }
    // A review's branch starts with the user's own changes (the snapshot): only what the driver added on top of
    // it is brought over.
    const review = state.options.review;
    if (review && state.headSha === review.head) {
      process.stdout.write(`run ${runId} reviewed your changes and made none of its own: nothing to apply.\n`);
      return 0;
    }
    const result = await applyRun(session.repoRoot, {
      branch: state.worktree.branch,
      baseSha: review ? review.head : state.worktree.baseSha,
      force: !!flags.force,
    });
    if (status !== 'green') process.stderr.write(`warning: applying a ${status} run because of --force\n`);
    process.stdout.write(
      `applied run ${runId} to your working tree (uncommitted): ${result.files.join(', ') || 'no files changed'}\n`,
    );
    return 0;
  } finally {
    release();
  }
}

export async function cleanCommand(runIds: string[], flags: { all?: boolean; config?: string }): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const { runs } = session.store.list();
  const finished = runs.filter(
    (r) => !['running', 'awaiting-decision', 'interrupted'].includes(effectiveStatus(r)) || r.status === 'failed',
  );
  const targets = runIds.length ? runs.filter((r) => runIds.includes(r.runId)) : finished;
  for (const id of runIds)
    if (!runs.some((r) => r.runId === id)) throw new UsageError(`no run "${id}"; \`duo log\` lists them.`);
  const live = targets.filter((r) => effectiveStatus(r) === 'running');
  if (live.length)
    throw new UsageError(`run(s) ${live.map((r) => r.runId).join(', ')} are still running; stop them first.`);
  await cleanRuns(
    session.repoRoot,
    targets.map((r) => r.runId),
  );
  if (flags.all) {
    for (const r of targets) {
      const release = acquireRunLock(session.store.dir(r.runId));
      release();
      rmSync(session.store.dir(r.runId), { recursive: true, force: true });
    }
  }
  process.stdout.write(
    `removed the worktrees and branches of ${targets.length} run(s)${flags.all ? ' and their records' : '; records kept (--all removes them too)'}\n`,
  );
  return 0;
}
