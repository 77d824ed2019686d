/**
 * A mined task's problem statement: the commit message, and the text of an issue it references when that text is
 * in the repository (an `issues/12.md`, `.github/issues/12.md`, `docs/issues/issue-12.md` …). The issue is read
 * from the base tree, as it stood before the fix: a later version may already describe the fix.
 */

import { git, gitRaw } from '../workspace/git.js';

/** Issue numbers a commit message refers to: `#12`, `fixes #12`, `issue 12`, `(#12)`. */
export function issueRefs(message: string): number[] {
  const refs = new Set<number>();
  for (const m of message.matchAll(/\bissues?\s+#?(\d{1,7})\b|(?:^|[\s(,;])#(\d{1,7})\b/gi))
    refs.add(Number(m[1] ?? m[2]));
  return [...refs];
}

/** The file holding issue `n` among a tree's paths, if any. */
export function issueFile(paths: string[], n: number): string | undefined {
  const re = new RegExp(
    `(^|/)\\.?issues?/(?:issue-?)?0*${n}(\\.(md|txt|markdown))?$|(^|/)issue-0*${n}\\.(md|txt|markdown)$`,
    'i',
  );
  return paths.find((p) => re.test(p));
}

export async function problemStatement(repoRoot: string, base: string, message: string): Promise<string> {
  const refs = issueRefs(message);
  const parts = [message.trim()];
  if (refs.length) {
    const paths = (await git(repoRoot, ['ls-tree', '-r', '--name-only', '-z', base], { stripFinalNewline: false }))
      .split('\0')
      .filter(Boolean);
    for (const n of refs) {
      const file = issueFile(paths, n);
      if (!file) continue;
      const text = await gitRaw(repoRoot, ['cat-file', 'blob', `${base}:${file}`]);
      if (text.exitCode === 0 && text.stdout.trim()) parts.push(`Issue #${n} (${file}):\n${text.stdout.trim()}`);
    }
  }
  return parts.join('\n\n');
}
