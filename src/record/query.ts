import { nearest } from '../config/nearest.js';
import { RUN_MODES, RUN_STATUSES } from '../protocol/statuses.js';
import type { RunRow, TextField } from './index-shapes.js';
import { RecordError } from './record-errors.js';
import { reposWithRuns } from './repos.js';
import { newestFirst, type RowRef, RunIndex, type TextHit } from './run-index.js';
import { effectiveStatus } from './run-owner.js';
import { timed } from './spent.js';

/**
 * Queries across runs, answered from the run index (never by loading every record): `duo log` with its filters
 * and `--search`, across one repo or every repo this user ran duo in. `searchRuns` is the one entry point, so
 * other front ends (an MCP tool, a plugin) list and search runs exactly as `duo log` does.
 */
export interface RunFilters {
  /** Effective statuses (a dead "running" run is "interrupted"), e.g. ["red", "paused"]. */
  status?: string[];
  /** Concrete modes, or "auto" for runs that were routed by auto mode. */
  mode?: string[];
  since?: Date;
  /** At most this many, newest first; 0 or absent: all. */
  limit?: number;
}

export interface SearchMatch {
  kind: string;
  label: string;
  snippet: string;
}

export interface RunHit extends RunRow {
  repo: string;
  /** Where the search words were found (with --search). */
  matches?: SearchMatch[];
}

export interface RunQuery {
  runs: RunHit[];
  /** How many matched before the limit. */
  total: number;
  repos: string[];
}

export type RunScope = { repoRoot: string } | 'all';

export async function searchRuns(scope: RunScope, query: string, filters: RunFilters = {}): Promise<RunQuery> {
  const repos = scope === 'all' ? reposWithRuns() : [scope.repoRoot];
  const terms = searchTerms(query);
  const plain = !terms.length && !filters.status?.length && !filters.mode?.length && !filters.since;
  if (plain && filters.limit && filters.limit > 0 && repos.length === 1) {
    // A page of the newest runs and a count: only the page is read (see RunIndex.newest).
    const repo = repos[0] as string;
    const { rows, total } = await new RunIndex(repo).newest(filters.limit);
    const runs = rows.map((r) => ({ ...r, repo, status: r.status === 'running' ? effectiveStatus(r) : r.status }));
    return { runs, total, repos };
  }
  const needles = terms.map((t) => JSON.stringify(t).slice(1, -1));
  let hits: { ref: RowRef; repo: string; text?: TextHit<RowRef> }[] = [];
  for (const repo of repos) {
    const index = new RunIndex(repo);
    const all = await index.refs();
    const refs = timed('filter', () => {
      const kept: RowRef[] = [];
      for (const r of all) {
        if (!keep(r, filters)) continue;
        // Only a "running" run needs its row (the owner) to tell whether it still runs.
        const status = r.status === 'running' ? effectiveStatus(r.row()) : r.status;
        if (filters.status?.length && !filters.status.includes(status)) continue;
        kept.push(status === r.status ? r : withStatus(r, status));
      }
      return kept;
    });
    if (!terms.length) {
      for (const ref of refs) hits.push({ ref, repo });
      continue;
    }
    for (const text of await index.text(refs, needles)) hits.push({ ref: text.row, repo, text });
  }
  // One repo's rows come sorted; several are merged.
  if (repos.length > 1) hits.sort((a, b) => newestFirst(a.ref, b.ref));
  const limit = filters.limit && filters.limit > 0 ? filters.limit : Number.POSITIVE_INFINITY;
  const runs: RunHit[] = [];
  let total = hits.length;
  timed('page', () => {
    for (const h of hits) {
      if (runs.length >= limit) break;
      const row = { ...h.ref.row(), status: h.ref.status, repo: h.repo };
      if (!h.text) {
        runs.push(row);
        continue;
      }
      // The index found every word in the run's text; where exactly is only worked out for the runs shown.
      const matches = matchFields(h.text.fields(), terms);
      if (matches) runs.push({ ...row, matches });
      else total--;
    }
  });
  hits = [];
  return { runs, total, repos };
}

/**
 * The run with the status it shows (a dead "running" run is interrupted). A new object, not a spread: an index row
 * reads its value through a method of its class, which a spread would leave behind.
 */
function withStatus(r: RowRef, status: string): RowRef {
  return {
    runId: r.runId,
    createdAt: r.createdAt,
    status,
    mode: r.mode,
    requestedMode: r.requestedMode,
    row: () => r.row(),
  };
}

