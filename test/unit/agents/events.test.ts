import { describe, expect, it } from 'vitest';
import { addUsage, ZERO_USAGE } from '../../../src/agents/events.js';

describe('addUsage', () => {
  it('adds token counts and treats a missing side as zero', () => {
    const a = { inputTokens: 10, outputTokens: 2, cachedInputTokens: 5 };
    expect(addUsage(a, { inputTokens: 1, outputTokens: 1, cachedInputTokens: 1 })).toEqual({
      inputTokens: 11,
      outputTokens: 3,
      cachedInputTokens: 6,
    });
    expect(addUsage(undefined, a)).toEqual(a);
    expect(addUsage(undefined, undefined)).toEqual(ZERO_USAGE);
  });

  it('has a cost only when one side reports one (Codex reports none)', () => {
    const codex = { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 };
    expect(addUsage(codex, codex)).not.toHaveProperty('costUsd');
    expect(addUsage(codex, { ...codex, costUsd: 0.5 }).costUsd).toBe(0.5);
    expect(addUsage({ ...codex, costUsd: 0.25 }, { ...codex, costUsd: 0.5 }).costUsd).toBe(0.75);
  });

  it('does not change ZERO_USAGE', () => {
    addUsage(undefined, { inputTokens: 3, outputTokens: 3, cachedInputTokens: 3, costUsd: 1 });
    expect(ZERO_USAGE).toEqual({ inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 });
  });
});
