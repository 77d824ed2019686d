/**
 * The user's installed dependencies in duo's checkouts. They are not in git, so a fresh worktree has none and the
 * project's own commands could not run there; reinstalling per run is slow and needs the network. So each checkout
 * (a run's worktree, the baseline, the gate's pristine checkout, the original-test re-runs) gets them the same way:
 * - `node_modules` — at the root and in every package of a workspace (each folder with a package.json in the
 *   commit) — becomes a folder of its own in the checkout whose entries are links: an external package links to
 *   the user's installed copy; a link the package manager made into the repository itself (an npm/yarn/pnpm
 *   workspace package, a `file:` dependency) is recreated relative to the checkout, so it resolves to the
 *   checkout's own copy of that package, never the user's working tree. `.bin` is rebuilt the same way; tools'
 *   caches (`.cache`, `.vite`) start empty per checkout instead of writing into the user's;
 * - a virtualenv (`.venv`, `venv`) is linked whole.
 * Nothing else of the user's tree is present. The links are kept out of git through `.git/info/exclude`.
 *
 * External packages stay shared, so a write through a link would land in the user's files: outsideChanges() finds
 * every write under the user's dependency folders, in the shared `.git` (config, hooks, info) and in the user's
 * working tree, after each agent call.
 */

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { excludeLink } from './repo.js';
import { changedSinceSnapshot, snapshotTree, type TreeSnapshot } from './tree-walk.js';

export interface DependencyDir {
  /** Where it sits, relative to the repository root (and so to every checkout). */
  rel: string;
  /** The user's folder, resolved. */
  source: string;
  kind: 'node_modules' | 'venv';
}

const VENVS = ['.venv', 'venv'];

/**
 * The user's dependency folders that matter to a commit: node_modules at the root and beside each package.json the
 * commit has, and a root virtualenv; only untracked ones (a tracked folder of that name comes with the checkout).
 */
export function dependencyDirs(repoRoot: string, commitFiles: readonly string[]): DependencyDir[] {
  const dirs: DependencyDir[] = [];
  const packageDirs = new Set(['']);
  for (const f of commitFiles) {
    if (f === 'package.json' || f.endsWith('/package.json')) {
      const d = dirname(f);
      if (!d.split('/').includes('node_modules')) packageDirs.add(d === '.' ? '' : d);
    }
  }
  const tracked = new Set(commitFiles.map((f) => f.split('/node_modules/')[0]));
  for (const d of [...packageDirs].sort()) {
    const rel = d ? `${d}/node_modules` : 'node_modules';
    const src = join(repoRoot, rel);
    if (isDir(src) && !commitFiles.some((f) => f.startsWith(`${rel}/`)) && !tracked.has(rel))
      dirs.push({ rel, source: realpathSync(src), kind: 'node_modules' });
  }
  for (const v of VENVS) {
    const src = join(repoRoot, v);
    if (isDir(src) && !commitFiles.some((f) => f.startsWith(`${v}/`)))
      dirs.push({ rel: v, source: realpathSync(src), kind: 'venv' });
  }
  return dirs;
}

/** Puts the dependency folders into a checkout (idempotent: what is already there stays). */
export function linkDependencies(repoRoot: string, checkout: string, dirs: readonly DependencyDir[]): void {
  for (const d of dirs) {
    const target = join(checkout, d.rel);
    if (lexists(target)) continue;
    excludeLink(repoRoot, d.rel);
    mkdirSync(dirname(target), { recursive: true });
    if (d.kind === 'venv') symlinkSync(d.source, target, 'dir');
    else shadowNodeModules(repoRoot, checkout, d.source, target);
  }
}

/** A private node_modules whose entries link to the user's packages, and whose in-repo links stay in the checkout. */
function shadowNodeModules(repoRoot: string, checkout: string, source: string, target: string): void {
  const link = (from: string, to: string) => linkEntry(realpathSync(repoRoot), checkout, from, to);
  mkdirSync(target);
  for (const name of readdirSync(source)) {
    const from = join(source, name);
    const to = join(target, name);
    const st = lstatSync(from);
    if ((name === '.bin' || name.startsWith('@')) && st.isDirectory()) {
      mkdirSync(to);
      for (const entry of readdirSync(from)) link(join(from, entry), join(to, entry));
    } else if (name.startsWith('.') && st.isDirectory() && name !== '.pnpm') {
      // A tool's cache or state (.cache, .vite, .vitest): each checkout starts its own, none writes the user's.
    } else {
      link(from, to);
    }
  }
}

/**
 * One entry: a link the package manager made to somewhere inside the repository (relative or absolute) is
 * recreated to point at the same place in the checkout; anything else links to the user's copy.
 */
