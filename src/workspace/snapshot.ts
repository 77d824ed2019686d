/**
 * Commits of what the user has, made without touching it: every snapshot is built through a private copy of the
 * index (GIT_INDEX_FILE) and `commit-tree`, so neither their index, their files nor any ref changes. A commit no ref
 * points at lives until git's gc prunes it (two weeks by default); a run's branch keeps the ones it uses.
 */

import { copyFileSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { RepoError } from './errors.js';
import { COMMIT_CONFIG, git, gitRaw } from './git.js';

export type SnapshotScope = 'uncommitted' | 'staged';

/**
 * A commit on top of HEAD holding the user's uncommitted work: everything (staged, unstaged, untracked and not
 * ignored), or only what is staged. Null when there is nothing of that kind. `leaveOut`: paths kept as they are at
 * HEAD (duo's own set-up files, which are not the user's work).
 */
export async function snapshotCommit(
  repoRoot: string,
  scope: SnapshotScope,
  leaveOut: string[] = [],
): Promise<string | null> {
  const dir = mkdtempSync(join(tmpdir(), 'duo-index-'));
  const index = join(dir, 'index');
  const env = { GIT_INDEX_FILE: index };
  try {
    if (scope === 'uncommitted') {
      await git(repoRoot, ['read-tree', 'HEAD'], { env });
      await git(repoRoot, ['add', '-A'], { env });
    } else {
      // The staged work is the user's index itself: copy it, never write it.
      const real = resolve(repoRoot, (await git(repoRoot, ['rev-parse', '--git-path', 'index'])).trim());
      if (existsSync(real)) copyFileSync(real, index);
      else await git(repoRoot, ['read-tree', 'HEAD'], { env });
    }
    if (leaveOut.length)
      await git(repoRoot, ['reset', '-q', 'HEAD', '--', ...leaveOut.map((p) => `:(literal)${p}`)], { env });
    const tree = (await git(repoRoot, ['write-tree'], { env })).trim();
    const headTree = (await git(repoRoot, ['rev-parse', 'HEAD^{tree}'])).trim();
    if (tree === headTree) return null;
    const message =
      scope === 'uncommitted' ? 'duo: snapshot of uncommitted changes' : 'duo: snapshot of staged changes';
    return (await git(repoRoot, [...COMMIT_CONFIG, 'commit-tree', tree, '-p', 'HEAD', '-m', message])).trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What `duo review` looks at: the diff base → head, both fixed now, in words for the report. */
export interface ReviewRange {
  base: string;
  head: string;
  label: string;
}

/**
 * The review's range for a scope: uncommitted (default) or staged work against HEAD, or — with a ref — what HEAD
 * adds over it (from their merge-base, like a pull request). Null when there is nothing to review.
 */
export async function reviewRange(
  repoRoot: string,
  target: { scope: 'uncommitted' | 'staged'; leaveOut?: string[] } | { scope: 'base'; ref: string },
): Promise<ReviewRange | null> {
  const head = (await git(repoRoot, ['rev-parse', 'HEAD'])).trim();
  const branch = await gitRaw(repoRoot, ['symbolic-ref', '--short', '-q', 'HEAD']);
  const where = branch.exitCode === 0 ? branch.stdout.trim() : `detached HEAD ${head.slice(0, 10)}`;
  if (target.scope === 'base') {
    const ref = await gitRaw(repoRoot, ['rev-parse', '--verify', '-q', `${target.ref}^{commit}`]);
    if (ref.exitCode !== 0)
      throw new RepoError(
        `--base ${target.ref}: no such branch or commit here. Name the branch your work will merge into ` +
          '(e.g. main or origin/main; in CI fetch it first: git fetch origin main).',
      );
    const base = await gitRaw(repoRoot, ['merge-base', ref.stdout.trim(), head]);
    if (base.exitCode !== 0)
      throw new RepoError(`--base ${target.ref} shares no history with ${where}; there is no range to review.`);
    const from = base.stdout.trim();
    if ((await gitRaw(repoRoot, ['diff', '--quiet', from, head])).exitCode === 0) return null;
    return { base: from, head, label: `${where} against ${target.ref} (from their merge-base ${from.slice(0, 10)})` };
  }
  const snapshot = await snapshotCommit(repoRoot, target.scope, target.leaveOut);
  if (!snapshot) return null;
  return {
    base: head,
    head: snapshot,
    label: `the ${target.scope === 'staged' ? 'staged' : 'uncommitted'} changes on ${where} (against ${head.slice(0, 10)})`,
  };
}
