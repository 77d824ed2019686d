/**
 * The rate-limit headers the real model APIs send with a subscription, as the simulator sends them: Anthropic's
 * `anthropic-ratelimit-unified-*` (utilization a fraction 0–1, resets in unix seconds) that make Claude Code print
 * its `rate_limit_event`, and Codex's `x-codex-primary-*` / `secondary-*` (percent used, window in minutes, reset in
 * unix seconds) that Codex writes into its session file. Shapes: ../shared/reference/agent-clis.md.
 */
export interface PlanUse {
  /** Share of the five-hour window used, 0–1. */
  fiveHour: number;
  weekly: number;
  /** Seconds until each window resets. */
  fiveHourResetIn?: number;
  weeklyResetIn?: number;
}

const unix = (inSeconds: number) => String(Math.floor(Date.now() / 1000) + inSeconds);

export function anthropicLimitHeaders(use: PlanUse): Record<string, string> {
  const status = (u: number) => (u >= 1 ? 'rejected' : u >= 0.75 ? 'allowed_warning' : 'allowed');
  const fiveReset = unix(use.fiveHourResetIn ?? 3600);
  const weekReset = unix(use.weeklyResetIn ?? 3 * 86400);
  const rejected = use.fiveHour >= 1 || use.weekly >= 1;
  return {
    'anthropic-ratelimit-unified-status': rejected ? 'rejected' : 'allowed',
    'anthropic-ratelimit-unified-reset': use.weekly >= 1 ? weekReset : fiveReset,
    'anthropic-ratelimit-unified-representative-claim': use.weekly >= 1 ? 'seven_day' : 'five_hour',
    'anthropic-ratelimit-unified-5h-utilization': String(use.fiveHour),
    'anthropic-ratelimit-unified-5h-reset': fiveReset,
    'anthropic-ratelimit-unified-5h-status': status(use.fiveHour),
    'anthropic-ratelimit-unified-7d-utilization': String(use.weekly),
    'anthropic-ratelimit-unified-7d-reset': weekReset,
    'anthropic-ratelimit-unified-7d-status': status(use.weekly),
  };
}

export function codexLimitHeaders(use: PlanUse): Record<string, string> {
  return {
    'x-codex-primary-used-percent': String(use.fiveHour * 100),
    'x-codex-primary-window-minutes': '300',
    'x-codex-primary-reset-at': unix(use.fiveHourResetIn ?? 3600),
    'x-codex-secondary-used-percent': String(use.weekly * 100),
    'x-codex-secondary-window-minutes': '10080',
    'x-codex-secondary-reset-at': unix(use.weeklyResetIn ?? 3 * 86400),
  };
}