function keep(r: RowRef, f: RunFilters): boolean {
  if (f.since && r.createdAt && r.createdAt < f.since.toISOString()) return false;
  if (f.mode?.length && !f.mode.includes(r.mode) && !(f.mode.includes('auto') && r.requestedMode === 'auto'))
    return false;
  return true;
}

/** Words, or "quoted phrases"; case-insensitive; every one must be found. */
export function searchTerms(query: string): string[] {
  const terms: string[] = [];
  for (const m of query.matchAll(/"([^"]+)"|(\S+)/g)) {
    const t = (m[1] ?? m[2] ?? '').trim().toLowerCase();
    if (t) terms.push(t);
  }
  return terms;
}

/** The fields (label and text) that hold a term, if every term is held by some field; null otherwise. */
function matchFields(fields: TextField[], terms: string[]): SearchMatch[] | null {
  const lower = fields.map(([, label, text]) => `${label} ${text}`.toLowerCase());
  const found: SearchMatch[] = [];
  for (const term of terms) {
    const i = lower.findIndex((t) => t.includes(term));
    if (i < 0) return null;
    const [kind, label, text] = fields[i] as TextField;
    if (!found.some((f) => f.kind === kind && f.label === label))
      found.push({
        kind,
        label,
        snippet: snippet(text.toLowerCase().includes(term) ? text : `${label} ${text}`, term),
      });
  }
  return found;
}

function snippet(text: string, term: string, width = 100): string {
  const flat = text.replace(/\s+/g, ' ');
  const at = flat.toLowerCase().indexOf(term);
  const start = Math.max(0, at - Math.floor((width - term.length) / 2));
  const cut = flat.slice(start, start + width);
  return `${start > 0 ? '…' : ''}${cut}${start + width < flat.length ? '…' : ''}`;
}

/** `--since`: 30m, 24h, 7d, 2w, or a date/time (2026-01-31, 2026-01-31T09:00); a date that does not exist is refused. */
export function parseSince(text: string, now: Date = new Date()): Date {
  const rel = /^(\d+)\s*(m|min|h|d|w)$/i.exec(text.trim());
  if (rel) {
    const n = Number(rel[1]);
    const unit = (rel[2] as string).toLowerCase();
    const ms = unit.startsWith('m') ? 60_000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 7 * 86_400_000;
    return new Date(now.getTime() - n * ms);
  }
  const wrong = new RecordError(
    `--since takes a span like 7d, 24h, 2w, 30m, or a date like 2026-01-31 (got "${text}").`,
    'For example: duo log --since 7d, or --since 2026-01-31.',
  );
  const day = /^(\d{4})-(\d{2})-(\d{2})(?:$|[T ])/.exec(text.trim());
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00` : text.trim());
  if (Number.isNaN(t)) throw wrong;
  // JavaScript rolls 2026-02-30 over into March; a date that is not on the calendar is a typo, said as one.
  if (day) {
    const [y, m, d] = [Number(day[1]), Number(day[2]), Number(day[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
      throw new RecordError(`--since ${text}: there is no such date.`, wrong.hint);
  }
  return new Date(t);
}

/** What `--status` and `--mode` take: a run's statuses (and `damaged`), and its modes (and `auto`: routed by it). */
export const FILTER_VALUES = {
  status: [...RUN_STATUSES, 'damaged'],
  mode: [...RUN_MODES, 'auto'],
} as const;

/** The values of a `--status` or `--mode` filter, checked: an unknown one is a usage error naming the valid ones. */
export function filterValues(kind: keyof typeof FILTER_VALUES, values: string[]): string[] {
  const valid: readonly string[] = FILTER_VALUES[kind];
  const bad = values.filter((v) => !valid.includes(v));
  if (!bad.length) return values;
  const guesses = bad.map((b) => nearest(b, valid)).filter((g): g is string => !!g);
  throw new RecordError(
    `--${kind} ${bad.map((b) => `"${b}"`).join(', ')}: not a ${kind} a run can have` +
      `${guesses.length ? ` (did you mean ${guesses.join(', ')}?)` : ''}. Valid: ${valid.join(', ')}.`,
    guesses.length ? `duo log --${kind} ${guesses.join(',')}` : `one of: ${valid.join(', ')}`,
  );
}
