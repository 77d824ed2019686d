/**
 * The git operations on task patches: which paths a patch touches, applying one, and putting paths back to a
 * commit's version (SWE-bench's harness does the same before it applies the hidden tests: the run's own edits to
 * those files do not count).
 */

import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { git, gitRaw } from '../workspace/git.js';

/** The paths a patch touches (a patch from `git diff --no-renames`: one path per file). */
export async function patchPaths(cwd: string, patch: string): Promise<string[]> {
  if (!patch.trim()) return [];
  const out = await git(cwd, ['apply', '--numstat', '-z', '-'], { input: patch, stripFinalNewline: false });
  return out
    .split('\0')
    .map((entry) => entry.split('\t').slice(2).join('\t'))
    .filter(Boolean);
}

/** Applies a patch to the working tree; the reason in git's words when it does not apply. */
export async function applyPatch(cwd: string, patch: string): Promise<string | null> {
  if (!patch.trim()) return null;
  const r = await gitRaw(cwd, ['apply', '--whitespace=nowarn', '-'], { input: patch });
  return r.exitCode === 0 ? null : r.stderr.trim().split('\n').slice(0, 3).join('; ') || 'git apply failed';
}

/** Puts each path back to its version at `sha`, or removes it where `sha` has no such file. */
export async function restorePaths(cwd: string, sha: string, paths: string[]): Promise<void> {
  const present: string[] = [];
  for (const path of paths) {
    const there = await gitRaw(cwd, ['cat-file', '-e', `${sha}:${path}`]);
    if (there.exitCode === 0) present.push(path);
    else rmSync(join(cwd, path), { force: true });
  }
  if (present.length) await git(cwd, ['--literal-pathspecs', 'checkout', sha, '--', ...present]);
}
