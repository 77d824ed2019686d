import * as p from '@clack/prompts';
import type { Decider } from '../protocol/ports.js';
import type { DecisionCard } from '../protocol/types.js';
import { currentHuman } from '../sys/human.js';

/** A decision card in the terminal: the question, each side, what is expensive to get wrong — then a choice. */
export function terminalDecider(): Decider {
  return {
    async decide(card: DecisionCard) {
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
    },
  };
}

export function canPrompt(opts: { yes?: boolean; json?: boolean }): boolean {
  return !opts.yes && !opts.json && process.stdin.isTTY === true && process.stderr.isTTY === true;
}
