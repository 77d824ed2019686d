import pc from 'picocolors';
import { Decision } from '../../protocol/types.js';
import { effectiveStatus } from '../../record/liveness.js';
import { acquireRunLock } from '../../workspace/index.js';
import { UsageError } from '../errors.js';
import { exitCodeFor, runSummary } from '../output.js';
import { openSession } from '../setup.js';

/** Kept here for the commands that import it; the rule lives in record/liveness.ts. */
export { effectiveStatus } from '../../record/liveness.js';

export async function logCommand(flags: { json?: boolean; config?: string }): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const { runs, damaged } = session.store.list();
  const rows = runs.map((r) => ({
    runId: r.runId,
    date: r.createdAt,
    task: r.task,
    mode: r.mode,
    status: effectiveStatus(r),
    findings: r.findings.length,
    open: r.findings.filter((f) => f.resolution === 'open' || f.resolution === 'escalated').length,
    disagreements: r.disagreements.length,
    branch: r.worktree?.branch ?? null,
  }));
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ runs: rows, damaged }, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) process.stdout.write('No duo runs in this repository yet. Start one with: duo "<task>"\n');
  for (const r of rows) {
    const task = r.task.replace(/\s+/g, ' ');
    process.stdout.write(
      `${r.date.slice(0, 16).replace('T', ' ')}  ${pc.bold(r.runId)}  ${r.mode.padEnd(6)} ${statusColour(r.status)(r.status.padEnd(17))} ` +
        `findings ${r.findings} · disagreements ${r.disagreements}  ${task.length > 60 ? `${task.slice(0, 59)}…` : task}\n`,
    );
  }
  for (const d of damaged) process.stdout.write(pc.red(`${d.runId}: damaged record — ${d.error.split('\n')[0]}\n`));
  return 0;
}

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
