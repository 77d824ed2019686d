/**
 * The repository duo works on, with errors that say what to do: not a repo, bare, no commits yet. Synchronous
 * and without the subprocess library: every command starts here, and `duo log` should cost little more than
 * starting Node.
 */

import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { gitEnv } from './git-env.js';
import { NotARepoError, RepoError } from './repo-errors.js';

function gitSync(cwd: string, args: string[]): { stdout: string; exitCode: number } {
  const r = spawnSync('git', args, { cwd, env: gitEnv(), encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.error) {
    throw new RepoError(`could not run git: ${r.error.message}. Install git and make sure it is on PATH.`);
  }
  return { stdout: r.stdout ?? '', exitCode: r.status ?? 1 };
}

/**
 * `requireCommit: false` is for commands that only read records (`duo log`): a repository without commits simply
 * has no runs yet.
 */
export async function findRepoRoot(cwd: string, opts: { requireCommit?: boolean } = {}): Promise<string> {
  if (!existsSync(cwd)) throw new RepoError(`the folder ${cwd} does not exist`);
  const top = gitSync(cwd, ['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) {
    const bare = gitSync(cwd, ['rev-parse', '--is-bare-repository']);
    if (bare.exitCode === 0 && bare.stdout.trim() === 'true')
      throw new RepoError(`${cwd} is a bare repository; run duo in a checkout with a working tree.`);
    throw new NotARepoError(cwd);
  }
  const root = top.stdout.trim();
  if (opts.requireCommit === false) return root;
  const head = gitSync(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) {
    throw new RepoError(
      `the repository at ${root} has no commits yet; duo bases each run on a commit. Commit something first: git add -A && git commit -m init`,
    );
  }
  return root;
}

/**
 * The top of the working tree whose records a read-only command (`duo log`) lists: the nearest folder upwards with
 * a `.git` (folder, or file for a linked worktree or submodule), found without starting git. When git's location is
 * set through the environment, or nothing is found, git itself decides (and explains an error).
 */
export async function findRecordRoot(cwd: string): Promise<string> {
  if (!process.env.GIT_DIR && !process.env.GIT_WORK_TREE && existsSync(cwd)) {
    for (let dir = cwd; ; dir = dirname(dir)) {
      if (existsSync(join(dir, '.git'))) return dir;
      if (dirname(dir) === dir) break;
    }
  }
  return findRepoRoot(cwd, { requireCommit: false });
}

/**
 * Keeps `.duo/` (run records) out of git through `.git/info/exclude`, never by editing the user's .gitignore.
 * Synchronous: it runs once, right before a command first writes a record.
 */
export function ensureRecordExcluded(repoRoot: string): void {
  addExclude(repoRoot, ['/.duo/', '.duo/', '/.duo', '.duo'], '# duo run records\n/.duo/');
}

/** Keeps a dependency folder duo links into run worktrees (see linkDependencies) out of git, link or folder. */
export function excludeLink(repoRoot: string, name: string): void {
  addExclude(repoRoot, [`/${name}`], `# duo links installed dependencies into its worktrees\n/${name}`);
}

function addExclude(repoRoot: string, present: string[], lines: string): void {
  const r = gitSync(repoRoot, ['rev-parse', '--git-common-dir']);
  if (r.exitCode !== 0) throw new RepoError(`git cannot find the repository data of ${repoRoot}.`);
  const common = r.stdout.trim();
  const dir = join(isAbsolute(common) ? common : join(repoRoot, common), 'info');
  const file = join(dir, 'exclude');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current.split('\n').some((l) => present.includes(l.trim()))) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(file, `${current && !current.endsWith('\n') ? '\n' : ''}${lines}\n`);
}
