import type { RunContext } from './context.js';
import { Ledger } from './findings-ledger.js';
import type { DecisionCard, LedgerEntry } from './types.js';

/**
 * A disputed blocker becomes a decision card for the human: the question, each side's position and what is
 * expensive to get wrong. The decision is journaled, so a resumed run replays it instead of asking again.
 */
export function cardFor(entry: LedgerEntry, at: string): DecisionCard {
  const f = entry.finding;
  const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '';
  return {
    id: `card-${entry.id}`,
    phase: entry.phase,
    findingId: entry.id,
    question: `${f.claim}${where}`,
    driverPosition: entry.answer ? entry.answer.note : 'The driver did not answer this finding within the round limit.',
    skepticPosition: [f.evidence, entry.recheck?.note].filter(Boolean).join(' — '),
    stakes: f.stakes ?? `A ${f.severity} ${entry.phase} finding: shipping over it unresolved may be expensive to undo.`,
    createdAt: at,
  };
}

/** Disputed blockers of a phase: escalated, or (unless `escalatedOnly`) still open. */
export function disputedBlockers(ctx: RunContext, phase: LedgerEntry['phase'], escalatedOnly = false): LedgerEntry[] {
  return new Ledger(ctx.state).entries.filter(
    (e) =>
      e.phase === phase &&
      e.finding.severity === 'blocker' &&
      (e.resolution === 'escalated' || (!escalatedOnly && e.resolution === 'open')),
  );
}

/**
 * Ask about every disputed blocker of a phase. Returns the decisions that require the driver to change course
 * (the human sided with the skeptic or wrote their own decision), as instructions. Integrity findings are only
 * asked about once escalated: an open one is settled by the next gate measurement, not by a human.
 */
export async function settleBlockers(ctx: RunContext, phase: LedgerEntry['phase']): Promise<string[]> {
  const ledger = new Ledger(ctx.state);
  const instructions: string[] = [];
  for (const entry of disputedBlockers(ctx, phase, phase === 'integrity')) {
    const card = cardFor(entry, entry.history.at(-1)?.at ?? ctx.clock.now().toISOString());
    const decision = await ctx.decide(card);
    const text =
      decision.pick === 'driver'
        ? `keep the driver's position: ${card.driverPosition}`
        : decision.pick === 'skeptic'
          ? entry.phase === 'integrity'
            ? `the human kept the checks as they are: ${entry.finding.claim} — put them back as at the base and make the code pass them`
            : `do what the skeptic asks: ${entry.finding.claim} ${entry.finding.evidence}`
          : decision.text;
    if (entry.resolution === 'open') entry.resolution = 'escalated';
    ledger.decided(entry.id, `${decision.pick}: ${decision.text || text}`, decision.decidedAt);
    if (decision.pick !== 'driver') instructions.push(`[${entry.id}] ${text}`);
  }
  return instructions;
}
