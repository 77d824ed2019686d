import {
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join, sep } from 'node:path';
import { redactValue } from '../sys/redact.js';
import { type IndexFile, occurrences, readIndexFile } from './index-file.js';
import {
  appendLine,
  encodeText,
  type Line,
  type LiveRun,
  lineOf,
  newestFirst,
  parseRow,
  type RowRef,
  readRowLine,
  refOf,
  rowHead,
  type TextHit,
  TextLine,
} from './index-lines.js';
import { FACTS_VERSION, type IndexEntry, type RunFacts, type RunRow } from './index-shapes.js';
import { timed, timedAsync } from './spent.js';

export { newestFirst, type RowRef, type TextHit } from './index-lines.js';

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
const INDEX_DIR = join('.duo', 'index');
const FILES = { rows: 'runs.jsonl', text: 'text.jsonl', facts: 'facts.jsonl' } as const;
type Part = keyof typeof FILES;

/** Which state.json a line describes: changes whenever the file is rewritten (atomic rename) or edited in place. */
function revisionOf(st: Stats): string {
  return `${st.ino}:${st.size}:${Math.round(st.mtimeMs * 1000)}`;
}

export class RunIndex {
  readonly dir: string;
  private readonly runsDir: string;
  /** What this process last appended per run and part, so an unchanged checkpoint appends (almost) nothing. */
  private readonly written = new Map<string, { rev: string; content: string }>();
  /** From the last refs(): each live run's revision, and the revisions its text and facts lines must carry. */
  private live = new Map<string, LiveRun>();

  constructor(readonly repoRoot: string) {
    this.dir = join(repoRoot, INDEX_DIR);
    this.runsDir = join(repoRoot, '.duo', 'runs');
  }

  /**
   * After a checkpoint: append the parts of this run's entry (derived by the store from the state it saved) that
   * changed. Never throws (the index is derived).
   */
  update(runId: string, entry: () => IndexEntry): void {
    try {
      const st = statSync(join(this.runsDir, runId, 'state.json'));
      this.put(runId, revisionOf(st), entry());
    } catch {
      // A reader re-derives this run from its record.
    }
  }

  /**
   * Every run, checked against the records (stale ones re-derived), newest first. Only the line prefixes are read:
   * a row is parsed when it is asked for.
   */
  async refs(): Promise<RowRef[]> {
    const revisions = timed('list runs', () => liveRevisions(this.runsDir));
    const file = timed('read rows', () => this.scan('rows'));
    const out: RowRef[] = [];
    this.live = new Map();
    await timedAsync('check rows', async () => {
      for (const [runId, rev] of revisions) {
        const start = file.latest.get(runId);
        const read =
          start !== undefined && file.hasRev(start, runId, rev) ? readRowLine(file, runId, rev, start) : null;
        if (read) {
          out.push(read);
          this.live.set(runId, read);
        } else {
          out.push(refOf((await this.reindex(runId, rev)).rows));
          this.live.set(runId, { rev, textRev: () => rev, factsRev: () => rev });
        }
      }
      out.sort(newestFirst);
    });
    if (file.total >= 2 * revisions.size + 500) timed('compact', () => this.compact());
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
    const dirs = timed('list runs', () => {
      try {
        return readdirSync(this.runsDir, { withFileTypes: true })
          .filter((d) => d.isDirectory())
          .map((d) => d.name)
          .sort()
          .reverse();
      } catch {
        return [];
      }
    });
    const file = timed('read rows', () => this.scan('rows'));
    const rows: RunRow[] = [];
    let total = dirs.length;
    await timedAsync('page', async () => {
      for (const runId of dirs) {
        if (rows.length >= limit) break;
        const st = statSync(`${this.runsDir}${sep}${runId}${sep}state.json`, { throwIfNoEntry: false });
        if (!st?.isFile()) {
          total--; // a folder without a record is not a run
          continue;
        }
        const rev = revisionOf(st);
        const start = file.latest.get(runId);
        rows.push(
          start !== undefined && file.hasRev(start, runId, rev)
            ? parseRow(runId, file.line(start, file.end(start)))
            : (await this.reindex(runId, rev)).rows,
        );
      }
      rows.sort(newestFirst);
    });
    return { rows, total };
  }

