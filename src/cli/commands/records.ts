import { basename } from 'node:path';
import pc from 'picocolors';
import { Decision, type RunState } from '../../protocol/types.js';
import { liveStatus } from '../../record/liveness.js';
import { parseSince, searchRuns } from '../../record/query.js';
import { currentHuman } from '../../sys/human.js';
import { acquireRunLock } from '../../workspace/index.js';
import { UsageError } from '../errors.js';
import { exitCodeFor, runSummary } from '../output.js';
import { openSession } from '../setup.js';

/** A run that says "running" but whose owner process is gone was interrupted (crash, kill -9, reboot). */
export function effectiveStatus(state: RunState): RunState['status'] {
  return liveStatus(state.status, state.owner) as RunState['status'];
}

export interface LogFlags {
  json?: boolean;
  config?: string;
  search?: string;
  status?: string[];
  mode?: string[];
  since?: string;
  limit?: string;
  allRepos?: boolean;
}

/** `duo log`: answered from the run index (record/query.ts), newest first, 20 unless --limit says otherwise. */
export async function logCommand(flags: LogFlags): Promise<number> {
  const limit = flags.limit === undefined ? 20 : Number(flags.limit);
  if (!Number.isInteger(limit) || limit < 0)
    throw new UsageError(`--limit takes a whole number (0 for all), got "${flags.limit}".`);
  const scope = flags.allRepos ? 'all' : { repoRoot: (await openSession(process.cwd(), flags.config)).repoRoot };
  const filters = {
    limit,
    ...(flags.status?.length ? { status: flags.status.flatMap(splitList) } : {}),
    ...(flags.mode?.length ? { mode: flags.mode.flatMap(splitList) } : {}),
    ...(flags.since ? { since: parseSince(flags.since) } : {}),
  };
  const result = searchRuns(scope, flags.search ?? '', filters);
  const damaged = result.runs.filter((r) => r.damaged).map((r) => ({ runId: r.runId, repo: r.repo, error: r.damaged }));
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
    process.stdout.write(
      `${JSON.stringify({ runs: rows, damaged, total: result.total, shown: result.runs.length }, null, 2)}\n`,
    );
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
  for (const r of runs) {
    const task = r.task.replace(/\s+/g, ' ');
    const where = flags.allRepos ? `${pc.dim(basename(r.repo))}  ` : '';
    process.stdout.write(
      `${r.createdAt.slice(0, 16).replace('T', ' ')}  ${where}${pc.bold(r.runId)}  ${r.mode.padEnd(6)} ${statusColour(r.status)(r.status.padEnd(17))} ` +
        `findings ${r.findings} · disagreements ${r.disagreements}  ${task.length > 60 ? `${task.slice(0, 59)}…` : task}\n`,
    );
    for (const m of r.matches ?? [])
      process.stdout.write(`    ${pc.dim(`${m.kind}${m.label ? ` ${m.label}` : ''}:`)} ${m.snippet}\n`);
  }
  for (const d of damaged) process.stdout.write(pc.red(`${d.runId}: damaged record — ${d.error}\n`));
  if (result.total > result.runs.length)
    process.stdout.write(pc.dim(`… ${result.total - result.runs.length} more (--limit <n>, or --limit 0 for all)\n`));
  return 0;
}

const splitList = (s: string) =>
  s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);

function statusColour(status: string): (s: string) => string {
  if (status === 'green' || status === 'answered') return pc.green;
  if (status === 'red' || status === 'failed') return pc.red;
  return pc.yellow;
}

export async function showCommand(runId: string, flags: { json?: boolean; config?: string }): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const state = session.store.load(runId);
  state.status = effectiveStatus(state);
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify({ ...runSummary(state, session.store), plan: state.plan, notes: state.notes }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(
      session.store.readText(runId, 'report.md') ?? `Run ${runId} has no report yet (status ${state.status}).\n`,
    );
  }
  return exitCodeFor(state);
}

export async function decideCommand(
  runId: string,
  cardId: string,
  flags: { pick?: string; config?: string },
): Promise<number> {
  if (!flags.pick?.trim())
    throw new UsageError('say what you decide: --pick driver | --pick skeptic | --pick "<your decision>"');
  const session = await openSession(process.cwd(), flags.config);
  const release = acquireRunLock(session.store.dir(runId));
  try {
    const state = session.store.load(runId);
    const card = state.cards.find((c) => c.id === cardId);
    if (!card) {
      const open = state.cards.map((c) => c.id).join(', ') || 'none';
      throw new UsageError(`run ${runId} has no decision card "${cardId}" (cards: ${open}).`);
    }
    if (state.decisions.some((d) => d.cardId === cardId))
      throw new UsageError(`card ${cardId} of run ${runId} is already decided.`);
    const pick = flags.pick.trim();
    const decision = Decision.parse({
      cardId,
      pick: pick === 'driver' || pick === 'skeptic' ? pick : 'custom',
      text: pick === 'driver' || pick === 'skeptic' ? '' : pick,
      decidedAt: new Date().toISOString(),
      by: 'duo decide',
      human: currentHuman(session.repoRoot),
    });
    state.decisions.push(decision);
    session.store.save(state);
    process.stdout.write(
      `recorded: ${cardId} → ${decision.pick}${decision.text ? ` (${decision.text})` : ''}\ncontinue with: duo resume ${runId}\n`,
    );
    return 0;
  } finally {
    release();
  }
}
