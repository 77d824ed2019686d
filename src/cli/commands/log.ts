import { basename } from 'node:path';
import { filterValues, parseSince, searchRuns } from '../../record/query.js';
import { UsageError } from '../../sys/duo-error.js';
import { localTime } from '../../sys/time.js';
import type { LogHtmlJson, LogJson } from '../../wire/records.js';
import { findRecordRoot } from '../../workspace/repo.js';
import { pc } from '../color.js';
import type { LogFlags } from '../flags.js';
import { printJson } from '../json.js';
import { openPage } from '../open-page.js';

/**
 * `duo log`: answered from the run index (record/query.ts), newest first, 20 unless --limit says otherwise. It
 * only reads (and keeps the index fresh), so it loads neither the schemas nor the subprocess library unless a record
 * must be re-read, and needs no commit in the repository.
 */
export async function logCommand(flags: LogFlags): Promise<number> {
  if (flags.html || flags.open) return recordPage(flags);
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 0)
    throw new UsageError(`--limit takes a whole number (0 for all), got "${flags.limit}".`);
  const scope = flags.allRepos ? 'all' : { repoRoot: await findRecordRoot(process.cwd()) };
  if (flags.config && scope !== 'all') {
    // The list does not use the config; a --config given anyway is still checked, as every command does.
    const { loadConfig } = await import('../../config/load.js');
    loadConfig(scope.repoRoot, flags.config);
  }
  const filters = {
    limit,
    ...(flags.status?.length ? { status: filterValues('status', flags.status.flatMap(splitList)) } : {}),
    ...(flags.mode?.length ? { mode: filterValues('mode', flags.mode.flatMap(splitList)) } : {}),
    ...(flags.since ? { since: parseSince(flags.since) } : {}),
  };
  const result = await searchRuns(scope, flags.search ?? '', filters);
  const damaged = result.runs.flatMap((r) => (r.damaged ? [{ runId: r.runId, repo: r.repo, error: r.damaged }] : []));
  const runs = result.runs.filter((r) => !r.damaged);
  if (flags.json) {
    const rows = runs.map((r) => ({
      runId: r.runId,
      date: r.createdAt,
      task: r.task,
      mode: r.mode,
      requestedMode: r.requestedMode,
      status: r.status,
      findings: r.findings,
      open: r.open,
      disagreements: r.disagreements,
      branch: r.branch,
      repo: r.repo,
      pausedUntil: r.pausedUntil,
      ...(r.matches ? { matches: r.matches } : {}),
    }));
    printJson({ runs: rows, damaged, total: result.total, shown: result.runs.length } satisfies LogJson);
    return 0;
  }
  if (result.total === 0) {
    const filtered = flags.search || flags.status?.length || flags.mode?.length || flags.since;
    process.stdout.write(
      filtered
        ? 'No runs match.\n'
        : flags.allRepos
          ? 'No duo runs in any repository yet. Start one with: duo "<task>"\n'
          : 'No duo runs in this repository yet. Start one with: duo "<task>"\n',
    );
  }
  // In a terminal every row fits its width (the task is cut to what is left); into a pipe, rows are whole.
  const width = process.stdout.isTTY ? process.stdout.columns || 80 : Number.POSITIVE_INFINITY;
  for (const r of runs) {
    process.stdout.write(`${logRow(r, { width, repo: flags.allRepos ? basename(r.repo) : null })}\n`);
    for (const m of r.matches ?? [])
      process.stdout.write(
        `${cutToWidth(`    ${pc.dim(`${m.kind}${m.label ? ` ${m.label}` : ''}:`)} ${m.snippet}`, width)}\n`,
      );
  }
  for (const d of damaged) process.stdout.write(pc.red(`${d.runId}: damaged record — ${d.error}\n`));
  if (result.total > result.runs.length)
    process.stdout.write(pc.dim(`… ${result.total - result.runs.length} more (--limit <n>, or --limit 0 for all)\n`));
  return 0;
}

