import type { z } from 'zod';
import type { AgentEvent, Usage } from './events.js';
import type { RateLimits } from './plan-limits.js';

/** What the agent may do in its working directory. The skeptic is always read-only. */
export type Access = 'read-only' | 'write';

/** Why the protocol is calling: scripted agents answer by purpose; real agents only see it in the prompt. */
export type Purpose =
  | 'brief'
  | 'plan'
  | 'critique'
  | 'revise'
  | 'implement'
  | 'subtask'
  | 'review-patch'
  | 'review'
  | 'answer-findings'
  | 'recheck'
  | 'diagnose'
  | 'resolve-conflict'
  | 'resolve-contradiction'
  | 'answer'
  | 'report';

export interface AgentCall<T = unknown> {
  purpose: Purpose;
  prompt: string;
  /** The run's worktree (never the user's own tree). */
  cwd: string;
  access: Access;
  /** Structured answer: validated by duo on return, and handed to the CLI as JSON Schema. */
  schema?: z.ZodType<T>;
  schemaName?: string;
  /** Session/thread to continue so the agent keeps its context across rounds. */
  resume?: string;
  timeoutMs?: number;
  /** Kill the agent when it prints nothing for this long. */
  idleTimeoutMs?: number;
  /**
   * Stop the agent when it reports trouble (reconnecting, API retries) and the model makes no progress for this
   * long: a lost network is a failure within a bounded time, not a silent hang (agents/stall.ts).
   */
  stallTimeoutMs?: number;
  signal?: AbortSignal;
  onEvent?: (event: AgentEvent) => void;
  /** Each CLI process the call starts and when it exits, so a crash of duo cannot leave one running unseen. */
  onProcess?: (pid: number, state: 'started' | 'exited') => void;
}

export interface AgentResult<T = unknown> {
  /** The validated structured answer, or the final text when no schema was asked for. */
  answer: T;
  text: string;
  sessionId?: string;
  usage?: Usage;
  durationMs: number;
  events: AgentEvent[];
  /** Tools the CLI refused (Claude Code reports them even on exit 0). */
  permissionDenials: string[];
  /** The plan's limits as the CLI last reported them during the call (subscription logins only). */
  limits?: RateLimits;
  /** The model that answered, as the CLI reported it. */
  model?: string;
}

export interface AgentProbe {
  name: string;
  kind: string;
  found: boolean;
  path?: string;
  version?: string;
  testedRange?: string;
  versionTested?: boolean;
  loggedIn?: boolean | 'unknown';
  sandbox?: string;
  problems: string[];
}

export interface Agent {
  readonly name: string;
  readonly kind: 'claude' | 'codex' | 'command' | 'scripted';
  run<T>(call: AgentCall<T>): Promise<AgentResult<T>>;
  /** Cheap health check for `duo doctor`: never spends tokens. */
  probe?(): Promise<AgentProbe>;
}
