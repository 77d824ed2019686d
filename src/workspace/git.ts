/** A thin typed wrapper over the git CLI; every call runs with gitEnv's cleaned environment. */

import { execa } from 'execa';
import { DuoError } from '../sys/duo-error.js';
import { gitEnv } from './git-env.js';
import { RepoError } from './repo-errors.js';

export { gitEnv } from './git-env.js';

/**
 * duo's own commits: its identity, no signing prompts, no user hooks running on agent output, and no automatic
 * housekeeping of the user's repository (a gc started by one of duo's commits would stall the run, and costs a git
 * process per commit even when it finds nothing to do; the user's own git commands still run it).
 */
export const COMMIT_CONFIG = [
  '-c',
  'user.name=duo',
  '-c',
  'user.email=duo@localhost',
  '-c',
  'commit.gpgsign=false',
  '-c',
  'core.hooksPath=/dev/null',
  '-c',
  'maintenance.auto=false',
  '-c',
  'gc.auto=0',
];

export interface GitResult {
  stdout: string;
  stderr: string;
  exitCode: number;
}

export class GitError extends DuoError {
  constructor(
    readonly args: string[],
    readonly result: GitResult,
  ) {
    super(`git ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr.trim() || result.stdout.trim()}`);
  }
}

export async function gitRaw(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string | Buffer; stripFinalNewline?: boolean } = {},
): Promise<GitResult> {
  const r = await execa('git', args, {
    cwd,
    env: gitEnv(opts.env),
    extendEnv: false,
    reject: false,
    stripFinalNewline: opts.stripFinalNewline ?? true,
    maxBuffer: 512 * 1024 * 1024,
    ...(opts.input !== undefined ? { input: opts.input } : { stdin: 'ignore' as const }),
  });
  if (r.failed && r.exitCode === undefined) {
    throw new RepoError(`could not run git: ${r.shortMessage}. Install git and make sure it is on PATH.`);
  }
  return { stdout: String(r.stdout ?? ''), stderr: String(r.stderr ?? ''), exitCode: r.exitCode ?? 1 };
}

/** Runs git and throws GitError on a non-zero exit. */
export async function git(
  cwd: string,
  args: string[],
  opts: { env?: Record<string, string>; input?: string | Buffer; stripFinalNewline?: boolean } = {},
): Promise<string> {
  const r = await gitRaw(cwd, args, opts);
  if (r.exitCode !== 0) throw new GitError(args, r);
  return r.stdout;
}
