/**
 * What in a small folder tree changed, read in the process. The check after every agent call walks the user's
 * working tree; for most repositories that is a few hundred entries, which lstat reads in well under a millisecond
 * where a find process costs several. Two readings:
 * - walkNewer: what changed since a moment — find's `( -path P… -o -name N ) -prune -o -cnewer STAMP -print`;
 * - snapshotTree / changedSinceSnapshot: what changed since a snapshot of every entry's status-change time, so a write
 *   just before the snapshot (the user saving a file as the run starts) is not taken for one during the call.
 * A tree over the budget is left to find (outsideChanges falls back), and remembered as too big to try again.
 */

import { createHash } from 'node:crypto';
import { type BigIntStats, lstatSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Entries read before the walk gives way to find: about a millisecond or two of lstat. */
const WALK_BUDGET = 1_500;
const tooBig = new Set<string>();

export interface WalkOptions {
  /** Absolute paths not to descend into or report (find's `-path P -prune`). */
  prune: ReadonlySet<string>;
  /** A folder name pruned wherever it is (find's `-name N -prune`). */
  pruneName: string;
  /** The window's start: the stamp file's modification time, in ns (what find's -cnewer compares with). */
  since: bigint;
  maxListed: number;
}

export function walkNewer(root: string, opts: WalkOptions): { paths: string[]; count: number } | null {
  const out = { paths: [] as string[], count: 0 };
  const ok = walkTree(root, opts, (path, st) => {
    // find's -cnewer: the entry's status change time after the stamp's modification time.
    if (st.ctimeNs <= opts.since) return;
    out.count++;
    if (out.paths.length < opts.maxListed) out.paths.push(path);
  });
  return ok ? out : null;
}

/** Every entry's status-change time at the snapshot, and for an entry changed within a tick of it, what it held. */
export type TreeSnapshot = Map<string, { ctime: bigint; held?: string }>;

/** Files hashed in full when hot; a bigger one is judged by its size and times. */
const HOT_FILE_MAX = 1024 * 1024;

/**
 * The tree as it is now. An entry whose status changed at or after `hot` (within a clock tick of now) could change
 * again in the same tick with no new time, so what it holds is kept too: a file's content hash, a folder's names.
 */
export function snapshotTree(
  root: string,
  opts: Pick<WalkOptions, 'prune' | 'pruneName'>,
  hot: bigint,
): TreeSnapshot | null {
  const snap: TreeSnapshot = new Map();
  const ok = walkTree(root, opts, (path, st) => {
    snap.set(path, st.ctimeNs >= hot ? { ctime: st.ctimeNs, held: held(path, st) } : { ctime: st.ctimeNs });
  });
  return ok ? snap : null;
}

/** What changed since the snapshot: new entries, and entries whose status changed (or, hot, whose content did). */
export function changedSinceSnapshot(
  root: string,
  opts: Pick<WalkOptions, 'prune' | 'pruneName' | 'maxListed'>,
  snap: TreeSnapshot,
): { paths: string[]; count: number } | null {
  const out = { paths: [] as string[], count: 0 };
  const ok = walkTree(root, opts, (path, st) => {
    const was = snap.get(path);
    const changed = !was || was.ctime !== st.ctimeNs || (was.held !== undefined && was.held !== held(path, st));
    if (!changed) return;
    out.count++;
    if (out.paths.length < opts.maxListed) out.paths.push(path);
  });
  return ok ? out : null;
}

function held(path: string, st: BigIntStats): string {
  try {
    if (st.isDirectory()) return readdirSync(path).sort().join('\0');
    if (st.isFile() && st.size <= HOT_FILE_MAX) return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    // Gone or unreadable: its time says the rest.
  }
  return `${st.size}:${st.mtimeNs}:${st.mode}`;
}

/** Depth first, each folder's entries in its listing order (find's), the root included; false over the budget. */
function walkTree(
  root: string,
  opts: Pick<WalkOptions, 'prune' | 'pruneName'>,
  visit: (path: string, st: BigIntStats) => void,
): boolean {
  if (tooBig.has(root)) return false;
  let read = 0;
  try {
    visit(root, lstatSync(root, { bigint: true }));
  } catch {
    return true;
  }
  const walk = (dir: string): boolean => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return true;
    }
    for (const name of names) {
      if (++read > WALK_BUDGET) return false;
      const path = join(dir, name);
      if (name === opts.pruneName || opts.prune.has(path)) continue;
      let st: BigIntStats;
      try {
        st = lstatSync(path, { bigint: true });
      } catch {
        continue;
      }
      visit(path, st);
      if (st.isDirectory() && !walk(path)) return false;
    }
    return true;
  };
  if (walk(root)) return true;
  tooBig.add(root);
  return false;
}
