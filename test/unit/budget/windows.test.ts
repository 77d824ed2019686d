import { describe, expect, it } from 'vitest';
import { ago, pct, when } from '../../../src/budget/describe.js';
import { endOfDay, endOfWeek, startOfDay, startOfWeek } from '../../../src/budget/windows.js';

/** The calendar windows spend caps count in (local time), and how figures read. */
describe('windows', () => {
  it('a day runs from local midnight; a week from Monday 00:00', () => {
    const wed = new Date(2026, 2, 11, 15, 30); // Wednesday 11 March 2026, local
    expect(startOfDay(wed)).toEqual(new Date(2026, 2, 11));
    expect(endOfDay(wed)).toEqual(new Date(2026, 2, 12));
    expect(startOfWeek(wed)).toEqual(new Date(2026, 2, 9));
    expect(endOfWeek(wed)).toEqual(new Date(2026, 2, 16));
    const sunday = new Date(2026, 2, 15, 23, 0);
    expect(startOfWeek(sunday)).toEqual(new Date(2026, 2, 9));
    expect(startOfWeek(new Date(2026, 2, 16, 0, 0))).toEqual(new Date(2026, 2, 16));
  });

  it('reads shares as percentages and times as a clock time with how far off', () => {
    expect([pct(0.834), pct(0.05), pct(0.005), pct(1)]).toEqual(['83%', '5%', '0.5%', '100%']);
    const now = new Date(2026, 2, 11, 12, 0);
    expect(when(new Date(2026, 2, 11, 13, 12).toISOString(), now)).toBe('13:12 (in 1 h 12 min)');
    expect(ago(new Date(2026, 2, 11, 11, 56).toISOString(), now)).toBe('4 min ago');
  });
});