function linkEntry(userRoot: string, checkout: string, from: string, to: string): void {
  if (!lstatSync(from).isSymbolicLink()) {
    symlinkSync(from, to);
    return;
  }
  const resolved = resolve(dirname(from), readlinkSync(from));
  const inside = relative(userRoot, resolved);
  if (inside.startsWith('..') || isAbsolute(inside)) symlinkSync(resolved, to);
  else symlinkSync(relative(dirname(to), join(checkout, inside)) || '.', to);
}

/** The state to compare against after an agent call: a time stamp for the dependency folders, .git's digest. */
export interface OutsideStamp {
  /** A file whose modification time is the start of the window. */
  file: string;
  /** That modification time, in ns: what find's -cnewer compares with (the file is gone once the stamp is used). */
  since: bigint;
  gitFiles: Record<string, string>;
  /** The user's working tree at the stamp, when it is small enough to read here (tree-walk.ts). */
  tree?: TreeSnapshot | null;
  /** The checkout the call works in, and its git index as it was (inode, size, times): see untouchedSince. */
  checkout?: { path: string; index: string | null };
}

export interface OutsideChange {
  /** The folder written into, as the user knows it: `node_modules`, `packages/app/node_modules`, `.git`. */
  dir: string;
  paths: string[];
  count: number;
}

const MAX_LISTED = 50;

/** What the outside-write check leaves out of the user's working tree: .git, duo's records, venvs, `skip`. */
function treePrunes(tree: { root: string; skip: readonly string[] }): Set<string> {
  return new Set([...['.git', '.duo', ...VENVS].map((p) => join(tree.root, p)), ...tree.skip]);
}

/** Starts a window: anything written under `dirs` or into `.git`'s config, hooks or info after this is found. */
export function outsideStamp(
  gitCommonDir: string,
  stampDir: string,
  /** The user's working tree: a small one is snapshotted, so what was written just before the stamp is not the call's. */
  tree?: { root: string; skip: readonly string[] },
): OutsideStamp {
  mkdirSync(stampDir, { recursive: true });
  const file = join(stampDir, `outside-${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`);
  writeFileSync(file, '');
  // File times come from the kernel's coarse clock: a write in the same tick as the stamp would not be newer than it,
  // so the window starts one tick early (at most 10 ms, a kernel at 100 Hz) — a whole second where the file system
  // keeps seconds. No earlier: what was written before the call (the user saving a file, npm install, duo's own
  // commit) is not the call's.
  const created = statSync(file, { bigint: true }).mtimeNs;
  const since = created - (created % 1_000_000_000n === 0n ? 1_000_000_000n : 10_000_000n);
  const t = Number(since) / 1e9;
  utimesSync(file, t, t);
  return {
    file,
    since: statSync(file, { bigint: true }).mtimeNs,
    gitFiles: gitDigest(gitCommonDir),
    ...(tree ? { tree: snapshotTree(tree.root, { prune: treePrunes(tree), pruneName: 'node_modules' }, since) } : {}),
  };
}

/** A file's identity as git's rewrite would change it (a new inode, size or time); null when it is not there. */
export function fileIdentity(file: string): string | null {
  try {
    const st = statSync(file, { bigint: true });
    return `${st.ino}:${st.size}:${st.mtimeNs}:${st.ctimeNs}`;
  } catch {
    return null;
  }
}

/**
 * What changed since the stamp: every file or folder under the user's working tree and dependency folders whose
 * status changed (ctime: a write, create, delete, rename or chmod sets it, and no one can set it back), and every
 * protected file of `.git` whose content changed apart from duo's own entries. The walks (`find -cnewer`) run side
 * by side; the stamp file is removed.
 */
