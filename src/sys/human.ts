import { execFileSync } from 'node:child_process';
import { userInfo } from 'node:os';

/**
 * Who is deciding, for the per-human track record (`duo stats`): the repo's git user.email, else the OS user name.
 * Never an error: a decision is recorded even where neither can be read.
 */
export function currentHuman(cwd: string = process.cwd()): string {
  try {
    const email = execFileSync('git', ['config', 'user.email'], {
      cwd,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
    if (email) return email;
  } catch {
    // no git, or no identity configured
  }
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}
