import { DuoError } from '../sys/duo-error.js';
import { redactSecrets } from '../sys/redact.js';
import type { RateLimits } from './plan-limits.js';

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
  | 'permission'
  /** No network, or the model API cannot be reached: the CLI kept reconnecting with no model progress. */
  | 'unreachable'
  /** The CLI refused the call with its own message (a bad flag or value, an option it does not know): final. */
  | 'rejected';

/** What may go better on another try. A refused flag, a missing login or a lost session will not. */
const RETRYABLE: ReadonlySet<AgentFailure> = new Set([
  'rate-limited',
  'api-error',
  'unreachable',
  'timeout',
  'idle',
  'crashed',
]);

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
  unreachable:
    "No network, or the model API cannot be reached (offline, a proxy or firewall, a wrong base URL in the agent's env); " +
    'fix the connection, then `duo resume <runId>` continues from the last completed step.',
  rejected:
    'The agent CLI refused the call with the message above (a flag or value it does not accept: agents.<name>.extraArgs, model or path in duo.config.json); fix it, then `duo resume <runId>`.',
};

export class AgentError extends DuoError {
  /** Every failure has a hint (HINTS): what to do about it. */
  declare readonly hint: string;
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
    super(`${agent}: ${message}`, HINTS[failure]);
    this.agent = agent;
    this.failure = failure;
    this.detail = detail;
  }
  get retryable(): boolean {
    return RETRYABLE.has(this.failure);
  }
}

export function isAgentError(e: unknown): e is AgentError {
  return e instanceof AgentError;
}

/** What a CLI (or the HTTP library under it) says when the model API cannot be reached at all. */
export const UNREACHABLE =
  /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|getaddrinfo|name does not resolve|name resolution|waiting for network|connection failed|connection refused|error sending request|connection_failed|could not resolve host|network is unreachable|fetch failed/i;

/** Lines a CLI prints that never explain anything (help footers, harmless warnings). */
const NOISE =
  /could not create PATH aliases|Refusing to create helper binaries|^tip:|^Usage:|For more information, try|^\s*\[possible values/i;
const CAUSE =
  /error|fail|refused|denied|invalid|unknown|unexpected|not found|unreachable|no conversation|timed? ?out|ECONN|ENOTFOUND|EAI_AGAIN/i;

/**
 * The line of what a CLI said that names the cause — "ECONNREFUSED", "error: unknown option '--bogus'" — for the
 * failure's own message, where a user reads it first (the whole tail stays in `detail`). The last line that looks
 * like an error, else the last line; one line, at most 300 characters. Undefined when it said nothing.
 */
export function rootCause(said: string): string | undefined {
  const lines = said
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !NOISE.test(l));
  const line = lines.findLast((l) => CAUSE.test(l)) ?? lines.at(-1);
  if (!line) return undefined;
  return redactSecrets(line.length > 300 ? `${line.slice(0, 297)}...` : line);
}

/** "what happened: its cause", or just what happened when the CLI gave no cause. */
export function because(what: string, cause: string | undefined): string {
  return cause ? `${what}: ${cause}` : what;
}
