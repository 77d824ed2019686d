/**
 * What an agent CLI says about its plan's limits, in one shape for both: a five-hour and a weekly window, each with
 * the share used (0–1), when it resets and the CLI's own status word, and whether requests are refused right now.
 *
 * - Claude Code prints a `rate_limit_event` stream-json line when logged in with a subscription (read from the
 *   `anthropic-ratelimit-unified-*` response headers): utilization is a fraction, resets are unix seconds.
 * - Codex writes `rate_limits` into the thread's session file (from `x-codex-primary-*` / `secondary-*` headers):
 *   used_percent is 0–100, the window is in minutes (observed: primary 300 = five hours, secondary 10080 = a week).
 * Both are read loosely: a field a new CLI version drops becomes null, never a crash.
 */

import { z } from 'zod';

export const RateWindow = z.object({
  /** Share of the window's allowance used, 0–1 (Codex's percent divided by 100). */
  utilization: z.number(),
  /** ISO time the window resets; null when the CLI did not say. */
  resetsAt: z.string().nullable(),
  /** The CLI's word for the window (Claude: allowed, allowed_warning, rejected); null when it has none. */
  status: z.string().nullable(),
  windowMinutes: z.number().nullable(),
});
export type RateWindow = z.infer<typeof RateWindow>;

export const RateLimits = z.object({
  source: z.enum(['claude', 'codex', 'scripted']),
  /** When the CLI reported these figures. */
  observedAt: z.string(),
  fiveHour: RateWindow.nullable(),
  weekly: RateWindow.nullable(),
  /** Requests are refused until `resetsAt` (the plan's limit is reached), by the window named. */
  rejected: z.object({ window: z.string(), resetsAt: z.string().nullable() }).nullable(),
});
export type RateLimits = z.infer<typeof RateLimits>;

const unixToIso = (s: unknown): string | null =>
  typeof s === 'number' && Number.isFinite(s) && s > 0 ? new Date(s * 1000).toISOString() : null;

const ClaudeWindow = z.looseObject({
  utilization: z.number().optional(),
  resetsAt: z.number().optional(),
  status: z.string().optional(),
});
/** `rate_limit_info` of Claude Code's `rate_limit_event` line. */
export const ClaudeRateLimitInfo = z.looseObject({
  status: z.string().optional(),
  resetsAt: z.number().optional(),
  rateLimitType: z.string().optional(),
  utilization: z.number().optional(),
  unifiedWindows: z.looseObject({ five_hour: ClaudeWindow.optional(), seven_day: ClaudeWindow.optional() }).optional(),
});

export function fromClaude(info: z.infer<typeof ClaudeRateLimitInfo>, observedAt: string): RateLimits {
  const win = (w: z.infer<typeof ClaudeWindow> | undefined, minutes: number): RateWindow | null =>
    w && typeof w.utilization === 'number'
      ? {
          utilization: w.utilization,
          resetsAt: unixToIso(w.resetsAt),
          status: w.status ?? null,
          windowMinutes: minutes,
        }
      : null;
  let fiveHour = win(info.unifiedWindows?.five_hour, 300);
  let weekly = win(info.unifiedWindows?.seven_day, 10080);
  // Without the per-window block, the top-level figure belongs to the window it names.
  if (!fiveHour && !weekly && typeof info.utilization === 'number') {
    const w = { utilization: info.utilization, resetsAt: unixToIso(info.resetsAt), status: info.status ?? null };
    if (info.rateLimitType === 'seven_day') weekly = { ...w, windowMinutes: 10080 };
    else fiveHour = { ...w, windowMinutes: 300 };
  }
  const rejectedWindow = [
    ['five_hour', fiveHour],
    ['seven_day', weekly],
  ].find(([, w]) => (w as RateWindow | null)?.status === 'rejected');
  const rejected =
    info.status === 'rejected'
      ? { window: info.rateLimitType ?? 'unknown', resetsAt: unixToIso(info.resetsAt) }
      : rejectedWindow
        ? { window: rejectedWindow[0] as string, resetsAt: (rejectedWindow[1] as RateWindow).resetsAt }
        : null;
  return { source: 'claude', observedAt, fiveHour, weekly, rejected };
}

const CodexWindow = z.looseObject({
  used_percent: z.number(),
  window_minutes: z.number().nullable().optional(),
  resets_at: z.number().nullable().optional(),
});
/** `rate_limits` of a Codex session file's token_count event. */
export const CodexRateLimits = z.looseObject({
  primary: CodexWindow.nullable().optional(),
  secondary: CodexWindow.nullable().optional(),
  rate_limit_reached_type: z.string().nullable().optional(),
});

export function fromCodex(limits: z.infer<typeof CodexRateLimits>, observedAt: string): RateLimits {
  const out: RateLimits = { source: 'codex', observedAt, fiveHour: null, weekly: null, rejected: null };
  for (const w of [limits.primary, limits.secondary]) {
    if (!w) continue;
    const window: RateWindow = {
      utilization: w.used_percent / 100,
      resetsAt: unixToIso(w.resets_at),
      status: w.used_percent >= 100 ? 'rejected' : null,
      windowMinutes: w.window_minutes ?? null,
    };
    // A window of a day or less is the short one (observed: 300 min); longer is the weekly one (10080 min).
    if ((w.window_minutes ?? 300) <= 24 * 60) out.fiveHour ??= window;
    else out.weekly ??= window;
    if (w.used_percent >= 100 && !out.rejected)
      out.rejected = {
        window: (w.window_minutes ?? 300) <= 24 * 60 ? 'five_hour' : 'seven_day',
        resetsAt: window.resetsAt,
      };
  }
  if (!out.rejected && limits.rate_limit_reached_type) {
    const w = out.fiveHour?.utilization === 1 ? out.fiveHour : out.weekly;
    out.rejected = { window: limits.rate_limit_reached_type, resetsAt: w?.resetsAt ?? null };
  }
  return out;
}

/** "five-hour" / "weekly" for a window key, as users read it. */
export function windowName(window: string): string {
  if (window === 'five_hour') return 'five-hour';
  if (window === 'seven_day' || window === 'weekly') return 'weekly';
  return window.replace(/_/g, ' ');
}
