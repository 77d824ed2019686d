/**
 * A human decision kept as a house rule (`duo decide … --rule`, or the question after a decision in a terminal):
 * appended to .duo/RULES.md (record/rules.ts), which every later run gives to its plan and review prompts.
 */

import type { Decision, DecisionCard } from '../protocol/types.js';
import { addRule } from '../record/rules.js';

/** The rule a decision says, in words: the side the human took (or their own words), on the card's question. */
export function ruleText(card: DecisionCard, decision: Pick<Decision, 'pick' | 'text'>): string {
  const position =
    decision.pick === 'custom' || decision.text
      ? decision.text
      : decision.pick === 'driver'
        ? card.driverPosition
        : card.skepticPosition;
  return `On "${card.question}": ${position}`;
}

/** Appends the rule and returns its id (kept on the decision, so the report can name it). */
export function keepRule(
  repoRoot: string,
  runId: string,
  card: DecisionCard,
  decision: Pick<Decision, 'pick' | 'text'>,
  text?: string,
): string {
  const words = text?.trim() || ruleText(card, decision);
  return addRule(repoRoot, words, `kept from run ${runId}, ${card.id}, ${new Date().toISOString().slice(0, 10)}`).id;
}