/** `duo log --html`: the record page of this repository, every run in it; the page searches and filters itself. */
async function recordPage(flags: LogFlags): Promise<number> {
  if (flags.allRepos)
    throw new UsageError('--html writes the record page of one repository (.duo/index.html): drop --all-repos.');
  const narrowed = flags.search || flags.status?.length || flags.mode?.length || flags.since || flags.limit;
  if (narrowed)
    throw new UsageError(
      'the record page holds every run and has its own search and filters: drop --search, --status, --mode, --since and --limit with --html.',
    );
  const repoRoot = await findRecordRoot(process.cwd());
  if (flags.config) (await import('../../config/load.js')).loadConfig(repoRoot, flags.config);
  const { ensureRecordExcluded } = await import('../../workspace/repo.js');
  ensureRecordExcluded(repoRoot); // the page goes in .duo/, which git must not see, runs or none
  const { writeRecordPage } = await import('../../record/html/write.js');
  const { evalSummaries } = await import('../../eval/summary.js');
  const page = await writeRecordPage(repoRoot, { evals: evalSummaries(repoRoot) });
  if (flags.json) printJson({ htmlPath: page.path, runs: page.runs, bytes: page.bytes } satisfies LogHtmlJson);
  else {
    process.stdout.write(`${page.path}\n`);
    process.stderr.write(pc.dim(`${page.runs} run(s), ${Math.ceil(page.bytes / 1024)} KB\n`));
  }
  if (flags.open) await openPage(page.path);
  return 0;
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function statusColour(status: string): (s: string) => string {
  if (status === 'green' || status === 'answered') return pc.green;
  if (status === 'red' || status === 'failed' || status === 'damaged') return pc.red;
  return pc.yellow;
}

/**
 * One run as a row: local date and time, id, mode, status, findings and disagreements, task. Narrower than the
 * full row, the task is cut first; narrower still, the counts go, then the mode.
 */
export function logRow(
  r: {
    createdAt: string;
    runId: string;
    mode: string;
    status: string;
    findings: number;
    disagreements: number;
    task: string;
  },
  opts: { width: number; repo: string | null },
): string {
  const head = `${localTime(r.createdAt, { zone: false })}  ${opts.repo ? `${pc.dim(opts.repo)}  ` : ''}${pc.bold(r.runId)}`;
  const status = statusColour(r.status)(r.status.padEnd(17));
  const counts = `findings ${r.findings} · disagreements ${r.disagreements}`;
  const flat = r.task.replace(/\s+/g, ' ');
  const task = flat.length > 100 ? `${flat.slice(0, 99)}…` : flat;
  for (const parts of [
    [head, r.mode.padEnd(6), status, counts],
    [head, r.mode.padEnd(6), status],
    [head, status],
  ]) {
    const fixed = `${parts.join('  ')}  `;
    const room = opts.width - visible(fixed).length;
    if (room >= 16 || parts.length === 2) return cutToWidth(`${fixed}${task}`, opts.width);
  }
  return '';
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are what is measured away
const ANSI = /\x1b\[[0-9;]*m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the same, kept as parts when a line is cut
const COLOUR_CODE = /(\x1b\[[0-9;]*m)/;
const visible = (s: string) => s.replace(ANSI, '');

/** The line cut to `width` visible characters, with … when cut (colour codes are not counted). */
function cutToWidth(line: string, width: number): string {
  if (visible(line).length <= width) return line;
  let out = '';
  let shown = 0;
  for (const part of line.split(COLOUR_CODE)) {
    if (part.startsWith('\x1b[')) {
      out += part;
      continue;
    }
    const take = Math.max(0, width - 1 - shown);
    out += part.slice(0, take);
    shown += Math.min(part.length, take);
    if (shown >= width - 1) break;
  }
  return `${out}…${line.includes('\x1b[') ? '\x1b[0m' : ''}`;
}