  /**
   * The runs among `rows` (in their order) whose search text holds every needle (lowercase, as they appear in JSON).
   * The needles are found in the whole file at once, only inside each line's value; a line is parsed only when its
   * fields are asked for — for the page of results shown, not for every run that matches.
   */
  async text<R extends { runId: string; status: string }>(rows: R[], needles: string[]): Promise<TextHit<R>[]> {
    const file = timed('read text', () => this.scan('text'));
    const holds = timed('search text', () => (needles.length ? occurrences(file, needles) : null));
    const out: TextHit<R>[] = [];
    return timedAsync('search text', async () => {
      for (const row of rows) {
        if (row.status === 'damaged') continue;
        const live = this.live.get(row.runId);
        if (!live) continue;
        const start = file.latest.get(row.runId);
        if (start !== undefined && file.hasRev(start, row.runId, live.textRev())) {
          const end = file.end(start);
          if (holds && !holds(file.bytes.indexOf('"value":', start), end)) continue;
          out.push(new TextLine(row, file, start, end));
          continue;
        }
        const fresh = (await this.reindex(row.runId, live.rev)).text;
        const lower = JSON.stringify(encodeText(fresh)).toLowerCase();
        if (needles.every((n) => lower.includes(n))) out.push({ row, fields: () => fresh });
      }
      return out;
    });
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
      const start = file.latest.get(row.runId);
      if (start !== undefined && file.hasRev(start, row.runId, live.factsRev())) {
        try {
          const value = (JSON.parse(file.line(start, file.end(start))) as Line<T>).value;
          // Facts of an older shape (written by an earlier duo) are re-derived below, from the record.
          if ((value as { v?: number } | null)?.v === FACTS_VERSION) {
            out.set(row.runId, value);
            continue;
          }
        } catch {
          // a mangled line: re-derived below
        }
      }
      const fresh = (await this.reindex(row.runId, live.rev))[part] as T | null;
      if (fresh !== null) out.set(row.runId, fresh);
    }
    return out;
  }

  /**
   * Load the record and append its whole entry; a record that does not load gets a damaged row. The derivation is
   * imported here, not above: it needs the record schemas, which a query over a fresh index never loads.
   */
  private async reindex(runId: string, rev: string): Promise<IndexEntry> {
    const { recordEntry } = await import('./run-facts.js');
    const entry = recordEntry(this.repoRoot, runId);
    this.put(runId, rev, entry, true);
    return entry;
  }

  /**
   * Text and facts are appended when their content changed; the row whenever the revision or its content did,
   * naming the revisions of the text and facts lines that belong to it.
   */
  private put(runId: string, rev: string, raw: IndexEntry, all = false): void {
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
      const head = rowHead(entry.rows, revs.text, revs.facts);
      appendLine(join(this.dir, FILES.rows), lineOf(runId, rev, content, head));
      this.written.set(key, { rev, content });
    } catch {
      // An index that cannot be written (read-only checkout, full disk) only costs the next reader a re-derive.
    }
  }

  private scan(part: Part): IndexFile {
    return readIndexFile(join(this.dir, FILES[part]));
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
          .map(([, start]) => scan.line(start, scan.end(start)));
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

/** runId → revision of its state.json, for every run folder that has one. */
function liveRevisions(runsDir: string): Map<string, string> {
  const live = new Map<string, string>();
  let names: string[];
  try {
    // Newest first: a run id starts with its creation time, so the rows come nearly in the order they are listed
    // in, and sorting them costs a pass instead of 140,000 comparisons of dates.
    names = readdirSync(runsDir).sort().reverse();
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
