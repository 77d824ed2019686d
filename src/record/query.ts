import { liveStatus } from './liveness.js';
import { reposWithRuns } from './repos.js';
import type { RunRow, TextField } from './run-facts.js';
import { RecordError, RunStore } from './store.js';

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

export function searchRuns(scope: RunScope, query: string, filters: RunFilters = {}): RunQuery {
  const repos = scope === 'all' ? reposWithRuns() : [scope.repoRoot];
  const terms = searchTerms(query);
  const hits: RunHit[] = [];
  for (const repo of repos) {
    const index = new RunStore(repo).index;
    let rows = index.rows().filter((r) => keep(r, filters));
    for (const r of rows) r.status = liveStatus(r.status, r.owner);
    if (filters.status?.length) rows = rows.filter((r) => filters.status?.includes(r.status));
    if (!terms.length) {
      for (const r of rows) hits.push({ ...r, repo });
      continue;
    }
    const needles = terms.map((t) => JSON.stringify(t).slice(1, -1));
    const text = index.text(rows, (raw) => needles.every((n) => raw.includes(n)));
    for (const r of rows) {
      const fields = text.get(r.runId);
      const matches = fields ? matchFields(fields, terms) : null;
      if (matches) hits.push({ ...r, repo, matches });
    }
  }
  hits.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.runId.localeCompare(a.runId));
  const limit = filters.limit ?? 0;
  return { runs: limit > 0 ? hits.slice(0, limit) : hits, total: hits.length, repos };
}

function keep(r: RunRow, f: RunFilters): boolean {
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

/** The fields that hold a term, if every term is held by some field; null otherwise. */
function matchFields(fields: TextField[], terms: string[]): SearchMatch[] | null {
  const lower = fields.map(([, , text]) => text.toLowerCase());
  const found: SearchMatch[] = [];
  for (const term of terms) {
    const i = lower.findIndex((t) => t.includes(term));
    if (i < 0) return null;
    const [kind, label, text] = fields[i] as TextField;
    if (!found.some((f) => f.kind === kind && f.label === label))
      found.push({ kind, label, snippet: snippet(text, term) });
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

/** `--since`: 30m, 24h, 7d, 2w, or a date/time (2026-01-31, 2026-01-31T09:00). */
export function parseSince(text: string, now: Date = new Date()): Date {
  const rel = /^(\d+)\s*(m|min|h|d|w)$/i.exec(text.trim());
  if (rel) {
    const n = Number(rel[1]);
    const unit = (rel[2] as string).toLowerCase();
    const ms = unit.startsWith('m') ? 60_000 : unit === 'h' ? 3_600_000 : unit === 'd' ? 86_400_000 : 7 * 86_400_000;
    return new Date(now.getTime() - n * ms);
  }
  const t = Date.parse(/^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? `${text.trim()}T00:00` : text.trim());
  if (Number.isNaN(t))
    throw new RecordError(`--since takes a span like 7d, 24h, 2w, 30m, or a date like 2026-01-31 (got "${text}").`);
  return new Date(t);
}
