import { git, gitRaw } from './git.js';
import { ApplyError } from './repo-errors.js';

/**
 * `duo apply`: the run's change (base..branch) onto the user's current working tree as uncommitted changes,
 * keeping their own uncommitted work. It is checked first and applied only if every hunk fits; on a conflict
 * nothing is touched and the error names the files and what to do.
 */
export async function applyRun(
  repoRoot: string,
  opts: { branch: string; baseSha: string; force?: boolean },
): Promise<{ files: string[] }> {
  const patch = await git(repoRoot, ['diff', '--binary', '--no-renames', opts.baseSha, opts.branch], {
    stripFinalNewline: false,
  });
  if (!patch.trim()) return { files: [] };
  const files = (
    await git(repoRoot, ['diff', '--name-only', '--no-renames', '-z', opts.baseSha, opts.branch], {
      stripFinalNewline: false,
    })
  )
    .split('\0')
    .filter(Boolean);
  const check = await gitRaw(repoRoot, ['apply', '--check', '--whitespace=nowarn', '-'], { input: patch });
  if (check.exitCode !== 0) {
    const conflicts = [
      ...new Set(
        [
          ...check.stderr.matchAll(
            /^error: (?:patch failed: )?(.+?)(?::\d+)?: (?:patch does not apply|already exists in working directory|No such file or directory|does not exist in index|does not match index)?/gm,
          ),
        ]
          .map((m) => m[1] ?? '')
          .filter((f) => f && files.includes(f)),
      ),
    ];
    const list = conflicts.length ? conflicts : files;
    throw new ApplyError(
      `the run's change does not apply cleanly to your working tree (conflicts in ${list.join(', ')}); nothing was changed. ` +
        `Commit or stash your own changes to those files and run \`duo apply\` again, or merge the branch yourself: git merge ${opts.branch}`,
      list,
    );
  }
  await git(repoRoot, ['apply', '--whitespace=nowarn', '-'], { input: patch });
  return { files };
}
