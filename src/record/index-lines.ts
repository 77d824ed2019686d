import { closeSync, openSync, writeSync } from 'node:fs';
import type { IndexFile } from './index-file.js';
import { damagedRow, type RunRow, type TextField } from './index-shapes.js';

/**
 * How the run index's lines are written and read back: the prefix every line starts with (run id, revision, and on
 * a row line the columns queries filter on), the row and text values, and one O_APPEND write per line.
 */
export interface Line<T> {
  runId: string;
  rev: string;
  value: T;
  /** On a row line: the revisions of the run's current text and facts lines. */
  textRev?: string;
  factsRev?: string;
}

/**
 * A run as the index lists it: the columns queries filter on come from the line's prefix, without parsing it; the
 * whole row is parsed only when it is asked for (a page shown, a running run's owner).
 */
export interface RowRef {
  runId: string;
  createdAt: string;
  status: string;
  mode: string;
  requestedMode: string;
  row(): RunRow;
}

/** A run whose search text matched; its fields are parsed on demand. */
export interface TextHit<R> {
  row: R;
  fields(): TextField[];
}

/** A matching search-text line, parsed only if its run is shown. */
export class TextLine<R> implements TextHit<R> {
  constructor(
    readonly row: R,
    private readonly file: IndexFile,
    private readonly start: number,
    private readonly end: number,
  ) {}
  fields(): TextField[] {
    return parseText(this.file.line(this.start, this.end));
  }
}

/** The columns written before a row line's value, in this order (see rowHead). */
const ROW_COLUMNS =
  /"textRev":"([^"\\]*)","factsRev":"([^"\\]*)","createdAt":"([^"\\]*)","status":"([^"\\]*)","mode":"([^"\\]*)","requestedMode":"([^"\\]*)",$/;

export function rowHead(row: RunRow, textRev: string, factsRev: string): string {
  const cols = { textRev, factsRev, createdAt: row.createdAt, status: row.status, mode: row.mode };
  return Object.entries({ ...cols, requestedMode: row.requestedMode })
    .map(([k, v]) => `"${k}":${JSON.stringify(v)},`)
    .join('');
}

/** A row read from its line's prefix; the value is parsed on first use (a class: 10,000 of them, no closures). */
class IndexedRow implements RowRef {
  private parsed: RunRow | undefined;
  constructor(
    readonly runId: string,
    readonly createdAt: string,
    readonly status: string,
    readonly mode: string,
    readonly requestedMode: string,
    private readonly file: IndexFile,
    private readonly start: number,
    private readonly end: number,
  ) {}
  row(): RunRow {
    this.parsed ??= parseRow(this.runId, this.file.line(this.start, this.end));
    return this.parsed;
  }
}

/** The row of a line whose prefix has the columns, with the revisions of its text and facts; null otherwise. */
export function readRowLine(
  file: IndexFile,
  runId: string,
  line: { start: number; end: number },
): { ref: RowRef; textRev: string; factsRev: string } | null {
  const valueAt = file.bytes.indexOf('"value":', line.start);
  if (valueAt < 0 || valueAt > line.end) return null;
  const cols = ROW_COLUMNS.exec(file.bytes.slice(line.start, valueAt));
  if (!cols) return null;
  const [, textRev, factsRev, createdAt, status, mode, requestedMode] = cols as unknown as string[];
  const ref = new IndexedRow(
    runId,
    createdAt as string,
    status as string,
    mode as string,
    requestedMode as string,
    file,
    line.start,
    line.end,
  );
  return { ref, textRev: textRev as string, factsRev: factsRev as string };
}

export function refOf(row: RunRow): RowRef {
  return {
    runId: row.runId,
    createdAt: row.createdAt,
    status: row.status,
    mode: row.mode,
    requestedMode: row.requestedMode,
    row: () => row,
  };
}

/** A row line's value; a line mangled by hand lists the run as damaged, with what to do. */
export function parseRow(runId: string, raw: string): RunRow {
  try {
    return (JSON.parse(raw) as Line<RunRow>).value;
  } catch {
    return damagedRow(runId, 'its line in .duo/index/runs.jsonl does not read back; delete .duo/index to rebuild it');
  }
}

/**
 * Search text is stored with each field's kind as a number, so a search for "task" or "finding" matches what was
 * written, not the names of the fields.
 */
const KINDS = ['task', 'finding', 'rebuttal', 'disagreement', 'decision'];
export function encodeText(fields: TextField[]): [number, string, string][] {
  return fields.map(([kind, label, text]) => [Math.max(0, KINDS.indexOf(kind)), label, text]);
}
function parseText(raw: string): TextField[] {
  try {
    const value = (JSON.parse(raw) as Line<[number, string, string][]>).value;
    return value.map(([code, label, text]) => [KINDS[code] ?? 'task', label, text]);
  } catch {
    return []; // a mangled line matches nothing
  }
}

/** Newest first by creation time, then run id (plain comparisons: localeCompare is slow over 10,000 rows). */
export function newestFirst(a: { createdAt: string; runId: string }, b: { createdAt: string; runId: string }): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

export function lineOf(runId: string, rev: string, content: string, head = ''): string {
  return `{"runId":${JSON.stringify(runId)},"rev":${JSON.stringify(rev)},${head}"value":${content}}`;
}

/** One line, one write(2) with O_APPEND: lines from several processes never interleave. */
export function appendLine(file: string, line: string): void {
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, bytes, 0, bytes.length);
  } finally {
    closeSync(fd);
  }
}
