import type { RateLimits } from './limits.js';

/**
 * Agent failures, classified into what a user can act on. Every adapter throws AgentError and nothing else,
 * so the protocol's retry policy and the CLI's messages are written once.
 */
export type AgentFailure =
  | 'not-installed'
  | 'not-logged-in'
  | 'rate-limited'
  | 'api-error'
  | 'max-turns'
  | 'schema'
  | 'timeout'
  | 'idle'
  | 'crashed'
  | 'aborted'
  | 'session-lost'
  | 'permission';

const RETRYABLE: ReadonlySet<AgentFailure> = new Set(['rate-limited', 'api-error', 'timeout', 'idle', 'crashed']);

const HINTS: Record<AgentFailure, string> = {
  'not-installed':
    'Install the agent CLI or set its path in duo.config.json (agents.<name>.path); `duo doctor` checks.',
  'not-logged-in': 'Log the agent CLI in (run it once interactively), then `duo resume <runId>`.',
  'rate-limited':
    "The provider is rate limiting, or the plan's limit is reached; `duo budget` shows when it resets, then `duo resume <runId>`.",
  'api-error': "The model API failed; check the provider's status, then `duo resume <runId>`.",
  'max-turns': 'The agent ran out of turns; raise the agent max turns in config or narrow the task.',
  schema: 'The agent kept answering outside the required JSON shape; retry with `duo resume <runId>` or another model.',
  timeout: 'The agent call took longer than limits.agentTimeoutMs; raise it or narrow the task.',
  idle: 'The agent printed nothing for limits.idleTimeoutMs and was stopped; `duo resume <runId>` retries.',
  crashed: 'The agent CLI exited unexpectedly; its stderr is in the run events; `duo resume <runId>` retries.',
  aborted: 'The run was interrupted; `duo resume <runId>` continues.',
  'session-lost': 'The agent no longer knows the session; duo starts a fresh one on resume.',
  permission: 'The agent was denied a tool it needed; check the role access settings.',
};

export class AgentError extends Error {
  readonly failure: AgentFailure;
  readonly agent: string;
  readonly detail: string | undefined;
  /**
   * For a rate limit: the plan's limits as the CLI reported them, and when requests are accepted again. A limit
   * with a reset time is not retried: the run pauses until then.
   */
  limits?: RateLimits;
  resetAt?: string;
  constructor(agent: string, failure: AgentFailure, message: string, detail?: string) {
    super(`${agent}: ${message}`);
    this.name = 'AgentError';
    this.agent = agent;
    this.failure = failure;
    this.detail = detail;
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.failure);
  }
  get hint(): string {
    return HINTS[this.failure];
  }
}

export function isAgentError(e: unknown): e is AgentError {
  return e instanceof AgentError;
}
