import { closeSync, openSync, writeSync } from 'node:fs';
import type { IndexFile } from './index-file.js';
import { damagedRow, type RunRow, type TextField } from './index-shapes.js';

const BACKSLASH = 0x5c;

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

/** The columns written before a row line's value, in this order (see rowHead), as each is preceded in a line. */
const COLUMN_KEYS = ['textRev', 'factsRev', 'createdAt', 'status', 'mode', 'requestedMode'].map((c) => `","${c}":"`);
const AFTER_COLUMNS = '","value":';
/** What precedes the run id and the revision in every line (see lineOf). */
const ID_AND_REV = '{"runId":"'.length + '","rev":"'.length;

export function rowHead(row: RunRow, textRev: string, factsRev: string): string {
  const cols = { textRev, factsRev, createdAt: row.createdAt, status: row.status, mode: row.mode };
  return Object.entries({ ...cols, requestedMode: row.requestedMode })
    .map(([k, v]) => `"${k}":${JSON.stringify(v)},`)
    .join('');
}

/**
 * A run the index lists, checked against its record: the revision of its state.json, and the revisions its text and
 * facts lines must carry to belong to it.
 */
export interface LiveRun {
  rev: string;
  textRev(): string;
  factsRev(): string;
}

/**
 * A row read from its line's prefix, in place: the columns queries filter and sort on are read at once, the
 * revisions of its text and facts when a search or `duo stats` asks, the value when the row is shown (a class:
 * 10,000 of them, no closures).
 */
class IndexedRow implements RowRef, LiveRun {
  private parsed: RunRow | undefined;
  constructor(
    readonly runId: string,
    readonly rev: string,
    readonly createdAt: string,
    readonly status: string,
    readonly mode: string,
    readonly requestedMode: string,
    private readonly file: IndexFile,
    private readonly start: number,
    /** Where the textRev and factsRev values start. */
    private readonly textAt: number,
    private readonly factsAt: number,
  ) {}
  row(): RunRow {
    this.parsed ??= parseRow(this.runId, this.file.line(this.start, this.file.end(this.start)));
    return this.parsed;
  }
  textRev(): string {
    return this.file.bytes.slice(this.textAt, this.file.bytes.indexOf('"', this.textAt));
  }
  factsRev(): string {
    return this.file.bytes.slice(this.factsAt, this.file.bytes.indexOf('"', this.factsAt));
  }
}

/**
 * The row of the line at `start`, which carries `rev` (IndexFile.hasRev), read from the columns of its prefix; null
 * when the prefix has not every column, as written (a line from an older duo, or mangled): the run is re-derived.
 */
export function readRowLine(file: IndexFile, runId: string, rev: string, start: number): (RowRef & LiveRun) | null {
  const bytes = file.bytes;
  // From the revision's closing quote, each column follows as `","<name>":"<value>`, a value without quotes.
  let at = start + ID_AND_REV + runId.length + rev.length;
  const values: number[] = [];
  for (const key of COLUMN_KEYS) {
    if (!bytes.startsWith(key, at)) return null;
    const value = at + key.length;
    at = bytes.indexOf('"', value);
    if (at < 0 || bytes.charCodeAt(at - 1) === BACKSLASH) return null;
    values.push(value, at);
  }
  if (!bytes.startsWith(AFTER_COLUMNS, at)) return null;
  const text = (i: number) => bytes.slice(values[2 * i], values[2 * i + 1]);
  return new IndexedRow(runId, rev, text(2), text(3), text(4), text(5), file, start, values[0] ?? 0, values[2] ?? 0);
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
