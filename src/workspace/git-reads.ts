/**
 * What git says about commits and checkouts, read-only: trees, file contents at a commit (cached by commit id),
 * changed paths, uncommitted paths, symlinks. createWorkspace (index.ts) builds its reads on these.
 */

import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { git, gitEnv, gitRaw } from './git.js';
import type { PathChange, Workspace } from './types.js';

/** Reads of files at a commit for one repository; what was read at a commit id is not read again. */
export function commitReader(repoRoot: string): Pick<Workspace, 'readAt' | 'listFiles' | 'readManyAt'> {
  /** Files read at a commit id, by `sha:path` (null: not in that commit). */
  const blobs = new Map<string, string | null>();
  /** Trees listed at a commit id (the run's base is listed by the gate's protection and the dependency links). */
  const trees = new Map<string, Promise<string[]>>();
  /** Reads asked for in the same turn (the gate's base and head reads) go to git together: one process for all. */
  let batch: { specs: string[]; read: Promise<Map<string, string>> } | null = null;
  const readTogether = (specs: string[]): Promise<Map<string, string>> => {
    if (!batch) {
      const gathered: string[] = [];
      const read = Promise.resolve().then(() => {
        batch = null;
        return catSpecs(repoRoot, gathered);
      });
      batch = { specs: gathered, read };
    }
    batch.specs.push(...specs);
    return batch.read;
  };
  const readManyAt: Workspace['readManyAt'] = async (sha, files) => {
    // A commit id names content that never changes: what was read once is not read again (the gate's checks
    // read the same base and head files after every agent call). A ref may move, so it is always read.
    if (!COMMIT_ID.test(sha)) return catFiles(repoRoot, sha, files);
    const missing = files.filter((f) => !blobs.has(`${sha}:${f}`));
    if (missing.length) {
      const read = await readTogether(missing.map((f) => `${sha}:${f}`));
      for (const f of missing) blobs.set(`${sha}:${f}`, read.get(`${sha}:${f}`) ?? null);
    }
    const out = new Map<string, string>();
    for (const f of files) {
      const text = blobs.get(`${sha}:${f}`);
      if (typeof text === 'string') out.set(f, text);
    }
    return out;
  };
  return {
    async readAt(sha, file) {
      // One file is a batch of one: cached by commit id, and read with whatever else is asked for in this turn.
      return (await readManyAt(sha, [file])).get(file) ?? null;
    },

    listFiles(sha) {
      return COMMIT_ID.test(sha) ? keptOnce(trees, sha, () => listTree(repoRoot, sha)) : listTree(repoRoot, sha);
    },

    readManyAt,
  };
}

export function nameStatus(out: string): PathChange[] {
  const parts = out.split('\0');
  const changes: PathChange[] = [];
  for (let i = 0; i + 1 < parts.length; i += 2) {
    const s = (parts[i] ?? '')[0];
    const path = parts[i + 1] ?? '';
    if (!path) continue;
    changes.push({ path, status: s === 'A' ? 'A' : s === 'D' ? 'D' : 'M' });
  }
  return changes;
}

/** Every path in a commit's tree. */
export async function listTree(repoRoot: string, sha: string): Promise<string[]> {
  const out = await git(repoRoot, ['ls-tree', '-r', '--name-only', '-z', sha], { stripFinalNewline: false });
  return out.split('\0').filter(Boolean);
}

/** Files' contents at a commit, in one `git cat-file --batch`; absent files are left out. */
async function catFiles(repoRoot: string, sha: string, files: readonly string[]): Promise<Map<string, string>> {
  const read = await catSpecs(
    repoRoot,
    files.map((f) => `${sha}:${f}`),
  );
  return new Map(files.flatMap((f) => (read.has(`${sha}:${f}`) ? [[f, read.get(`${sha}:${f}`) as string]] : [])));
}

