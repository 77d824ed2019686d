import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../support/harness.js';

/**
 * The decision card in a terminal, with the person's answers scripted: after the decision, duo asks whether to keep
 * it as a house rule, and appends it to .duo/RULES.md in the words the person leaves.
 */
const asked = vi.hoisted(() => ({ keep: true, words: undefined as string | undefined }));
vi.mock('@clack/prompts', () => ({
  note: () => {},
  select: async () => 'driver',
  confirm: async () => asked.keep,
  text: async (o: { initialValue?: string }) => asked.words ?? o.initialValue,
  isCancel: () => false,
}));
const { terminalDecider } = await import('../../src/cli/decider.js');

const card = {
  id: 'card-P3',
  phase: 'plan' as const,
  findingId: 'P3',
  question: 'Use BigInt for cents. (src/split.js)',
  driverPosition: 'totals are far below 2^53 cents',
  skepticPosition: 'large totals lose precision',
  stakes: 'money',
  createdAt: 't',
};

describe('a decision in the terminal', () => {
  beforeEach(() => {
    asked.keep = true;
    asked.words = undefined;
  });

  it('can be kept as a house rule, in the words duo offers or the person writes', async () => {
    const repo = tempDir('duo-decider-');
    const decider = terminalDecider({ root: repo, runId: 'run-1' });
    expect(await decider.decide(card)).toMatchObject({ pick: 'driver', rule: 'H1' });
    asked.words = 'Cents are Numbers, never BigInt.';
    expect(await decider.decide(card)).toMatchObject({ rule: 'H2' });
    const rules = readFileSync(join(repo, '.duo', 'RULES.md'), 'utf8');
    expect(rules).toContain(
      '- [H1] On "Use BigInt for cents. (src/split.js)": totals are far below 2^53 cents _(kept from run run-1, card-P3,',
    );
    expect(rules).toContain('- [H2] Cents are Numbers, never BigInt. _(');
  });

  it('keeps no rule when the person says no', async () => {
    asked.keep = false;
    const decision = await terminalDecider({ root: tempDir('duo-decider-'), runId: 'run-1' }).decide(card);
    expect(decision).toMatchObject({ pick: 'driver' });
    expect(decision?.rule).toBeUndefined();
  });
});
