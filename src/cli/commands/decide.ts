/**
 * `duo decide <runId> <cardId> --pick driver|skeptic|"<text>" [--amend] [--rule ["<text>"]] [--json]`: a human's answer to a decision
 * card, recorded for `duo resume`. In three steps, so another way of deciding is one more case in `readPick`:
 * read what the human chose; check that the card may take it (new, or an amendment nothing has used yet); record it.
 */
import { nearest } from '../../config/nearest.js';
import { BASELINE_STEP } from '../../protocol/gate-checks.js';
import { Decision, type RunState } from '../../protocol/types.js';
import { addRule } from '../../record/rules.js';
import { UsageError } from '../../sys/duo-error.js';
import { currentHuman } from '../../sys/human.js';
import { localTime } from '../../sys/time.js';
import type { DecideJson } from '../../wire/records.js';
import type { DecideFlags } from '../flags.js';
import { printJson } from '../json.js';
import { keepRule } from '../rule.js';
import { lockRun, openSession, resolveRun } from '../setup.js';

const SIDES = ['driver', 'skeptic'] as const;

/** What the human chose, as the record keeps it. */
type Choice = Pick<Decision, 'pick' | 'text'>;

/**
 * `driver` and `skeptic` in any case are a side; anything else is the human's own instruction — except one word a
 * typo away from a side (`--pick skeptc`), which is asked about instead of being saved as an instruction.
 */
export function readPick(raw: string | undefined): Choice {
  const text = raw?.trim() ?? '';
  if (!text) throw new UsageError('say what you decide: --pick driver | --pick skeptic | --pick "<your decision>"');
  const side = SIDES.find((s) => s === text.toLowerCase());
  if (side) return { pick: side, text: '' };
  const near = /\s/.test(text) ? undefined : nearest(text, SIDES, 2);
  if (near)
    throw new UsageError(
      `--pick "${text}": did you mean ${near}? A decision of your own is a sentence: --pick "<what to do>".`,
    );
  return { pick: 'custom', text };
}

/** Steps that never read a decision: the baseline measures the untouched base, beside the run. */
const INDEPENDENT = new Set([BASELINE_STEP]);

/**
 * The first journaled step that started once the decision was recorded: the run went on with it in place, so
 * changing it now would leave the record saying one thing and the run's work another. Null when none has.
 */
export function stepThatUsed(state: RunState, decision: Decision): { key: string; at: string } | null {
  const decided = Date.parse(decision.decidedAt);
  for (const [key, step] of Object.entries(state.steps)) {
    if (!INDEPENDENT.has(key) && Date.parse(step.at) >= decided) return { key, at: step.at };
  }
  return null;
}

export async function decideCommand(ref: string, cardId: string, flags: DecideFlags): Promise<number> {
  const chosen = readPick(flags.pick);
  const session = await openSession(process.cwd(), flags.config);
  const runId = await resolveRun(session, ref);
  const release = lockRun(session, runId);
  try {
    const state = session.store.load(runId);
    // A decided card leaves the run's open cards once the run replays past it; its decision stays.
    const previous = state.decisions.find((d) => d.cardId === cardId) ?? null;
    if (!previous && !state.cards.some((c) => c.id === cardId)) {
      const known = [...new Set([...state.cards.map((c) => c.id), ...state.decisions.map((d) => d.cardId)])];
      throw new UsageError(`run ${runId} has no decision card "${cardId}" (cards: ${known.join(', ') || 'none'}).`);
    }
    if (previous && !flags.amend)
      throw new UsageError(
        `card ${cardId} of run ${runId} is already decided (${describe(previous)}).`,
        `\`duo decide ${runId} ${cardId} --pick … --amend\` replaces it, as long as the run has not used it yet.`,
      );
    if (previous) {
      const used = stepThatUsed(state, previous);
      if (used)
        throw new UsageError(
          `card ${cardId} of run ${runId} cannot be amended: step "${used.key}" ` +
            `(started ${localTime(used.at, { seconds: true })}) already ran ` +
            `with the decision ${describe(previous)}.`,
          `Start a new run for a different course: duo "<task>".`,
        );
    }
    const decision = Decision.parse({
      cardId,
      ...chosen,
      decidedAt: new Date().toISOString(),
      by: 'duo decide',
      human: currentHuman(session.repoRoot),
    });
    if (flags.rule) {
      const card = state.cards.find((c) => c.id === cardId);
      const words = typeof flags.rule === 'string' ? flags.rule : undefined;
      if (!card && !words)
        throw new UsageError(
          `card ${cardId} of run ${runId} is no longer open, so duo cannot word the rule from it: --rule "<the rule>".`,
        );
      decision.rule = card
        ? keepRule(session.repoRoot, runId, card, decision, words)
        : addRule(session.repoRoot, words as string, `kept from run ${runId}, ${cardId}`).id;
    }
    state.decisions = [...state.decisions.filter((d) => d.cardId !== cardId), decision];
    session.store.save(state);
    const next = `duo resume ${runId}`;
    if (flags.json) printJson({ runId, cardId, decision, amended: previous, next: `\`${next}\`` } satisfies DecideJson);
    else
      process.stdout.write(
        `${previous ? `amended (was ${describe(previous)})` : 'recorded'}: ${cardId} → ${describe(decision)}\n` +
          `${decision.rule ? `kept as house rule ${decision.rule} in .duo/RULES.md\n` : ''}continue with: ${next}\n`,
      );
    return 0;
  } finally {
    release();
  }
}

function describe(d: Choice): string {
  return d.pick === 'custom' ? `your own: "${d.text}"` : d.pick;
}
