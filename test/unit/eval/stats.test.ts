import { describe, expect, it } from 'vitest';
import { mcnemarExact, median, wilson } from '../../../src/eval/stats.js';

describe('the Wilson score interval', () => {
  // Newcombe (1998), "Two-sided confidence intervals for the single proportion", Table I, method 3 (score, no
  // continuity correction), to the four decimals printed there.
  it.each([
    [81, 263, 0.2553, 0.3662],
    [15, 148, 0.0624, 0.1605],
    [0, 20, 0, 0.1611],
    [1, 29, 0.0061, 0.1718],
  ])('%i of %i: %f – %f', (k, n, low, high) => {
    const i = wilson(k, n);
    expect(i.low).toBeCloseTo(low, 4);
    expect(i.high).toBeCloseTo(high, 4);
  });

  it('stays inside [0, 1]: exactly 1 at n of n, and says nothing is known at 0 of 0', () => {
    expect(wilson(29, 29).high).toBe(1);
    expect(wilson(29, 29).low).toBeCloseTo(0.883, 3);
    expect(wilson(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('the exact McNemar test', () => {
  it('matches the exact conditional p-value of the textbook example (1 vs 7 discordant pairs: 0.070)', () => {
    // Fagerland, Lydersen & Laake (2013), BMC Med Res Methodol 13:91: 2 × P(X ≤ 1), X ~ Bin(8, ½) = 18/256.
    expect(mcnemarExact(1, 7)).toBeCloseTo(0.0703125, 10);
    expect(mcnemarExact(7, 1)).toBe(mcnemarExact(1, 7));
  });

  it('is a doubled binomial tail, capped at 1, and stays exact for thousands of pairs', () => {
    expect(mcnemarExact(0, 10)).toBeCloseTo(2 / 1024, 12);
    expect(mcnemarExact(3, 11)).toBeCloseTo((2 * (1 + 14 + 91 + 364)) / 16384, 12);
    expect(mcnemarExact(5, 5)).toBe(1);
    expect(mcnemarExact(0, 0)).toBe(1);
    // Checked against exact rational arithmetic: 2 Σ_{i≤500} C(1100, i) / 2^1100.
    expect(mcnemarExact(500, 600)).toBeCloseTo(0.0028195449914364275, 12);
  });
});

describe('median', () => {
  it('of odd and even counts, and of nothing', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
