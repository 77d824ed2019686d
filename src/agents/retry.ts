/**
 * The retry policy, in one place for every agent: what failed decides whether another try can help (a lost network,
 * a 5xx, a crash, a time limit may go better; a refused flag, a missing login, a bad answer shape will not), and the
 * try number decides how long to wait first — exponential backoff from `retryBaseMs`.
 */

import type { AgentError } from './failure.js';

export interface RetryLimits {
  /** Tries after the first. */
  retries: number;
  retryBaseMs: number;
}

/** How long to wait before trying a failed call again, or null: it is not to be tried again. */
export function retryDelay(err: AgentError, attempt: number, limits: RetryLimits): number | null {
  if (!err.retryable || attempt >= limits.retries) return null;
  return limits.retryBaseMs * 2 ** attempt;
}
