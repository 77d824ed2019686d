import { standingFindings } from '../protocol/review-only.js';
import { effectiveStatus } from './liveness.js';
import type { RunStore } from './store.js';

/**
 * Runs of a repository, filtered by words: the list the MCP server's `runs` tool returns. One small function over
 * RunStore.list(), kept in one place so a run index (with proper search) can replace it without touching callers.
 * Every word must appear (case-insensitive) in the run's id, task, mode, status, branch or a finding's claim.
 */
export interface RunRow {
  runId: string;
  date: string;
  task: string;
  mode: string;
  status: string;
  findings: number;
  /** Blocker/major findings nobody resolved. */
  standing: number;
  disagreements: number;
  branch: string | null;
}

export function searchRuns(
  store: RunStore,
  opts: { query?: string; status?: string; limit?: number } = {},
): { runs: RunRow[]; total: number; damaged: string[] } {
  const { runs, damaged } = store.list();
  const words = (opts.query ?? '').toLowerCase().split(/\s+/).filter(Boolean);
  const rows: RunRow[] = [];
  for (const r of runs) {
    const status = effectiveStatus(r);
    if (opts.status && status !== opts.status) continue;
    const haystack = [
      r.runId,
      r.task,
      r.mode,
      status,
      r.worktree?.branch ?? '',
      ...r.findings.map((f) => f.finding.claim),
    ]
      .join('\n')
      .toLowerCase();
    if (!words.every((w) => haystack.includes(w))) continue;
    rows.push({
      runId: r.runId,
      date: r.createdAt,
      task: r.task,
      mode: r.mode,
      status,
      findings: r.findings.length,
      standing: standingFindings(r.findings).length,
      disagreements: r.disagreements.length,
      branch: r.worktree?.branch ?? null,
    });
  }
  return { runs: rows.slice(0, opts.limit ?? 20), total: rows.length, damaged: damaged.map((d) => d.runId) };
}
