/**
 * `duo eval mine | report | merge` (and `run`, in eval-run.ts): the terminal side of the eval layer. Everything it
 * measures and decides is in src/eval; this file parses flags, prints, and writes the files the user asked for.
 */

import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { evalPage } from '../../eval/html.js';
import { mergeEvals, openEval, reportOf } from '../../eval/merge.js';
import { type MinedCommit, mineTasks } from '../../eval/mine.js';
import { renderReportText } from '../../eval/render.js';
import type { EvalReport } from '../../eval/report.js';
import { median } from '../../eval/stats.js';
import { EVAL_PAGE } from '../../eval/summary.js';
import { EvalInputError, taskLine } from '../../eval/task.js';
import { parseSince } from '../../record/query.js';
import { RECORD_DIR } from '../../record/store.js';
import { UsageError } from '../../sys/duo-error.js';
import type { EvalMineJson, EvalReportJson, EvalRunJson } from '../../wire/eval.js';
import { findRepoRoot } from '../../workspace/index.js';
import type { EvalMergeFlags, EvalMineFlags, EvalReportFlags } from '../flags.js';
import { printJson } from '../json.js';
import { openSession, prepareRecords } from '../setup.js';

/** Where eval files go by default: inside .duo/ (kept out of git), never loose in the user's tree. */
export const evalRoot = (repoRoot: string) => join(repoRoot, RECORD_DIR, 'eval');

export function positiveInt(flag: string, value: string | undefined, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max)
    throw new UsageError(`${flag} takes a whole number from 1 to ${max} (got "${value}").`);
  return n;
}

export async function mineCommand(flags: EvalMineFlags): Promise<number> {
  const limit = positiveInt('--limit', flags.limit, 100_000);
  const since = flags.since ? parseSince(flags.since) : undefined;
  const session = await openSession(process.cwd(), flags.config);
  const output = flags.output ?? join(evalRoot(session.repoRoot), 'tasks.jsonl');
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  const say = (text: string) => {
    if (!flags.quiet) process.stderr.write(`${text}\n`);
  };
  say(`mining ${session.repoRoot}${since ? ` since ${since.toISOString().slice(0, 10)}` : ''}…`);
  let result: Awaited<ReturnType<typeof mineTasks>>;
  try {
    result = await mineTasks({
      repoRoot: session.repoRoot,
      gate: session.ports.gate,
      config: session.config,
      ...(since ? { since } : {}),
      ...(limit ? { limit } : {}),
      ...(flags.paths?.length ? { paths: flags.paths } : {}),
      ...(flags.verify?.length ? { verify: flags.verify } : {}),
      signal: controller.signal,
      onCommit: (c) => {
        if (c.outcome !== 'not-candidate') say(commitLine(c));
      },
    });
  } finally {
    process.off('SIGINT', onSignal);
  }
  const text = result.tasks.map((t) => `${taskLine(t)}\n`).join('');
  if (output === '-') process.stdout.write(text);
  else {
    if (output.startsWith(evalRoot(session.repoRoot))) prepareRecords(session);
    mkdirSync(dirname(resolve(output)), { recursive: true });
    writeFileSync(output, text);
  }
  const summary = mineSummary(result.commits, result.tasks.length);
  if (flags.json && output !== '-')
    printJson({
      output: resolve(output),
      tasks: result.tasks.length,
      interrupted: result.interrupted,
      summary,
      commits: result.commits,
    } satisfies EvalMineJson);
  else {
    say(summary);
    if (output !== '-')
      say(
        result.tasks.length
          ? `wrote ${result.tasks.length} task(s) to ${relative(process.cwd(), resolve(output)) || output}; next: duo eval run ${relative(process.cwd(), resolve(output)) || output} --modes solo,pair`
          : 'no tasks: no commit changes code and tests together with a test that fails before it and passes after.',
      );
  }
  return result.interrupted ? 130 : 0;
}

