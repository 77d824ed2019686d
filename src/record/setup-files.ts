/**
 * duo's own set-up files in a repository — what `duo init` wrote there (duo.config.json, .claude/, .agents/,
 * .mcp.json) — remembered in `.duo/setup.json` with a hash of the content init wrote. While a file still holds
 * exactly that content it is duo's, not the user's work: a run does not call it "your uncommitted changes", and a
 * review (the stop-time gate's included) leaves it out. Once the user edits it, it is theirs like any other file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isAbsolute, join, relative, sep } from 'node:path';
import { RECORD_DIR } from './record-errors.js';

const FILE = 'setup.json';

type Remembered = Record<string, string>;

const hashOf = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

function read(repoRoot: string): Remembered {
  try {
    const v = JSON.parse(readFileSync(join(repoRoot, RECORD_DIR, FILE), 'utf8')) as { files?: unknown };
    return v.files && typeof v.files === 'object' ? (v.files as Remembered) : {};
  } catch {
    return {};
  }
}

/** Remembers files init just wrote (absolute or repo-relative paths); files outside the repository are ignored. */
export function rememberSetupFiles(repoRoot: string, paths: string[]): void {
  const files = read(repoRoot);
  for (const p of paths) {
    const rel = isAbsolute(p) ? relative(repoRoot, p) : p;
    if (!rel || rel.startsWith('..') || isAbsolute(rel)) continue;
    const abs = join(repoRoot, rel);
    if (existsSync(abs)) files[rel.split(sep).join('/')] = hashOf(abs);
  }
  mkdirSync(join(repoRoot, RECORD_DIR), { recursive: true });
  writeFileSync(join(repoRoot, RECORD_DIR, FILE), `${JSON.stringify({ files }, null, 2)}\n`);
}

/** The remembered files that still hold what init wrote (repo-relative, `/`-separated). */
export function untouchedSetupFiles(repoRoot: string): string[] {
  return Object.entries(read(repoRoot))
    .filter(([rel, hash]) => {
      const abs = join(repoRoot, rel);
      try {
        return existsSync(abs) && hashOf(abs) === hash;
      } catch {
        return false;
      }
    })
    .map(([rel]) => rel);
}
