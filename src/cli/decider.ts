import * as p from '@clack/prompts';
import type { Decider } from '../protocol/ports.js';
import type { Decision, DecisionCard } from '../protocol/types.js';
import { currentHuman } from '../sys/human.js';
import { keepRule, ruleText } from './rule.js';

/**
 * A decision card in the terminal: the question, each side, what is expensive to get wrong — then a choice, and
 * whether to keep it as a house rule for later runs (`repo`: where .duo/RULES.md is; without it, not asked).
 */
export function terminalDecider(repo?: { root: string; runId: string }): Decider {
  return {
    async decide(card: DecisionCard) {
      const decision = await choose(card);
      if (!decision || !repo) return decision;
      const keep = await p.confirm({
        message: 'Keep this decision as a house rule for later runs?',
        initialValue: false,
      });
      if (p.isCancel(keep) || !keep) return decision;
      const text = await p.text({
        message: 'The rule, in one line (.duo/RULES.md; later runs give it to the agents):',
        initialValue: ruleText(card, decision),
        validate: (v) => (v?.trim() ? undefined : 'Write the rule, or press Ctrl-C to keep none'),
      });
      if (p.isCancel(text)) return decision;
      return { ...decision, rule: keepRule(repo.root, repo.runId, card, decision, String(text)) };
    },
  };
}

async function choose(card: DecisionCard): Promise<Omit<Decision, 'decidedAt'> | null> {
  p.note(
    [
      card.question,
      '',
      `Driver:  ${card.driverPosition}`,
      `Skeptic: ${card.skepticPosition}`,
      '',
      `Expensive to get wrong: ${card.stakes}`,
    ].join('\n'),
    `Decision needed (${card.id})`,
  );
  const pick = await p.select({
    message: 'How should duo proceed?',
    options: [
      { value: 'driver', label: "Accept the driver's position" },
      { value: 'skeptic', label: "Accept the skeptic's position" },
      { value: 'custom', label: 'Write a decision' },
      { value: 'later', label: 'Decide later (the run waits; `duo decide` then `duo resume`)' },
    ],
  });
  if (p.isCancel(pick) || pick === 'later') return null;
  if (pick === 'custom') {
    const text = await p.text({
      message: 'Your decision (the driver will follow it):',
      validate: (v) => (v?.trim() ? undefined : 'Write something, or press Ctrl-C to decide later'),
    });
    if (p.isCancel(text)) return null;
    return { cardId: card.id, pick: 'custom', text: String(text).trim(), by: 'terminal', human: currentHuman() };
  }
  return { cardId: card.id, pick: pick as 'driver' | 'skeptic', text: '', by: 'terminal', human: currentHuman() };
}

export function canPrompt(opts: { yes?: boolean; json?: boolean }): boolean {
  return !opts.yes && !opts.json && process.stdin.isTTY === true && process.stderr.isTTY === true;
}
