import { describe, expect, it } from 'vitest';
import { fromClaude, fromCodex, windowName } from '../../../src/agents/plan-limits.js';

/** The plan limits both CLIs report, read into one shape (shapes: ../shared/reference/agent-clis.md). */
const at = '2026-03-10T12:00:00.000Z';
const unix = 1_773_144_000; // 2026-03-10T12:00:00Z
const iso = (s: number) => new Date(s * 1000).toISOString();

describe('fromClaude', () => {
  it('reads both windows from unifiedWindows, resets from unix seconds', () => {
    const l = fromClaude(
      {
        status: 'allowed',
        resetsAt: unix + 3600,
        rateLimitType: 'five_hour',
        unifiedWindows: {
          five_hour: { utilization: 0.83, resetsAt: unix + 3600, status: 'allowed_warning' },
          seven_day: { utilization: 0.41, resetsAt: unix + 86400, status: 'allowed' },
        },
      },
      at,
    );
    expect(l).toEqual({
      source: 'claude',
      observedAt: at,
      fiveHour: { utilization: 0.83, resetsAt: iso(unix + 3600), status: 'allowed_warning', windowMinutes: 300 },
      weekly: { utilization: 0.41, resetsAt: iso(unix + 86400), status: 'allowed', windowMinutes: 10080 },
      rejected: null,
    });
  });

  it('without per-window figures, the top-level one belongs to the window it names', () => {
    const l = fromClaude({ status: 'allowed', utilization: 0.5, resetsAt: unix, rateLimitType: 'seven_day' }, at);
    expect(l.fiveHour).toBeNull();
    expect(l.weekly).toMatchObject({ utilization: 0.5, resetsAt: iso(unix) });
  });

  it('a rejected status is a refusal until the reset, by the window named', () => {
    const l = fromClaude({ status: 'rejected', resetsAt: unix + 60, rateLimitType: 'five_hour' }, at);
    expect(l.rejected).toEqual({ window: 'five_hour', resetsAt: iso(unix + 60) });
    // A window marked rejected counts too, when the top level does not say so.
    const w = fromClaude({ unifiedWindows: { seven_day: { utilization: 1, resetsAt: unix, status: 'rejected' } } }, at);
    expect(w.rejected).toEqual({ window: 'seven_day', resetsAt: iso(unix) });
  });
});

describe('fromCodex', () => {
  it('primary and secondary become five-hour and weekly by their window length; percent becomes a share', () => {
    const l = fromCodex(
      {
        primary: { used_percent: 72.5, window_minutes: 300, resets_at: unix + 100 },
        secondary: { used_percent: 31, window_minutes: 10080, resets_at: unix + 200 },
      },
      at,
    );
    expect(l).toEqual({
      source: 'codex',
      observedAt: at,
      fiveHour: { utilization: 0.725, resetsAt: iso(unix + 100), status: null, windowMinutes: 300 },
      weekly: { utilization: 0.31, resetsAt: iso(unix + 200), status: null, windowMinutes: 10080 },
      rejected: null,
    });
  });

  it('a window at 100% is a refusal until its reset; a missing window is null', () => {
    const l = fromCodex({ primary: { used_percent: 100, window_minutes: 300, resets_at: unix }, secondary: null }, at);
    expect(l.rejected).toEqual({ window: 'five_hour', resetsAt: iso(unix) });
    expect(l.fiveHour?.status).toBe('rejected');
    expect(l.weekly).toBeNull();
  });

  it('names windows as users read them', () => {
    expect([windowName('five_hour'), windowName('seven_day'), windowName('monthly_x')]).toEqual([
      'five-hour',
      'weekly',
      'monthly x',
    ]);
  });
});
