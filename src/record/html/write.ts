/**
 * Writing the pages: a run's report.html into its folder (at the end of every run and review, and on
 * `duo show --html`), and the record page, .duo/index.html (`duo log --html`). Both are written whole and atomically;
 * what they show is masked for secrets before it is rendered, never after (text redaction would eat markup).
 */

import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseRunEvents } from '../../protocol/run-events.js';
import type { RunState } from '../../protocol/types.js';
import { redactValue } from '../../sys/redact.js';
import { replaceFile } from '../../sys/replace-file.js';
import { RECORD_DIR } from '../record-errors.js';
import type { RunFiles } from '../run-files.js';
import { readRunDiff } from './diff.js';
import { type EvalSummary, gatherRecord } from './record-data.js';
import { renderRecordPage } from './record-page.js';
import { renderRunPage } from './run-page.js';

export const RUN_PAGE = 'report.html';
export const RECORD_PAGE = 'index.html';

const BESIDE = ['report.md', 'plan.md', 'disagreements.md', 'state.json', 'events.jsonl'];

export function runPagePath(store: RunFiles, runId: string): string {
  return join(store.dir(runId), RUN_PAGE);
}

export function recordPagePath(repoRoot: string): string {
  return join(repoRoot, RECORD_DIR, RECORD_PAGE);
}

/** `next`: the next step when the record's no longer holds (the run's branch was removed since it ended). */
export function writeRunPage(store: RunFiles, state: RunState, opts: { now?: Date; next?: string } = {}): string {
  const shown = redactValue(state);
  const dir = store.dir(state.runId);
  const page = renderRunPage({
    state: shown,
    events: parseRunEvents(store.readText(state.runId, 'events.jsonl') ?? ''),
    diff: readRunDiff(shown),
    recordDir: dir,
    recordPage: existsSync(recordPagePath(store.repoRoot)),
    files: BESIDE.filter((f) => existsSync(join(dir, f))),
    now: opts.now ?? new Date(),
    ...(opts.next ? { next: opts.next } : {}),
  });
  const file = join(dir, RUN_PAGE);
  replaceFile(file, page);
  return file;
}

/** `evals`: what `duo eval` has to show (see EvalSummary); until it exists the section says how to get some. */
export async function writeRecordPage(
  repoRoot: string,
  opts: { evals?: EvalSummary[]; now?: Date } = {},
): Promise<{ path: string; runs: number; bytes: number }> {
  const now = opts.now ?? new Date();
  const record = await gatherRecord(repoRoot, now);
  const page = renderRecordPage(record, opts.evals ?? []);
  const path = recordPagePath(repoRoot);
  mkdirSync(dirname(path), { recursive: true });
  replaceFile(path, page);
  return { path, runs: record.runs.length, bytes: Buffer.byteLength(page) };
}
