/**
 * What the record page (`duo log --html`, src/record/html) shows of this repository's evals: one row per eval
 * folder under .duo/eval and mode — where its tasks came from, how it was run, how many runs it resolved with the
 * interval, what it cost, and a link to its own page. The impossible variant measures cheating, not resolving, so
 * it is left out of a table of resolved shares (its own page has it).
 */

import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { EvalSummary } from '../record/html/record-data.js';
import { RECORD_DIR } from '../record/record-errors.js';
import { openEval, reportOf } from './merge.js';

/** The page each eval folder keeps beside its results. */
export const EVAL_PAGE = 'report.html';

export function evalSummaries(repoRoot: string): EvalSummary[] {
  const root = join(repoRoot, RECORD_DIR, 'eval');
  if (!existsSync(root)) return [];
  const out: EvalSummary[] = [];
  for (const name of readdirSync(root).sort()) {
    const dir = join(root, name);
    if (!existsSync(join(dir, 'eval.json'))) continue;
    try {
      const { dir: d, plan } = openEval(dir);
      if (plan.impossible) continue;
      const report = reportOf(d, plan);
      const at = statSync(join(dir, 'eval.json')).mtime.toISOString();
      const page = existsSync(join(dir, EVAL_PAGE)) ? `eval/${name}/${EVAL_PAGE}` : null;
      for (const m of report.perMode)
        out.push({
          id: `${name}/${m.mode}`,
          at,
          suite: plan.shard ? `${name} (shard ${plan.shard.index}/${plan.shard.count})` : name,
          config: `${m.mode}${plan.repeat > 1 ? ` × ${plan.repeat} repeats` : ''}`,
          tasks: m.runs,
          resolved: m.resolved,
          interval: m.runs ? [m.interval.low, m.interval.high] : null,
          costUsd: m.costUsd.complete ? m.costUsd.total : null,
          durationMs: null,
          report: page,
        });
    } catch {
      // A damaged or half-written eval folder is not the record page's to report; `duo eval report` says why.
    }
  }
  return out;
}
