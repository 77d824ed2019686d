import { describe, expect, it } from 'vitest';
import { readPick, stepThatUsed } from '../../../src/cli/commands/decide.js';
import type { Decision } from '../../../src/protocol/types.js';
import { runState } from '../../support/state.js';

/** What `--pick` means, and whether a decision has been acted on yet (so `--amend` may replace it). */
describe('readPick', () => {
  it("driver and skeptic in any case are a side; a sentence is the human's own decision", () => {
    expect(readPick('Skeptic')).toEqual({ pick: 'skeptic', text: '' });
    expect(readPick(' DRIVER ')).toEqual({ pick: 'driver', text: '' });
    expect(readPick('keep the API as it is')).toEqual({ pick: 'custom', text: 'keep the API as it is' });
  });

  it('a one-word typo of a side, or nothing at all, is a usage error', () => {
    expect(() => readPick('skeptc')).toThrow(/did you mean skeptic\?/);
    expect(() => readPick('drvier')).toThrow(/did you mean driver\?/);
    expect(() => readPick('  ')).toThrow(/say what you decide/);
    expect(readPick('postpone')).toEqual({ pick: 'custom', text: 'postpone' });
  });
});

describe('stepThatUsed', () => {
  const decision: Decision = {
    cardId: 'card-R1',
    pick: 'driver',
    text: '',
    decidedAt: '2026-01-01T10:00:00.000Z',
    by: 'duo decide',
  };
  const step = (at: string) => ({ at, durationMs: 1, result: null });

  it('is the first step that started once the decision was recorded, the baseline aside', () => {
    const before = runState({ steps: { 'plan/r1/draft': step('2026-01-01T09:00:00.000Z') } });
    expect(stepThatUsed(before, decision)).toBeNull();
    const baselineOnly = runState({
      steps: { 'plan/r1/draft': step('2026-01-01T09:00:00.000Z'), 'gate/baseline': step('2026-01-01T10:00:01.000Z') },
    });
    expect(stepThatUsed(baselineOnly, decision)).toBeNull();
    const used = runState({
      steps: {
        'plan/r1/draft': step('2026-01-01T09:00:00.000Z'),
        'gate/baseline': step('2026-01-01T10:00:01.000Z'),
        'review/decisions': step('2026-01-01T10:00:02.000Z'),
        'verify/1': step('2026-01-01T10:00:05.000Z'),
      },
    });
    expect(stepThatUsed(used, decision)).toEqual({ key: 'review/decisions', at: '2026-01-01T10:00:02.000Z' });
  });
});
