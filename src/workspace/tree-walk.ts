/**
 * What in a small folder tree changed since a moment, read in the process: the same answer as
 * `find ROOT ( -path P… -o -name node_modules ) -prune -o -cnewer STAMP -print`, without starting find. The check
 * after every agent call walks the user's working tree; for most repositories that is a few hundred entries,
 * which lstat reads in well under a millisecond where a find process costs several. A tree over the budget is
 * left to find (outsideChanges falls back), and remembered as too big to try again.
 */

import { type BigIntStats, lstatSync, readdirSync } from 'node:fs';
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
  /** Whether the root folder's own change counts (find reports it); default true. */
  root?: boolean;
}

export function walkNewer(root: string, opts: WalkOptions): { paths: string[]; count: number } | null {
  const { prune, pruneName, since, maxListed } = opts;
  if (tooBig.has(root)) return null;
  const out = { paths: [] as string[], count: 0 };
  const note = (path: string, st: BigIntStats) => {
    // find's -cnewer: the entry's status change time after the stamp's modification time.
    if (st.ctimeNs <= since) return;
    out.count++;
    if (out.paths.length < maxListed) out.paths.push(path);
  };
  if (opts.root !== false) note(root, lstatSync(root, { bigint: true }));
  let read = 0;
  // Depth first, each folder's entries in the order the folder lists them: find's order.
  const walk = (dir: string): boolean => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return true; // find, too, skips what it cannot read
    }
    for (const name of names) {
      if (++read > WALK_BUDGET) return false;
      const path = join(dir, name);
      if (name === pruneName || prune.has(path)) continue;
      let st: BigIntStats;
      try {
        st = lstatSync(path, { bigint: true });
      } catch {
        continue; // gone since the listing
      }
      note(path, st);
      if (st.isDirectory() && !walk(path)) return false;
    }
    return true;
  };
  if (!walk(root)) {
    tooBig.add(root);
    return null;
  }
  return out;
}
