import { describe, expect, it } from 'vitest';
import type { RateLimits } from '../../../src/agents/plan-limits.js';
import { headroom } from '../../../src/budget/headroom.js';
import type { UsageLine } from '../../../src/budget/usage-ledger.js';
import { endOfDay, endOfWeek } from '../../../src/budget/windows.js';
import { BudgetConfig } from '../../../src/config/schema.js';
import { line } from '../../support/usage.js';

/** How much room a plan has: from the CLI's latest figures, and from duo's spend against caps for API-key users. */
const now = new Date('2026-03-10T12:00:00Z');
const iso = (minutesFromNow: number) => new Date(now.getTime() + minutesFromNow * 60_000).toISOString();
const config = BudgetConfig.parse({});

function limits(fiveHour: number, weekly: number, over: Partial<RateLimits> = {}): RateLimits {
  return {
    source: 'claude',
    observedAt: iso(-5),
    fiveHour: { utilization: fiveHour, resetsAt: iso(90), status: null, windowMinutes: 300 },
    weekly: { utilization: weekly, resetsAt: iso(3 * 1440), status: null, windowMinutes: 10080 },
    rejected: null,
    ...over,
  };
}
const withLimits = (l: RateLimits, at = iso(-5)): UsageLine => ({ v: 1, ...line({ at, limits: l }) });

describe('headroom', () => {
  it('room, tight and out follow the highest share used, against the thresholds', () => {
    expect(headroom('claude', [withLimits(limits(0.3, 0.5))], config, now).level).toBe('room');
    const tight = headroom('claude', [withLimits(limits(0.83, 0.41))], config, now);
    expect(tight).toMatchObject({ level: 'tight', pressure: 0.83, until: iso(90) });
    expect(tight.why).toMatch(/five-hour 83%.*weekly 41%.*figures from 5 min ago/);
    // The weekly window counts as much as the five-hour one.
    expect(headroom('claude', [withLimits(limits(0.1, 0.97))], config, now)).toMatchObject({
      level: 'out',
      until: iso(3 * 1440),
    });
    const custom = BudgetConfig.parse({ tightAt: 0.5, exhaustedAt: 0.6 });
    expect(headroom('claude', [withLimits(limits(0.55, 0.1))], custom, now).level).toBe('tight');
  });

  it('the newest figure wins, and a window whose reset has passed counts as fresh', () => {
    const old = withLimits(limits(0.99, 0.2, { observedAt: iso(-300) }), iso(-300));
    const recent = withLimits(limits(0.4, 0.2));
    expect(headroom('claude', [recent, old], config, now).level).toBe('room');
    const reset = limits(0.95, 0.2);
    reset.fiveHour = { utilization: 0.95, resetsAt: iso(-10), status: null, windowMinutes: 300 };
    const h = headroom('claude', [withLimits(reset)], config, now);
    expect(h).toMatchObject({ level: 'room', pressure: 0.2 });
    expect(h.figure?.fiveHour?.resetSince).toBe(true);
  });

  it('a refusal until a reset is out until then; once the reset has passed it no longer counts', () => {
    const refused = limits(1, 0.4, { rejected: { window: 'five_hour', resetsAt: iso(45) } });
    expect(headroom('claude', [withLimits(refused)], config, now)).toMatchObject({ level: 'out', until: iso(45) });
    const past = limits(0.2, 0.4, { rejected: { window: 'five_hour', resetsAt: iso(-1) } });
    expect(headroom('claude', [withLimits(past)], config, now).level).toBe('room');
  });

  it('no figure and no cap is unknown, with why (a Claude API key reports cost only)', () => {
    const h = headroom('claude', [], config, now, 'claude');
    expect(h.level).toBe('unknown');
    expect(h.why).toMatch(/subscription/);
    expect(h.why).toMatch(/budget\.caps\.claude/);
    // Another agent's figures say nothing about this one.
    expect(headroom('codex', [withLimits(limits(0.99, 0.99))], config, now, 'codex').level).toBe('unknown');
  });

  it('caps for API-key users: spend today and this week against them, out until the day or week turns', () => {
    const capped = BudgetConfig.parse({ caps: { claude: { usdPerDay: 1, tokensPerWeek: 1000 } } });
    const spent = (costUsd: number, tokens: number, at = iso(-60)): UsageLine => ({
      v: 1,
      ...line({ at, costUsd, inputTokens: tokens, outputTokens: 0 }),
    });
    const room = headroom('claude', [spent(0.3, 100)], capped, now);
    expect(room).toMatchObject({ level: 'room', pressure: 0.3 });
    expect(room.caps.map((c) => [c.window, c.metric, c.used, c.cap])).toEqual([
      ['day', 'usd', 0.3, 1],
      ['week', 'tokens', 100, 1000],
    ]);
    const out = headroom('claude', [spent(0.6, 100), spent(0.5, 100)], capped, now);
    expect(out).toMatchObject({ level: 'out', until: endOfDay(now).toISOString() });
    // Yesterday's spend is not today's; but it is this week's.
    const weekly = headroom('claude', [spent(5, 995, iso(-26 * 60))], capped, now);
    expect(weekly.caps.find((c) => c.window === 'day')?.used).toBe(0);
    expect(weekly).toMatchObject({ level: 'out', until: endOfWeek(now).toISOString() });
  });
});
