import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import { redactValue } from '../agents/redact.js';
import type { RunState } from '../protocol/types.js';
import { damagedRow, type RunFacts, type RunRow, runFacts, runRow, runText, type TextField } from './run-facts.js';

/**
 * The run index: `.duo/index/` beside the records, three append-only JSON-lines files — rows (what `duo log`
 * lists), text (what `--search` reads) and facts (what `duo stats` counts). A line is appended when a run's entry
 * changes; the last line of a run wins. No native dependency, no database: a `duo log` over 10,000 runs reads one
 * file instead of 10,000 records.
 *
 * The records stay the truth. Every line carries the revision of the state.json it came from (inode, size,
 * mtime); a reader checks each run's revision against the file on disk and re-derives the runs that differ — a
 * record edited by hand, one written by an older duo, a crash between the checkpoint and the index line — and
 * drops runs whose folder is gone. A missing index is rebuilt from the records on first use.
 *
 * Several processes append at once (a run checkpointing while `duo log` heals the index): each line is one
 * O_APPEND write(2), so lines never interleave. When superseded lines outnumber live ones the files are compacted
 * under a lock and renamed into place; a line another process appended meanwhile is lost with the old file, and the
 * revision check re-derives that run on the next read.
 */
export const INDEX_DIR = join('.duo', 'index');
const FILES = { rows: 'runs.jsonl', text: 'text.jsonl', facts: 'facts.jsonl' } as const;
type Part = keyof typeof FILES;

/** Which state.json a line describes: changes whenever the file is rewritten (atomic rename) or edited in place. */
export function revisionOf(st: Stats): string {
  return `${st.ino}:${st.size}:${Math.round(st.mtimeMs * 1000)}`;
}

interface Line<T> {
  runId: string;
  rev: string;
  value: T;
  /** On a row line: the revisions of the run's current text and facts lines. */
  textRev?: string;
  factsRev?: string;
}

type Entry = { rows: RunRow; text: TextField[]; facts: RunFacts | null };

/**
 * A run as the index lists it: the columns queries filter on come from the line's prefix, without parsing it; the
 * whole row is parsed only when asked for (a page shown, a running run's owner).
 */
export interface RowRef {
  runId: string;
  createdAt: string;
  status: string;
  mode: string;
  requestedMode: string;
  row(): RunRow;
}

