import type { RateLimits } from './plan-limits.js';

/**
 * The typed event stream every agent run yields, whatever CLI produced it.
 * Adapters parse their CLI's JSON lines into this union; anything they do not recognise becomes
 * an `unknown` event carrying the raw line, so a new CLI version degrades to "kept", never to a crash.
 */
export type AgentEvent =
  | { type: 'started'; sessionId?: string; model?: string; detail?: string }
  | { type: 'message'; text: string; final?: boolean }
  | { type: 'command'; command: string; exitCode?: number | null; output?: string; status?: string }
  | { type: 'file_change'; path: string; kind: string }
  | { type: 'usage'; usage: Usage }
  /** The plan's limits as the CLI reported them (Claude Code's rate_limit_event; Codex's session file). */
  | { type: 'limits'; limits: RateLimits }
  | { type: 'error'; message: string; fatal: boolean }
  | { type: 'result'; ok: boolean; text?: string; detail?: string }
  | { type: 'unknown'; raw: unknown };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  /** Only when the agent reports it (Claude Code does; Codex does not). */
  costUsd?: number;
}

export const ZERO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

export function addUsage(a: Usage | undefined, b: Usage | undefined): Usage {
  const x = a ?? ZERO_USAGE;
  const y = b ?? ZERO_USAGE;
  const sum: Usage = {
    inputTokens: x.inputTokens + y.inputTokens,
    outputTokens: x.outputTokens + y.outputTokens,
    cachedInputTokens: x.cachedInputTokens + y.cachedInputTokens,
  };
  if (x.costUsd !== undefined || y.costUsd !== undefined) sum.costUsd = (x.costUsd ?? 0) + (y.costUsd ?? 0);
  return sum;
}