function commitLine(c: MinedCommit): string {
  const head = `${c.sha.slice(0, 10)} ${c.subject.slice(0, 60)}`;
  const secs = `${(c.durationMs / 1000).toFixed(1)} s`;
  return c.outcome === 'task'
    ? `  task     ${head} — ${c.failToPass} fail→pass, ${c.passToPass} pass→pass (${secs})`
    : `  skipped  ${head} — ${c.reason} (${secs})`;
}

/** "examined 12 commits: 3 tasks, 1 skipped (…), 8 not candidates (…); measuring took 1.4 s a commit (median)". */
export function mineSummary(commits: MinedCommit[], tasks: number): string {
  const skipped = commits.filter((c) => c.outcome === 'skipped');
  const others = commits.filter((c) => c.outcome === 'not-candidate');
  const reasons = new Map<string, number>();
  for (const c of others) reasons.set(c.reason ?? '', (reasons.get(c.reason ?? '') ?? 0) + 1);
  const measured = commits.filter((c) => c.outcome !== 'not-candidate').map((c) => c.durationMs);
  const perCommit = median(measured);
  return [
    `examined ${commits.length} commit(s): ${tasks} task(s), ${skipped.length} skipped`,
    `${others.length} not candidates${others.length ? ` (${[...reasons].map(([r, n]) => `${n} ${r}`).join(', ')})` : ''}`,
    perCommit === null ? 'nothing measured' : `measuring took ${(perCommit / 1000).toFixed(1)} s a candidate (median)`,
  ].join('; ');
}

/** The newest eval folder under .duo/eval (by when its plan was written). */
async function newestEval(): Promise<string> {
  const root = evalRoot(await findRepoRoot(process.cwd(), { requireCommit: false }));
  const dirs = existsSync(root)
    ? readdirSync(root)
        .map((d) => join(root, d))
        .filter((d) => existsSync(join(d, 'eval.json')))
    : [];
  const newest = dirs.sort(
    (a, b) => statSync(join(b, 'eval.json')).mtimeMs - statSync(join(a, 'eval.json')).mtimeMs,
  )[0];
  if (!newest) throw new EvalInputError('no eval here yet: `duo eval run <tasks.jsonl>` makes one (or name a folder).');
  return newest;
}

/** The report as text, or with --json as `duo eval report|merge` (the folder) or `run` (how far it got) print it. */
export function printReport(
  report: EvalReport,
  flags: { json?: boolean },
  extra: Omit<EvalReportJson, 'report'> | Omit<EvalRunJson, 'report'>,
): void {
  if (flags.json) printJson({ ...extra, report } satisfies EvalReportJson | EvalRunJson);
  else process.stdout.write(renderReportText(report));
}

/** The eval's own page, kept beside its results (the record page links it); returns its path. */
export function writeEvalPage(dir: string, report: EvalReport, file = join(dir, EVAL_PAGE)): string {
  writeFileSync(file, evalPage(report));
  return file;
}

export async function reportCommand(dir: string | undefined, flags: EvalReportFlags): Promise<number> {
  const folder = dir ?? (await newestEval());
  const { dir: d, plan } = openEval(folder);
  const report = reportOf(d, plan);
  if (flags.html) {
    const file = writeEvalPage(d.dir, report, typeof flags.html === 'string' ? resolve(flags.html) : undefined);
    if (!flags.json) process.stderr.write(`wrote ${file}\n`);
  }
  printReport(report, flags, { dir: d.dir });
  return 0;
}

export async function mergeCommand(dirs: string[], flags: EvalMergeFlags): Promise<number> {
  const out = flags.out ?? join(evalRoot(await findRepoRoot(process.cwd(), { requireCommit: false })), 'merged');
  if (existsSync(join(out, 'eval.json')))
    throw new EvalInputError(`${out} already holds an eval; merge into a new folder (-o <dir>).`);
  const merged = mergeEvals(dirs, out);
  if (!flags.json)
    process.stderr.write(`merged ${merged.units} run(s) from ${dirs.length} folder(s) into ${merged.dir.dir}\n`);
  const report = reportOf(merged.dir, merged.plan);
  writeEvalPage(merged.dir.dir, report);
  printReport(report, flags, { dir: merged.dir.dir });
  return 0;
}
