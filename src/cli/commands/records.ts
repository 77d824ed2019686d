import { Decision, type RunState } from '../../protocol/types.js';
import { liveStatus } from '../../record/liveness.js';
import { currentHuman } from '../../sys/human.js';
import { acquireRunLock } from '../../workspace/index.js';
import { UsageError } from '../errors.js';
import { exitCodeFor, runSummary } from '../output.js';
import { openSession } from '../setup.js';

export { type LogFlags, logCommand } from './log.js';

/** A run that says "running" but whose owner process is gone was interrupted (crash, kill -9, reboot). */
export function effectiveStatus(state: RunState): RunState['status'] {
  return liveStatus(state.status, state.owner) as RunState['status'];
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