export async function outsideChanges(
  stamp: OutsideStamp,
  dirs: readonly DependencyDir[],
  gitCommonDir: string,
  /** The user's working tree, watched too (less .git, duo's records, dependency and `skip` folders). */
  tree?: { root: string; skip: readonly string[] },
): Promise<OutsideChange[]> {
  const out: OutsideChange[] = [];
  try {
    const treeScan = async (): Promise<OutsideChange | null> => {
      if (!tree) return null;
      const pruned = treePrunes(tree);
      // A small tree is compared with its snapshot here; a big one is walked by find (tree-walk.ts).
      const found =
        (stamp.tree &&
          changedSinceSnapshot(
            tree.root,
            { prune: pruned, pruneName: 'node_modules', maxListed: MAX_LISTED },
            stamp.tree,
          )) ??
        (await findNewer(
          [
            tree.root,
            '(',
            ...[...pruned].flatMap((p) => ['-path', p, '-o']),
            '-name',
            'node_modules',
            ')',
            '-prune',
            '-o',
          ],
          stamp.file,
        ));
      return found.count
        ? { dir: '.', paths: found.paths.map((p) => relative(tree.root, p) || '.'), count: found.count }
        : null;
    };
    const depScan = async (d: DependencyDir): Promise<OutsideChange | null> => {
      const found = await changedSince(d.source, stamp.file);
      return found.count ? { dir: d.rel, paths: found.paths, count: found.count } : null;
    };
    // The walks run side by side: the user's tree and each dependency folder.
    for (const c of await Promise.all([treeScan(), ...dirs.map(depScan)])) if (c) out.push(c);
    const now = gitDigest(gitCommonDir);
    const changed = [...new Set([...Object.keys(now), ...Object.keys(stamp.gitFiles)])]
      .filter((k) => now[k] !== stamp.gitFiles[k])
      .sort();
    if (changed.length) out.push({ dir: '.git', paths: changed.map((k) => `.git/${k}`), count: changed.length });
  } finally {
    rmSync(stamp.file, { force: true });
  }
  return out;
}

/**
 * `find -cnewer STAMP` over DIR: the first MAX_LISTED paths (relative to DIR) and the count. The top-level entries
 * are split between one find per core, so a big node_modules is walked in parallel.
 */
async function changedSince(dir: string, stampFile: string): Promise<{ paths: string[]; count: number }> {
  const entries = readdirSync(dir).map((e) => join(dir, e));
  const lanes = Math.max(1, Math.min(4, availableParallelism(), Math.ceil(entries.length / 64)));
  const groups = Array.from({ length: lanes }, (_, lane) => entries.filter((_e, i) => i % lanes === lane));
  // The folder itself: an entry added, removed or renamed at the top changes it.
  const results = await Promise.all([
    findNewer([dir, '-maxdepth', '0'], stampFile),
    ...groups.filter((g) => g.length).map((g) => findNewer(g, stampFile)),
  ]);
  const paths = results.flatMap((r) => r.paths).map((p) => relative(dir, p) || '.');
  return { paths: paths.slice(0, MAX_LISTED), count: results.reduce((n, r) => n + r.count, 0) };
}

function findNewer(args: string[], stampFile: string): Promise<{ paths: string[]; count: number }> {
  return new Promise((resolvePromise) => {
    const child = spawn('find', [...args, '-cnewer', stampFile, '-print0'], { stdio: ['ignore', 'pipe', 'ignore'] });
    const paths: string[] = [];
    let count = 0;
    let rest = '';
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\0');
      rest = parts.pop() ?? '';
      for (const p of parts) {
        count++;
        if (paths.length < MAX_LISTED) paths.push(p);
      }
    });
    child.on('error', () => resolvePromise({ paths, count }));
    child.on('close', () => resolvePromise({ paths, count }));
  });
}

/**
 * Digests of what in the shared .git changes how git behaves for every worktree: config (less duo's own
 * `branch.duo/…` sections), hooks, and info/ (exclude less duo's own lines, attributes, sparse-checkout).
 */
function gitDigest(common: string): Record<string, string> {
  const out: Record<string, string> = {};
  const hash = (text: string | Buffer) => createHash('sha256').update(text).digest('hex').slice(0, 16);
  const config = join(common, 'config');
  if (existsSync(config)) out.config = hash(withoutDuoSections(readFileSync(config, 'utf8')));
  for (const sub of ['hooks', 'info']) {
    const dir = join(common, sub);
    if (!isDir(dir)) continue;
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (!statSafe(p)?.isFile()) continue;
      const text = readFileSync(p);
      out[`${sub}/${name}`] = hash(
        sub === 'info' && name === 'exclude' ? withoutDuoLines(text.toString('utf8')) : text,
      );
    }
  }
  return out;
}

function withoutDuoSections(config: string): string {
  const kept: string[] = [];
  let duo = false;
  for (const line of config.split('\n')) {
    if (/^\s*\[/.test(line)) duo = /^\s*\[branch\s+"duo\//.test(line);
    if (!duo) kept.push(line);
  }
  return kept.join('\n');
}

/** Lines duo itself writes into info/exclude (the record folder, the dependency links): see repo.ts. */
function withoutDuoLines(exclude: string): string {
  const lines = exclude.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i] as string;
    if (/^# duo (run records|links installed dependencies into its worktrees)$/.test(l)) {
      i++; // and the pattern line duo wrote under its comment
      continue;
    }
    kept.push(l);
  }
  return kept.join('\n');
}

function isDir(p: string): boolean {
  return statSafe(p)?.isDirectory() ?? false;
}

function statSafe(p: string) {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

function lexists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}
