/**
 * The checkouts duo makes of the user's repository (run worktrees, scratch and pristine gate checkouts): whether a
 * folder is one, the dependency folders linked into each, and the check that a gate checkout holds only its commit.
 */

import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type DependencyDir, dependencyDirs, linkDependencies } from './dependencies.js';
import { git, gitRaw } from './git.js';
import { gitDirsOf, headCommit, listTree } from './git-reads.js';
import { RepoError } from './repo-errors.js';

/**
 * Whether `path` holds a linked worktree's `.git` file naming an admin folder that exists. Git then takes `path` as
 * the top of the checkout and never looks further up, so no git command run there can reach another repository;
 * whether the checkout is usable is for the command to find out. No process, where isWorktree asks git.
 */
export function hasWorktreeLink(path: string): boolean {
  const dirs = gitDirsOf(path);
  // A main checkout's git folder is `.git` itself; a linked worktree's is named by its `.git` file.
  return !!dirs && dirs.gitDir !== join(path, '.git') && existsSync(dirs.gitDir);
}

/** Whether `path` is the top of a git checkout (a worktree that still exists). */
export async function isWorktree(path: string): Promise<boolean> {
  if (!existsSync(path)) return false;
  const r = await gitRaw(path, ['rev-parse', '--show-toplevel']);
  return r.exitCode === 0 && resolve(r.stdout.trim()) === resolve(path);
}

/**
 * Links the user's dependency folders into each checkout of a commit (found once per commit), and remembers every
 * folder linked so far: writes into them are what outsideWrites looks for.
 */
export function dependencyLinker(
  repoRoot: string,
  listFiles: (sha: string) => Promise<readonly string[]> = (sha) => listTree(repoRoot, sha),
): {
  link(checkout: string, sha: string): Promise<DependencyDir[]>;
  /** Starts finding `sha`'s dependency folders (a read of the commit) while the checkout is still being made. */
  prefetch(sha: string): void;
  linked(): DependencyDir[];
} {
  const depsBySha = new Map<string, Promise<DependencyDir[]>>();
  const linked = new Map<string, DependencyDir>();
  const dirsAt = (sha: string) => {
    let deps = depsBySha.get(sha);
    if (!deps) {
      deps = listFiles(sha).then((files) => dependencyDirs(repoRoot, files));
      // Awaited by link(); a failed read is its error, not an unhandled rejection of the prefetch.
      deps.catch(() => {});
      depsBySha.set(sha, deps);
    }
    return deps;
  };
  return {
    prefetch: (sha) => void dirsAt(sha),
    async link(checkout, sha) {
      const dirs = await dirsAt(sha);
      linkDependencies(repoRoot, checkout, dirs);
      for (const d of dirs) linked.set(d.rel, d);
      return dirs;
    },
    linked: () => [...linked.values()],
  };
}

/**
 * The gate judges exactly the commit: after checkout and clean, git must see nothing in the folder beyond the
 * commit but the dependency links (no untracked, ignored or modified file, no path hidden from status).
 */
export async function assertPristine(path: string, sha: string, deps: DependencyDir[]): Promise<void> {
  const problem = await pristineProblem(path, sha, deps);
  if (problem)
    throw new RepoError(
      `the gate's checkout of ${sha.slice(0, 12)} is not pristine (${problem}); ` +
        'duo will not judge a folder that holds more than the commit.',
    );
}

/** What keeps the folder from being exactly the commit (a few paths, or where HEAD is); null when nothing does. */
export async function pristineProblem(path: string, sha: string, deps: DependencyDir[]): Promise<string | null> {
  const [status, head, flags] = await Promise.all([
    git(path, ['status', '--porcelain=v1', '-z', '--ignored=matching', '--untracked-files=all'], {
      stripFinalNewline: false,
    }),
    headCommit(path),
    git(path, ['ls-files', '-v', '-z'], { stripFinalNewline: false }),
  ]);
  const allowed = (p: string) => deps.some((d) => p === d.rel || p === `${d.rel}/` || p.startsWith(`${d.rel}/`));
  const extra = status
    .split('\0')
    .filter(Boolean)
    .map((e) => e.slice(3))
    .filter((p) => !allowed(p));
  const flagged = flags.split('\0').filter((e) => e && e[0] !== 'H');
  if (!extra.length && head === sha && !flagged.length) return null;
  return [...extra, ...flagged].slice(0, 5).join(', ') || `HEAD is ${head}`;
}
