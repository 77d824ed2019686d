import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { damagedRecord, RECORD_DIR } from './record-errors.js';

/**
 * The runs of a repository for `duo log`, read without the schemas (loading zod alone costs more than starting
 * Node). Each record is parsed and checked for the fields the list shows; `duo show` and the rest load it whole
 * through RunStore, with the full schema.
 */
export interface RunListEntry {
  runId: string;
  createdAt: string;
  task: string;
  mode: string;
  status: string;
  owner: { pid: number; host: string } | null;
  findings: { resolution: string }[];
  disagreements: unknown[];
  worktree: { branch: string } | null;
}

export function readRunList(repoRoot: string): { runs: RunListEntry[]; damaged: { runId: string; error: string }[] } {
  const root = join(repoRoot, RECORD_DIR, 'runs');
  if (!existsSync(root)) return { runs: [], damaged: [] };
  const runs: RunListEntry[] = [];
  const damaged: { runId: string; error: string }[] = [];
  for (const runId of readdirSync(root).sort().reverse()) {
    const file = join(root, runId, 'state.json');
    if (!existsSync(file)) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      damaged.push({
        runId,
        error: damagedRecord(runId, file, `is not valid JSON (${(e as Error).message}).`).message,
      });
      continue;
    }
    const missing = missingField(raw);
    if (missing) {
      damaged.push({
        runId,
        error: damagedRecord(runId, file, `does not have the expected shape: ${missing}`).message,
      });
      continue;
    }
    runs.push(raw as RunListEntry);
  }
  runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
  return { runs, damaged };
}

function missingField(raw: unknown): string | undefined {
  if (!raw || typeof raw !== 'object') return '(root): expected an object';
  const r = raw as Record<string, unknown>;
  for (const key of ['runId', 'createdAt', 'task', 'mode', 'status'])
    if (typeof r[key] !== 'string') return `${key}: expected a string`;
  for (const key of ['findings', 'disagreements']) if (!Array.isArray(r[key])) return `${key}: expected an array`;
  const owner = r.owner as { pid?: unknown } | null | undefined;
  if (owner !== null && (typeof owner !== 'object' || typeof owner.pid !== 'number'))
    return 'owner: expected null or { pid, host }';
  const wt = r.worktree as { branch?: unknown } | null | undefined;
  if (wt !== null && (typeof wt !== 'object' || typeof wt.branch !== 'string'))
    return 'worktree: expected null or { branch, ... }';
  return undefined;
}
