/**
 * Which finding points at which line: the page's cross-references between findings and the diff. Ids on the page are
 * made from positions (finding-3, diff-f1-L42), never from what an agent wrote, so a finding id or a file name can
 * only ever be text.
 */

import type { LedgerEntry, RunState } from '../../protocol/types.js';
import type { RunDiff } from './diff.js';

export interface Located {
  /** The fragment to link to: the line, or the file when the line is not in the diff. */
  anchor: string;
  exact: boolean;
}

export interface Anchors {
  /** A finding by its id (P1, R2), for links from the plan rounds. */
  finding(id: string): string | null;
  findingAt(index: number): string;
  /** Where a finding points in the diff, or null when its file is not in it. */
  location(entry: LedgerEntry): Located | null;
  /** The findings marked at each new-side line of a file, and those whose line is not shown. */
  marks(fileIndex: number): { atLine: Map<number, number[]>; elsewhere: number[] };
  lineAnchor(fileIndex: number, line: number): string;
  fileAnchor(fileIndex: number): string;
}

/** A finding's file as agents write it (./src/x.ts, a/src/x.ts, the worktree's absolute path) as the diff names it. */
function normalise(file: string, roots: string[]): string {
  let f = file.trim().replace(/\\/g, '/');
  for (const root of roots) if (root && f.startsWith(`${root}/`)) f = f.slice(root.length + 1);
  return f.replace(/^\.\//, '').replace(/^[ab]\//, '');
}

export function buildAnchors(state: RunState, diff: RunDiff): Anchors {
  const roots = [state.repoRoot, state.worktree?.path ?? ''];
  const fileIndex = new Map(diff.files.map((f, i) => [f.path, i]));
  const shownLines = diff.files.map((f) => new Set(f.lines.flatMap((l) => (l.new === null ? [] : [l.new]))));
  const byId = new Map<string, number>();
  state.findings.forEach((f, i) => {
    if (!byId.has(f.id)) byId.set(f.id, i);
  });
  const fileAnchor = (i: number) => `diff-f${i}`;
  const lineAnchor = (i: number, line: number) => `diff-f${i}-L${line}`;
  const where = (entry: LedgerEntry): { file: number; line: number | null } | null => {
    if (!entry.finding.file) return null;
    const i = fileIndex.get(normalise(entry.finding.file, roots));
    return i === undefined ? null : { file: i, line: entry.finding.line };
  };
  type Marks = { atLine: Map<number, number[]>; elsewhere: number[] };
  const marks = new Map<number, Marks>();
  state.findings.forEach((entry, n) => {
    const at = where(entry);
    if (!at) return;
    const m: Marks = marks.get(at.file) ?? { atLine: new Map(), elsewhere: [] };
    marks.set(at.file, m);
    if (at.line !== null && shownLines[at.file]?.has(at.line))
      m.atLine.set(at.line, [...(m.atLine.get(at.line) ?? []), n]);
    else m.elsewhere.push(n);
  });
  return {
    finding: (id) => {
      const i = byId.get(id);
      return i === undefined ? null : `finding-${i}`;
    },
    findingAt: (i) => `finding-${i}`,
    location: (entry) => {
      const at = where(entry);
      if (!at) return null;
      const exact = at.line !== null && !!shownLines[at.file]?.has(at.line);
      return { anchor: exact ? lineAnchor(at.file, at.line as number) : fileAnchor(at.file), exact };
    },
    marks: (i) => marks.get(i) ?? { atLine: new Map(), elsewhere: [] },
    lineAnchor,
    fileAnchor,
  };
}
