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
import { join } from 'node:path';
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

export class RunIndex {
  readonly dir: string;
  private readonly runsDir: string;
  /** What this process last appended per run and part, so an unchanged checkpoint appends (almost) nothing. */
  private readonly written = new Map<string, { rev: string; content: string }>();
  /** From the last rows(): each live run's revision, and the revisions its text and facts lines must carry. */
  private live = new Map<string, { rev: string; textRev?: string; factsRev?: string }>();

  constructor(
    readonly repoRoot: string,
    /** Loads and validates a record (the store's loader); throws on a damaged one. */
    private readonly load: (runId: string) => RunState,
  ) {
    this.dir = join(repoRoot, INDEX_DIR);
    this.runsDir = join(repoRoot, '.duo', 'runs');
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

  /** Every run's row, checked against the records (stale ones re-derived), newest first. */
  rows(): RunRow[] {
    const revisions = liveRevisions(this.runsDir);
    const { latest, total } = this.readPart<RunRow>('rows');
    const out: RunRow[] = [];
    this.live = new Map();
    for (const [runId, rev] of revisions) {
      const line = latest.get(runId);
      if (line && line.rev === rev) {
        out.push(line.value);
        this.live.set(runId, {
          rev,
          ...(line.textRev ? { textRev: line.textRev } : {}),
          ...(line.factsRev ? { factsRev: line.factsRev } : {}),
        });
      } else {
        out.push(this.reindex(runId, rev).rows);
        this.live.set(runId, { rev, textRev: rev, factsRev: rev });
      }
    }
    if (total >= 2 * revisions.size + 500) this.compact();
    out.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
    return out;
  }

  /**
   * The search text of the given runs (rows from rows()). `prefilter` sees the raw line, lowercased, and may reject
   * it before it is parsed — the search's all-words check — so only candidate lines cost a JSON.parse.
   */
  text(rows: RunRow[], prefilter: (rawLowercase: string) => boolean): Map<string, TextField[]> {
    return this.partFor<TextField[]>('text', rows, prefilter);
  }

  facts(rows: RunRow[]): Map<string, RunFacts> {
    return this.partFor<RunFacts>('facts', rows, () => true);
  }

  private partFor<T>(part: 'text' | 'facts', rows: RunRow[], prefilter: (raw: string) => boolean): Map<string, T> {
    const raw = this.readRaw(part).latest;
    const out = new Map<string, T>();
    for (const row of rows) {
      if (row.damaged) continue;
      const live = this.live.get(row.runId);
      if (!live) continue;
      const want = part === 'text' ? live.textRev : live.factsRev;
      const line = raw.get(row.runId);
      if (line && want && line.rev === want) {
        if (!prefilter(line.raw.toLowerCase())) continue;
        try {
          out.set(row.runId, (JSON.parse(line.raw) as Line<T>).value);
          continue;
        } catch {
          // a mangled line: re-derived below
        }
      }
      const fresh = this.reindex(row.runId, live.rev)[part] as T | null;
      if (fresh !== null && prefilter(JSON.stringify(fresh).toLowerCase())) out.set(row.runId, fresh);
    }
    return out;
  }

  /** Load the record and append its whole entry; a record that does not load gets a damaged row. */
  private reindex(runId: string, rev: string): Entry {
    let entry: Entry;
    try {
      const state = this.load(runId);
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
  private put(runId: string, rev: string, entry: Entry, all = false): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const revs: Record<'text' | 'facts', string> = { text: rev, facts: rev };
      for (const part of ['text', 'facts'] as const) {
        const content = JSON.stringify(entry[part]);
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
      appendLine(
        join(this.dir, FILES.rows),
        lineOf(runId, rev, content, `"textRev":${JSON.stringify(revs.text)},"factsRev":${JSON.stringify(revs.facts)},`),
      );
      this.written.set(key, { rev, content });
    } catch {
      // An index that cannot be written (read-only checkout, full disk) only costs the next reader a re-derive.
    }
  }

  /** The last line per run of a part, parsed. */
  private readPart<T>(part: Part): { latest: Map<string, Line<T>>; total: number } {
    const { latest: raw, total } = this.readRaw(part);
    const latest = new Map<string, Line<T>>();
    for (const [runId, line] of raw) {
      try {
        latest.set(runId, JSON.parse(line.raw) as Line<T>);
      } catch {
        // a cut or hand-mangled line: that run is re-derived
      }
    }
    return { latest, total };
  }

  /** The last line per run of a part, unparsed: run id and revision are read from the line's fixed prefix. */
  private readRaw(part: Part): { latest: Map<string, { rev: string; raw: string }>; total: number } {
    const latest = new Map<string, { rev: string; raw: string }>();
    const file = join(this.dir, FILES[part]);
    if (!existsSync(file)) return { latest, total: 0 };
    let total = 0;
    for (const raw of readFileSync(file, 'utf8').split('\n')) {
      if (!raw) continue;
      total++;
      const m = /^\{"runId":"([^"\\]+)","rev":"([^"\\]+)",/.exec(raw);
      if (m) latest.set(m[1] as string, { rev: m[2] as string, raw });
    }
    return { latest, total };
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
        const keep = [...this.readRaw(part).latest].filter(([runId]) => this.live.has(runId)).map(([, l]) => l.raw);
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
    const st = statSync(join(runsDir, runId, 'state.json'), { throwIfNoEntry: false });
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