/** The columns written before a row line's value, in this order (see put). */
const ROW_COLUMNS =
  /"textRev":"([^"\\]*)","factsRev":"([^"\\]*)","createdAt":"([^"\\]*)","status":"([^"\\]*)","mode":"([^"\\]*)","requestedMode":"([^"\\]*)",$/;

function refOf(row: RunRow): RowRef {
  return {
    runId: row.runId,
    createdAt: row.createdAt,
    status: row.status,
    mode: row.mode,
    requestedMode: row.requestedMode,
    row: () => row,
  };
}

/** A run whose search text matched; its fields are parsed on demand. */
export interface TextHit {
  runId: string;
  fields(): TextField[];
}

/**
 * Search text is stored with each field's kind as a number, so a search for "task" or "finding" matches what was
 * written, not the names of the fields.
 */
const KINDS = ['task', 'finding', 'rebuttal', 'disagreement', 'decision'];
function encodeText(fields: TextField[]): [number, string, string][] {
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

interface Scan {
  content: string;
  latest: Map<string, { rev: string; start: number; end: number }>;
  total: number;
}

/**
 * Whether [start, end) of `content` holds every needle, case-insensitively: each needle's occurrences are found in
 * the whole file once (a case-insensitive regular expression: no lowercased copy of a 10 MB file), then each line is
 * a binary search per needle. The exact field-by-field check is made later, for the runs shown.
 */
function occurrences(content: string, needles: string[]): (start: number, end: number) => boolean {
  const at = needles.map((n) => {
    const found: number[] = [];
    const re = new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    for (let m = re.exec(content); m; m = re.exec(content)) found.push(m.index);
    return { found, len: n.length };
  });
  return (start, end) =>
    at.every(({ found, len }) => {
      let lo = 0;
      let hi = found.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((found[mid] as number) < start) lo = mid + 1;
        else hi = mid;
      }
      return lo < found.length && (found[lo] as number) + len <= end;
    });
}

export class RunIndex {
  readonly dir: string;
  private readonly runsDir: string;
  /** What this process last appended per run and part, so an unchanged checkpoint appends (almost) nothing. */
  private readonly written = new Map<string, { rev: string; content: string }>();
  /** From the last rows(): each live run's revision, and the revisions its text and facts lines must carry. */
  private live = new Map<string, { rev: string; textRev?: string; factsRev?: string }>();

  constructor(
    readonly repoRoot: string,
    /**
     * Loads and validates a record (the store's loader); throws on a damaged one. Without it, the store is imported
     * only when a record must be re-derived: a query over a fresh index never loads the record schemas.
     */
    private load?: (runId: string) => RunState,
  ) {
    this.dir = join(repoRoot, INDEX_DIR);
    this.runsDir = join(repoRoot, '.duo', 'runs');
  }

  private async loader(): Promise<(runId: string) => RunState> {
    if (!this.load) {
      const { RunStore } = await import('./store.js');
      const store = new RunStore(this.repoRoot);
      this.load = (runId) => store.load(runId);
    }
    return this.load;
  }

  /** After a checkpoint: append the parts of this run's entry that changed. Never throws (the index is derived). */
  update(state: RunState): void {
    try {
      const st = statSync(join(this.runsDir, state.runId, 'state.json'));
      this.put(state.runId, revisionOf(st), { rows: runRow(state), text: runText(state), facts: runFacts(state) });
    } catch {
      // A reader re-derives this run from its record.
    }
  }

  /**
   * Every run, checked against the records (stale ones re-derived), newest first. Only the line prefixes are read:
   * a row is parsed when it is asked for.
   */
  async refs(): Promise<RowRef[]> {
    const revisions = liveRevisions(this.runsDir);
    const file = this.scan('rows');
    const out: RowRef[] = [];
    this.live = new Map();
    for (const [runId, rev] of revisions) {
      const line = file.latest.get(runId);
      const valueAt = line && line.rev === rev ? file.content.indexOf('"value":', line.start) : -1;
      const cols =
        line && valueAt > 0 && valueAt < line.end ? ROW_COLUMNS.exec(file.content.slice(line.start, valueAt)) : null;
      if (line && cols) {
        const [, textRev, factsRev, createdAt, status, mode, requestedMode] = cols as unknown as string[];
        let parsed: RunRow | undefined;
        out.push({
          runId,
          createdAt: createdAt as string,
          status: status as string,
          mode: mode as string,
          requestedMode: requestedMode as string,
          row: () => {
            parsed ??= parseRow(runId, file.content.slice(line.start, line.end));
            return parsed;
          },
        });
        this.live.set(runId, { rev, textRev: textRev as string, factsRev: factsRev as string });
      } else {
        out.push(refOf((await this.reindex(runId, rev)).rows));
        this.live.set(runId, { rev, textRev: rev, factsRev: rev });
      }
    }
    if (file.total >= 2 * revisions.size + 500) this.compact();
    out.sort(newestFirst);
    return out;
  }

  /** Every run's row, fresh, newest first. */
  async rows(): Promise<RunRow[]> {
    return (await this.refs()).map((r) => r.row());
  }

  /**
   * The newest `limit` runs, fresh, and how many runs there are — for a plain `duo log`, which shows a page and a
   * count: only the runs shown are checked against their records and parsed. A run id starts with its creation
   * time, so the newest are the last folder names.
   */
  async newest(limit: number): Promise<{ rows: RunRow[]; total: number }> {
    let dirs: string[];
    try {
      dirs = readdirSync(this.runsDir, { withFileTypes: true })
        .filter((d) => d.isDirectory())
        .map((d) => d.name);
    } catch {
      dirs = [];
    }
    dirs.sort().reverse();
    const file = this.scan('rows');
    const rows: RunRow[] = [];
    let total = dirs.length;
    for (const runId of dirs) {
      if (rows.length >= limit) break;
      const st = statSync(`${this.runsDir}${sep}${runId}${sep}state.json`, { throwIfNoEntry: false });
      if (!st?.isFile()) {
        total--; // a folder without a record is not a run
        continue;
      }
      const rev = revisionOf(st);
      const line = file.latest.get(runId);
      rows.push(
        line && line.rev === rev
          ? parseRow(runId, file.content.slice(line.start, line.end))
          : (await this.reindex(runId, rev)).rows,
      );
    }
    rows.sort(newestFirst);
    return { rows, total };
  }

  /**
   * The runs among `rows` (in their order) whose search text holds every needle (lowercase, as they appear in JSON).
   * The needles are found in the whole file at once, only inside each line's value; a line is parsed only when its
   * fields are asked for — for the page of results shown, not for every run that matches.
   */
  async text(rows: { runId: string; status: string }[], needles: string[]): Promise<TextHit[]> {
    const file = this.scan('text');
    const holds = needles.length ? occurrences(file.content, needles) : null;
    const out: TextHit[] = [];
    for (const row of rows) {
      if (row.status === 'damaged') continue;
      const live = this.live.get(row.runId);
      if (!live) continue;
      const line = file.latest.get(row.runId);
      if (line && live.textRev && line.rev === live.textRev) {
        const value = file.content.indexOf('"value":', line.start);
        if (holds && !holds(value, line.end)) continue;
        const raw = file.content.slice(line.start, line.end);
        out.push({ runId: row.runId, fields: () => parseText(raw) });
        continue;
      }
      const fresh = (await this.reindex(row.runId, live.rev)).text;
      const lower = JSON.stringify(encodeText(fresh)).toLowerCase();
      if (needles.every((n) => lower.includes(n))) out.push({ runId: row.runId, fields: () => fresh });
    }
    return out;
  }

  facts(rows: { runId: string; status: string }[]): Promise<Map<string, RunFacts>> {
    return this.partFor<RunFacts>('facts', rows);
  }

  private async partFor<T>(part: 'facts', rows: { runId: string; status: string }[]): Promise<Map<string, T>> {
    const file = this.scan(part);
    const out = new Map<string, T>();
    for (const row of rows) {
      if (row.status === 'damaged') continue;
      const live = this.live.get(row.runId);
      if (!live) continue;
      const line = file.latest.get(row.runId);
      if (line && live.factsRev && line.rev === live.factsRev) {
        try {
          out.set(row.runId, (JSON.parse(file.content.slice(line.start, line.end)) as Line<T>).value);
          continue;
        } catch {
          // a mangled line: re-derived below
        }
      }
      const fresh = (await this.reindex(row.runId, live.rev))[part] as T | null;
      if (fresh !== null) out.set(row.runId, fresh);
    }
    return out;
  }

  /** Load the record and append its whole entry; a record that does not load gets a damaged row. */
  private async reindex(runId: string, rev: string): Promise<Entry> {
    const load = await this.loader();
    let entry: Entry;
    try {
      const state = load(runId);
      entry = { rows: runRow(state), text: runText(state), facts: runFacts(state) };
    } catch (e) {
      entry = { rows: damagedRow(runId, (e as Error).message), text: [], facts: null };
    }
    this.put(runId, rev, entry, true);
    return entry;
  }

  /**
   * Text and facts are appended when their content changed; the row whenever the revision or its content did,
   * naming the revisions of the text and facts lines that belong to it.
   */
  private put(runId: string, rev: string, raw: Entry, all = false): void {
    try {
      // Keys and tokens never reach the index: every string is masked before it is serialised.
      const entry = redactValue(raw);
      mkdirSync(this.dir, { recursive: true });
      const revs: Record<'text' | 'facts', string> = { text: rev, facts: rev };
      for (const part of ['text', 'facts'] as const) {
        const content = JSON.stringify(part === 'text' ? encodeText(entry.text) : entry.facts);
        const key = `${part}\0${runId}`;
        const before = this.written.get(key);
        if (!all && before?.content === content) {
          revs[part] = before.rev;
          continue;
        }
        appendLine(join(this.dir, FILES[part]), lineOf(runId, rev, content));
        this.written.set(key, { rev, content });
      }
      const content = JSON.stringify(entry.rows);
      const key = `rows\0${runId}`;
      const before = this.written.get(key);
      if (!all && before?.rev === rev && before.content === content) return;
      const r = entry.rows;
      const cols = { textRev: revs.text, factsRev: revs.facts, createdAt: r.createdAt, status: r.status, mode: r.mode };
      const head = Object.entries({ ...cols, requestedMode: r.requestedMode })
        .map(([k, v]) => `"${k}":${JSON.stringify(v)},`)
        .join('');
      appendLine(join(this.dir, FILES.rows), lineOf(runId, rev, content, head));
      this.written.set(key, { rev, content });
    } catch {
      // An index that cannot be written (read-only checkout, full disk) only costs the next reader a re-derive.
    }
  }

  /**
   * A part's file and, per run, where its last line is: run id and revision come from the line's fixed prefix
   * (`{"runId":"…","rev":"…",`), so finding them costs no JSON.parse and no copy of the line.
   */
  private scan(part: Part): Scan {
    const latest = new Map<string, { rev: string; start: number; end: number }>();
    const path = join(this.dir, FILES[part]);
    if (!existsSync(path)) return { content: '', latest, total: 0 };
    const content = readFileSync(path, 'utf8');
    const PREFIX = '{"runId":"';
    let total = 0;
    for (let start = 0; start < content.length; ) {
      let end = content.indexOf('\n', start);
      if (end < 0) end = content.length;
      if (end > start) {
        total++;
        if (content.startsWith(PREFIX, start)) {
          const idEnd = content.indexOf('"', start + PREFIX.length);
          const revStart = idEnd + '","rev":"'.length;
          const revEnd = content.indexOf('"', revStart);
          if (idEnd > 0 && revEnd > 0 && revEnd < end && content.startsWith('","rev":"', idEnd))
            latest.set(content.slice(start + PREFIX.length, idEnd), {
              rev: content.slice(revStart, revEnd),
              start,
              end,
            });
        }
      }
      start = end + 1;
    }
    return { content, latest, total };
  }

  /** Rewrite each file with its last line per live run (under a lock; most lines were superseded). */
  private compact(): void {
    const lock = join(this.dir, 'compact.lock');
    let fd: number;
    try {
      fd = openSync(lock, 'wx');
    } catch {
      try {
        // A compactor that died leaves its lock: after a minute it is stale.
        if (Date.now() - statSync(lock).mtimeMs > 60_000) unlinkSync(lock);
      } catch {
        // someone else took it
      }
      return;
    }
    try {
      for (const part of ['rows', 'text', 'facts'] as const) {
        const scan = this.scan(part);
        const keep = [...scan.latest]
          .filter(([runId]) => this.live.has(runId))
          .map(([, l]) => scan.content.slice(l.start, l.end));
        const file = join(this.dir, FILES[part]);
        const tmp = `${file}.${process.pid}.tmp`;
        const out = openSync(tmp, 'w');
        try {
          writeSync(out, keep.length ? `${keep.join('\n')}\n` : '');
        } finally {
          closeSync(out);
        }
        renameSync(tmp, file);
      }
    } catch {
      // Compaction is an optimisation: the appended files stay correct without it.
    } finally {
      closeSync(fd);
      try {
        unlinkSync(lock);
      } catch {
        // already gone
      }
    }
  }
}

/** Newest first by creation time, then run id (plain comparisons: localeCompare is slow over 10,000 rows). */
export function newestFirst(a: { createdAt: string; runId: string }, b: { createdAt: string; runId: string }): number {
  if (a.createdAt !== b.createdAt) return a.createdAt < b.createdAt ? 1 : -1;
  return a.runId < b.runId ? 1 : a.runId > b.runId ? -1 : 0;
}

/** A row line's value; a line mangled by hand lists the run as damaged, with what to do. */
function parseRow(runId: string, raw: string): RunRow {
  try {
    return (JSON.parse(raw) as Line<RunRow>).value;
  } catch {
    return damagedRow(runId, 'its line in .duo/index/runs.jsonl does not read back; delete .duo/index to rebuild it');
  }
}

function lineOf(runId: string, rev: string, content: string, extra = ''): string {
  return `{"runId":${JSON.stringify(runId)},"rev":${JSON.stringify(rev)},${extra}"value":${content}}`;
}

/** runId → revision of its state.json, for every run folder that has one. */
function liveRevisions(runsDir: string): Map<string, string> {
  const live = new Map<string, string>();
  let names: string[];
  try {
    names = readdirSync(runsDir);
  } catch {
    names = [];
  }
  for (const runId of names) {
    // A template, not path.join: 10,000 joins normalising the same prefix cost more than the rest of the loop.
    const st = statSync(`${runsDir}${sep}${runId}${sep}state.json`, { throwIfNoEntry: false });
    if (st?.isFile()) live.set(runId, revisionOf(st));
  }
  return live;
}

function appendLine(file: string, line: string): void {
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  const fd = openSync(file, 'a');
  try {
    writeSync(fd, bytes, 0, bytes.length);
  } finally {
    closeSync(fd);
  }
}
