/**
 * The pages' speed and size: writing the demo run's page (≤ 200 ms, ≤ 1 MB) and the record page over 10,000 runs
 * (≤ 2 s, ≤ 5 MB), each as the time of the whole write — read the record (and for a run, its diff from git),
 * render, write the file — on a warm run index, as `duo show --html` and `duo log --html` find it.
 */

import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { UsageLedger } from '../budget/usage-ledger.js';
import { writeSampleRepo } from '../demo/sample.js';
import type { RunState } from '../protocol/types.js';
import { writeRecordPage, writeRunPage } from '../record/html/write.js';
import { RunStore } from '../record/store.js';
import { type Figure, goal, median } from './figure.js';
import { writeSyntheticRecords } from './synthetic.js';

const MB = 1024 * 1024;

async function timed<T>(f: () => T | Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await f();
  return { ms: performance.now() - t0, value };
}

export async function htmlFigures(
  n: number,
  demoRun: () => Promise<RunState>,
  records = Number(process.env.BENCH_RECORDS ?? 10_000),
): Promise<Figure[]> {
  const state = await demoRun();
  const store = new RunStore(state.repoRoot);
  const runMs: number[] = [];
  let runFile = '';
  for (let i = 0; i < Math.max(n, 5); i++) {
    const r = await timed(() => writeRunPage(store, state));
    runMs.push(r.ms);
    runFile = r.value;
  }
  const runBytes = statSync(runFile).size;

  const repo = writeSampleRepo(join(mkdtempSync(join(tmpdir(), 'duo-bench-html-')), 'repo'));
  writeSyntheticRecords(repo, records);
  // A month of agent calls in the usage ledger, so the spend charts have something to draw.
  const ledger = new UsageLedger();
  const now = Date.now();
  for (let i = 0; i < 3000; i++)
    ledger.append({
      at: new Date(now - (i % 30) * 86_400_000 - i * 1000).toISOString(),
      agent: i % 3 ? 'claude' : 'codex',
      kind: i % 3 ? 'claude' : 'codex',
      model: null,
      repo,
      runId: null,
      step: 'plan/r1/draft',
      purpose: 'plan',
      role: 'driver',
      durationMs: 1000,
      inputTokens: 1200,
      outputTokens: 300,
      cachedInputTokens: 0,
      costUsd: i % 3 ? 0.01 : null,
      failure: null,
      limits: null,
    });
  const warm = await timed(() => new RunStore(repo).index.rows());
  const recordMs: number[] = [];
  let page = { path: '', runs: 0, bytes: 0 };
  for (let i = 0; i < n; i++) {
    const r = await timed(() => writeRecordPage(repo));
    recordMs.push(r.ms);
    page = r.value;
  }
  rmSync(dirname(repo), { recursive: true, force: true });

  const runWrite = median(runMs);
  const recordWrite = median(recordMs);
  return [
    {
      id: 'html-run',
      what: "writing the demo run's page (report.html: the record, its events and its diff from git, rendered)",
      value: runWrite,
      unit: 'ms',
      ...goal(runWrite, '≤', 200, ' ms'),
      detail: `${(runBytes / 1024).toFixed(0)} KB (goal ≤ 1 MB: ${runBytes <= MB ? 'met' : 'MISSED'}); median of ${runMs.length}`,
    },
    {
      id: 'html-record',
      what: `writing the record page (.duo/index.html) over ${page.runs} runs, from a warm run index`,
      value: recordWrite,
      unit: 'ms',
      ...goal(recordWrite, '≤', 2000, ' ms'),
      detail: `${(page.bytes / MB).toFixed(2)} MB with its search data (goal ≤ 5 MB: ${page.bytes <= 5 * MB ? 'met' : 'MISSED'}); the index was warmed once in ${warm.ms.toFixed(0)} ms`,
    },
  ];
}
