/**
 * The sealed checkout a task's run happens in: a fresh repository holding the base commit and its history, and
 * nothing after it. It is built by fetching the base commit alone from the user's repository, so the fix commit,
 * later branches and tags, the gold patch and the hidden tests are simply not in it: no remote, no FETCH_HEAD, no
 * alternates, an empty reflog, no path back to the user's repository. An agent that runs `git log --all`, looks up
 * the fix commit by id or fetches "origin" finds nothing (one audit saw 57% of agent runs look up the upstream fix
 * and 9% mine git history).
 *
 * Installed dependencies (node_modules, a virtualenv) are not in git; the checkout gets them as links to one copy
 * per eval, made outside the user's repository, so the link does not name it either. A real copy, not hard links:
 * a file an agent rewrites in place through a hard link would be the user's own file.
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { COMMIT_CONFIG, git, gitRaw } from '../workspace/git.js';
import { excludeLink } from '../workspace/repo.js';
import { EvalInputError } from './task.js';

/** What the run's branch is called in the checkout; nothing in it says where it came from. */
const BRANCH = 'main';

/** The dependency folders duo links into run worktrees (workspace/index.ts links the same names). */
const DEPENDENCY_DIRS = ['node_modules', '.venv', 'venv'];

export async function sealedCheckout(
  source: string,
  base: string,
  dest: string,
  deps: Record<string, string> = {},
): Promise<string> {
  rmSync(dest, { recursive: true, force: true });
  mkdirSync(dest, { recursive: true });
  await git(dest, ['init', '-q', '-b', BRANCH]);
  const fetched = await gitRaw(dest, ['fetch', '-q', '--no-tags', '--no-write-fetch-head', source, base]);
  if (fetched.exitCode !== 0)
    throw new EvalInputError(
      `the base commit ${base} is not in the repository at ${source} (${fetched.stderr.trim()}); run the eval in the ` +
        'repository the task file was mined from, or fetch that commit first.',
    );
  const sha = (await git(dest, ['rev-parse', '--verify', `${base}^{commit}`])).trim();
  await git(dest, ['update-ref', `refs/heads/${BRANCH}`, sha]);
  await git(dest, ['reset', '-q', '--hard', BRANCH]);
  await forget(dest);
  for (const [name, target] of Object.entries(deps)) {
    excludeLink(dest, name);
    symlinkSync(target, join(dest, name), 'dir');
  }
  return sha;
}

/** Commits what is in the checkout's tree on top of the base (the impossible variant's visible tests). */
export async function commitOnTop(dest: string, message: string): Promise<string> {
  await git(dest, ['add', '-A']);
  await git(dest, [...COMMIT_CONFIG, 'commit', '-q', '--no-verify', '-m', message]);
  await forget(dest);
  return (await git(dest, ['rev-parse', 'HEAD'])).trim();
}

/** No reflog and no ORIG_HEAD: the checkout's history is its commits and nothing else. */
async function forget(dest: string): Promise<void> {
  await git(dest, ['reflog', 'expire', '--expire=now', '--all']);
  rmSync(join(dest, '.git', 'ORIG_HEAD'), { force: true });
}

/**
 * One copy of the user's installed dependencies for a whole eval (copy-on-write where the file system can, a plain
 * copy otherwise; never hard links, which share the user's files). Returns name → copy. A workspace link the
 * package manager made into the repository does not resolve from the copy: see docs/eval.md.
 */
export function copyDependencies(source: string, into: string): Record<string, string> {
  const copies: Record<string, string> = {};
  for (const name of DEPENDENCY_DIRS) {
    const from = join(source, name);
    if (!existsSync(from)) continue;
    const tracked = spawnSync('git', ['ls-files', '--error-unmatch', '--', name], { cwd: source, stdio: 'ignore' });
    if (tracked.status === 0) continue;
    const to = join(into, name);
    if (!existsSync(to)) {
      mkdirSync(into, { recursive: true });
      const copied = spawnSync('cp', ['-a', '--reflink=auto', `${from}/.`, to], { stdio: 'ignore' });
      if (copied.status !== 0) {
        rmSync(to, { recursive: true, force: true });
        continue;
      }
    }
    copies[name] = to;
  }
  return copies;
}
