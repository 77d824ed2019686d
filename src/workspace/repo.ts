import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { NotARepoError, RepoError } from './errors.js';
import { gitEnv, gitRaw } from './git.js';

/** The repository duo works on, with errors that say what to do: not a repo, bare, no commits yet. */
export async function findRepoRoot(cwd: string): Promise<string> {
  if (!existsSync(cwd)) throw new RepoError(`the folder ${cwd} does not exist`);
  const top = await gitRaw(cwd, ['rev-parse', '--show-toplevel']);
  if (top.exitCode !== 0) {
    const bare = await gitRaw(cwd, ['rev-parse', '--is-bare-repository']);
    if (bare.exitCode === 0 && bare.stdout.trim() === 'true')
      throw new RepoError(`${cwd} is a bare repository; run duo in a checkout with a working tree.`);
    throw new NotARepoError(cwd);
  }
  const root = top.stdout.trim();
  const head = await gitRaw(root, ['rev-parse', '--verify', '--quiet', 'HEAD^{commit}']);
  if (head.exitCode !== 0) {
    throw new RepoError(
      `the repository at ${root} has no commits yet; duo bases each run on a commit. Commit something first: git add -A && git commit -m init`,
    );
  }
  return root;
}

/**
 * Keeps `.duo/` (run records) out of git through `.git/info/exclude`, never by editing the user's .gitignore.
 * Synchronous: it runs once per command before anything else touches the repo.
 */
export function ensureRecordExcluded(repoRoot: string): void {
  addExclude(repoRoot, ['/.duo/', '.duo/', '/.duo', '.duo'], '# duo run records\n/.duo/');
}

/** Keeps a dependency folder duo links into run worktrees (see linkDependencies) out of git, link or folder. */
export function excludeLink(repoRoot: string, name: string): void {
  addExclude(repoRoot, [`/${name}`], `# duo links installed dependencies into its worktrees\n/${name}`);
}

function addExclude(repoRoot: string, present: string[], lines: string): void {
  const common = execFileSync('git', ['rev-parse', '--git-common-dir'], {
    cwd: repoRoot,
    env: gitEnv(),
    encoding: 'utf8',
  }).trim();
  const dir = join(isAbsolute(common) ? common : join(repoRoot, common), 'info');
  const file = join(dir, 'exclude');
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '';
  if (current.split('\n').some((l) => present.includes(l.trim()))) return;
  mkdirSync(dir, { recursive: true });
  appendFileSync(file, `${current && !current.endsWith('\n') ? '\n' : ''}${lines}\n`);
}
