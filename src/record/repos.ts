import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { duoHome } from '../sys/home.js';

/**
 * The repos this user ran duo in, for `--all-repos`: `$DUO_HOME/repos.jsonl`, one line per repo the first time a
 * process saves a run there (appended with O_APPEND, read back de-duplicated). A repo that has since been deleted
 * is skipped when read.
 */
const seen = new Set<string>();

function file(): string {
  return join(duoHome(), 'repos.jsonl');
}

export function rememberRepo(repoRoot: string): void {
  const f = file();
  const key = `${f}\0${repoRoot}`;
  if (seen.has(key)) return;
  seen.add(key);
  try {
    if (knownRepos().includes(repoRoot)) return;
    mkdirSync(duoHome(), { recursive: true });
    const bytes = Buffer.from(`${JSON.stringify({ repo: repoRoot, at: new Date().toISOString() })}\n`);
    const fd = openSync(f, 'a');
    try {
      writeSync(fd, bytes, 0, bytes.length);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Only --all-repos needs this list; a run never fails over it.
  }
}

/** Every repo remembered, in the order first seen, whether or not it still exists. */
function knownRepos(): string[] {
  const f = file();
  if (!existsSync(f)) return [];
  const repos: string[] = [];
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    if (!line) continue;
    try {
      const repo = (JSON.parse(line) as { repo?: unknown }).repo;
      if (typeof repo === 'string' && !repos.includes(repo)) repos.push(repo);
    } catch {
      // a mangled line
    }
  }
  return repos;
}

/** Repos that still have a run record folder. */
export function reposWithRuns(): string[] {
  return knownRepos().filter((r) => existsSync(join(r, '.duo', 'runs')));
}