/** Blobs by `<commit>:<path>` spec, in one `git cat-file --batch`; specs that name no blob are left out. */
async function catSpecs(repoRoot: string, all: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  // The batch reads one spec a line: a path with a line break in it (an agent can name a file so) is read alone,
  // so it can never shift the answers of the others.
  const specs = all.filter((spec) => !spec.includes('\n'));
  for (const spec of all.filter((x) => x.includes('\n'))) {
    const r = await gitRaw(repoRoot, ['cat-file', 'blob', spec], { stripFinalNewline: false });
    if (r.exitCode === 0) out.set(spec, r.stdout);
  }
  if (!specs.length) return out;
  const r = await execa('git', ['cat-file', '--batch'], {
    cwd: repoRoot,
    env: gitEnv(),
    extendEnv: false,
    input: `${specs.join('\n')}\n`,
    encoding: 'buffer',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const buf = Buffer.from(r.stdout as Uint8Array);
  let pos = 0;
  for (const spec of specs) {
    const eol = buf.indexOf(10, pos);
    if (eol < 0) break;
    const header = buf.subarray(pos, eol).toString('utf8');
    pos = eol + 1;
    const m = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!m) continue; // "<spec> missing"
    const size = Number(m[2]);
    if (m[1] === 'blob') out.set(spec, buf.subarray(pos, pos + size).toString('utf8'));
    pos += size + 1;
  }
  return out;
}

/** Uncommitted paths (staged, unstaged, untracked) as git status reports them. */
export async function porcelainPaths(cwd: string): Promise<string[]> {
  const status = await git(cwd, ['status', '--porcelain=v1', '-z', '--untracked-files=all'], {
    stripFinalNewline: false,
  });
  const paths: string[] = [];
  const entries = status.split('\0');
  for (let i = 0; i < entries.length; i++) {
    const e = entries[i] ?? '';
    if (!e) continue;
    paths.push(e.slice(3));
    // A rename/copy entry is followed by its source path.
    if (e[0] === 'R' || e[0] === 'C') i++;
  }
  return paths;
}

/** Paths that are symlinks in `sha`'s tree: a patch must not write through them. */
export async function symlinkPaths(repoRoot: string, sha: string): Promise<string[]> {
  const out = await git(repoRoot, ['ls-tree', '-r', '-z', sha], { stripFinalNewline: false });
  return out
    .split('\0')
    .filter((e) => e.startsWith('120000 '))
    .map((e) => e.slice(e.indexOf('\t') + 1));
}

const COMMIT_ID = /^[0-9a-f]{40}([0-9a-f]{24})?$/;

/** What `read` gives for `key`, read once and kept; a failure is not kept, so the next caller asks again. */
export function keptOnce<T>(kept: Map<string, Promise<T>>, key: string, read: () => Promise<T>): Promise<T> {
  let known = kept.get(key);
  if (!known) {
    known = read();
    known.catch(() => kept.delete(key));
    kept.set(key, known);
  }
  return known;
}

/** A full commit id (SHA-1 or SHA-256): what it names never changes, so what is read at it can be kept. */
export const isCommitId = (ref: string): boolean => COMMIT_ID.test(ref);

/**
 * The commit checked out in `cwd`. Read as git stores it (the checkout's HEAD file, then its branch's loose ref)
 * with no process, as duo reads it after each of its own commits; git answers whenever the layout is anything
 * else (packed or reftable refs, a symbolic chain, no such file), so the reading is never a guess.
 */
export async function headCommit(cwd: string): Promise<string> {
  return storedHead(cwd) ?? (await git(cwd, ['rev-parse', 'HEAD'])).trim();
}

/** A checkout's git directory and the repository's common one, read from `.git` as git does; null if unusual. */
export function gitDirsOf(cwd: string): { gitDir: string; common: string } | null {
  try {
    let gitDir = join(cwd, '.git');
    if (statSync(gitDir).isFile()) {
      const pointer = /^gitdir: (.+)$/m.exec(readFileSync(gitDir, 'utf8'))?.[1];
      if (!pointer) return null;
      gitDir = resolve(cwd, pointer.trim());
    }
    let common = gitDir;
    try {
      // A linked worktree keeps its branches (and config, hooks) in the repository's common directory.
      common = resolve(gitDir, readFileSync(join(gitDir, 'commondir'), 'utf8').trim());
    } catch {
      // The main checkout: its git directory is the common one.
    }
    return { gitDir, common };
  } catch {
    return null;
  }
}

function storedHead(cwd: string): string | null {
  const dirs = gitDirsOf(cwd);
  if (!dirs) return null;
  try {
    const head = readFileSync(join(dirs.gitDir, 'HEAD'), 'utf8').trim();
    if (COMMIT_ID.test(head)) return head;
    const ref = /^ref: (refs\/heads\/\S+)$/.exec(head)?.[1];
    if (!ref) return null;
    const value = readFileSync(join(dirs.common, ref), 'utf8').trim();
    return COMMIT_ID.test(value) ? value : null;
  } catch {
    return null;
  }
}
