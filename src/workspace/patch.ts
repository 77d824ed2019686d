/**
 * Patch safety. A sub-task's patch is data from an agent, so nothing in it is applied on sight: every path it
 * names is checked — outside the repo, inside .git, through a symlink, outside the sub-task's declared files —
 * and binary or very large changes are flagged so the reviewer is told they were summarised.
 */

import { isAbsolute, posix } from 'node:path';
import picomatch from 'picomatch';
import type { PatchCheck } from './types.js';

const LARGE_PATCH_BYTES = 200 * 1024;

export interface PatchFile {
  /** Paths named on either side (old and new), unquoted. */
  paths: string[];
  newMode?: string;
  binary: boolean;
  /** The added content of a new symlink (its target). */
  symlinkTarget?: string;
}

/**
 * Splits a git patch into per-file entries with every path it names. Hunks are read by the line counts in their
 * `@@` headers, as `git apply` reads them: a `--- ` line after a finished hunk starts another file (a plain
 * unified diff without a `diff --git` line still applies), while inside a hunk it is content.
 */
export function parsePatch(patch: string): PatchFile[] {
  const files: PatchFile[] = [];
  let cur: PatchFile | undefined;
  let symlink = false;
  let hunks = 0;
  let oldLeft = 0;
  let newLeft = 0;
  let added: string[] = [];
  const start = (paths: string[]) => {
    if (cur && symlink && added.length) cur.symlinkTarget = added.join('\n');
    cur = { paths, binary: false };
    files.push(cur);
    symlink = false;
    hunks = 0;
    oldLeft = 0;
    newLeft = 0;
    added = [];
  };
  for (const line of patch.split('\n')) {
    if ((oldLeft > 0 || newLeft > 0) && /^[ +\-\\]|^$/.test(line)) {
      // Content: only a new symlink's target matters here ("+++ x" in a hunk is content, not a header).
      if (line.startsWith('\\')) continue;
      if (line.startsWith('+')) {
        newLeft--;
        if (symlink) added.push(line.slice(1));
      } else if (line.startsWith('-')) oldLeft--;
      else {
        oldLeft--;
        newLeft--;
      }
      continue;
    }
    // Any other line ends a hunk, as in git apply.
    oldLeft = 0;
    newLeft = 0;
    if (line.startsWith('diff --git ')) {
      start(headerPaths(line.slice('diff --git '.length)));
      continue;
    }
    if (line.startsWith('--- ') && (!cur || hunks > 0)) start([]);
    if (!cur) continue;
    const hunk = /^@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@/.exec(line);
    if (hunk) {
      hunks++;
      oldLeft = Number(hunk[1] ?? 1);
      newLeft = Number(hunk[2] ?? 1);
      continue;
    }
    const m = /^(rename from|rename to|copy from|copy to|--- |\+\+\+ )(.*)$/.exec(line);
    if (m) {
      const raw = (m[2] ?? '').trim();
      if (raw !== '/dev/null') {
        const p = unquote(raw);
        const stripped = m[1]?.startsWith('---') || m[1]?.startsWith('+++') ? p.replace(/^[ab]\//, '') : p;
        if (!cur.paths.includes(stripped)) cur.paths.push(stripped);
      }
      continue;
    }
    const mode = /^(?:new file mode|new mode) (\d+)/.exec(line) ?? /^index \S+ (120000)$/.exec(line);
    if (mode) {
      cur.newMode = mode[1];
      symlink = mode[1] === '120000';
      continue;
    }
    if (line.startsWith('GIT binary patch') || line.startsWith('Binary files ')) cur.binary = true;
  }
  if (cur && symlink && added.length) cur.symlinkTarget = added.join('\n');
  return files;
}

/** `a/x b/y`, possibly quoted with C escapes. */
function headerPaths(rest: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < rest.length) {
    if (rest[i] === ' ') {
      i++;
      continue;
    }
    if (rest[i] === '"') {
      let j = i + 1;
      while (j < rest.length && rest[j] !== '"') j += rest[j] === '\\' ? 2 : 1;
      tokens.push(unquote(rest.slice(i, j + 1)));
      i = j + 1;
    } else {
      // Unquoted: "a/path b/path" — split on " b/" so paths with spaces survive.
      const bIdx = rest.indexOf(' b/', i);
      if (tokens.length === 0 && bIdx > i) {
        tokens.push(rest.slice(i, bIdx));
        i = bIdx + 1;
      } else {
        tokens.push(rest.slice(i));
        break;
      }
    }
  }
  return [...new Set(tokens.map((t) => t.replace(/^[ab]\//, '')))];
}

/** Git's C-style quoting: "a/caf\303\251 \"x\"". */
export function unquote(s: string): string {
  if (!(s.startsWith('"') && s.endsWith('"'))) return s;
  const body = s.slice(1, -1);
  const bytes: number[] = [];
  const esc: Record<string, number> = { n: 10, t: 9, r: 13, '"': 34, '\\': 92, a: 7, b: 8, f: 12, v: 11 };
  for (let i = 0; i < body.length; i++) {
    const c = body[i] as string;
    if (c !== '\\') {
      bytes.push(...Buffer.from(c, 'utf8'));
      continue;
    }
    const next = body[i + 1] ?? '';
    if (/[0-7]/.test(next)) {
      bytes.push(Number.parseInt(body.slice(i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(esc[next] ?? next.charCodeAt(0));
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function pathViolation(path: string): string | undefined {
  if (!path) return 'empty path';
  if (isAbsolute(path) || /^[A-Za-z]:[\\/]/.test(path)) return 'absolute path, outside the repository';
  const segments = path.split(/[\\/]/);
  if (segments.includes('..')) return 'climbs out of the repository with ".."';
  if (segments.some((s) => s.toLowerCase() === '.git' || /^git~\d$/i.test(s))) return 'inside .git';
  if (path.includes('\0')) return 'NUL in path';
  return undefined;
}

export function symlinkEscapes(linkPath: string, target: string): boolean {
  if (isAbsolute(target)) return true;
  const resolved = posix.normalize(posix.join(posix.dirname(linkPath), target));
  return resolved === '..' || resolved.startsWith('../') || resolved.split('/').some((s) => s.toLowerCase() === '.git');
}

/**
 * `symlinkDirs`: directories that are symlinks in the tree the patch applies to; a path under one would be
 * written wherever the link points.
 */
export function checkParsedPatch(patch: string, allowedGlobs: string[], symlinkDirs: string[] = []): PatchCheck {
  const violations: PatchCheck['violations'] = [];
  const notes: string[] = [];
  const allowed = allowedGlobs.length ? picomatch(allowedGlobs, { dot: true }) : () => false;
  for (const file of parsePatch(patch)) {
    for (const p of file.paths) {
      const bad = pathViolation(p);
      if (bad) {
        violations.push({ path: p, reason: bad });
        continue;
      }
      const via = symlinkDirs.find((d) => p === d || p.startsWith(`${d}/`));
      if (via && p !== via) violations.push({ path: p, reason: `goes through the symlink ${via}` });
      else if (!allowed(p)) violations.push({ path: p, reason: "outside the sub-task's declared files" });
    }
    const target = file.symlinkTarget;
    if (file.newMode === '120000' && target !== undefined) {
      const link = file.paths[file.paths.length - 1] ?? '';
      if (symlinkEscapes(link, target))
        violations.push({ path: link, reason: `a symlink pointing out of the repository (${target})` });
    }
    if (file.binary) notes.push(`binary file ${file.paths.join(' → ')} (summarised for the reviewer)`);
  }
  if (Buffer.byteLength(patch) > LARGE_PATCH_BYTES)
    notes.push(`the patch is ${Math.round(Buffer.byteLength(patch) / 1024)} KB; the reviewer saw a summary of it`);
  return { ok: violations.length === 0, violations, notes };
}
