import type { AgentEvent, Usage } from '../agents/events.js';
import type { AgentFailure } from '../agents/failure.js';
import type { OutsideChange } from '../workspace/types.js';
import type { Revert } from './test-guard.js';

/** Which part an agent plays in a run. */
export type Role = 'driver' | 'skeptic' | 'dispatcher' | 'subtask' | 'panel';

/** What the live view shows, and what `duo status` / `duo wait` read back from events.jsonl in another process. */
export type ProgressEvent =
  /** A phase (or a new round of one) begins. */
  | { type: 'phase'; phase: string; round?: number }
  /** An agent call starts, ends, or is retried (detail: the failure that is being retried). */
  | { type: 'agent'; role: Role; agent: string; purpose: string; state: 'start' | 'end' | 'retry'; detail?: string }
  /** A verify command starts or ends; `reason` says in words why it did not pass. */
  | {
      type: 'verify';
      command: string;
      state: 'start' | 'end';
      exitCode?: number | null;
      passed?: boolean;
      reason?: string;
    }
  /**
   * What an agent does inside a call, from its CLI's stream: a file it edits, a command it runs, trouble it reports
   * (a reconnect, an API retry, a refused tool). Shown live only: the agent-* lines of events.jsonl already carry
   * it for `duo status` and `duo wait`.
   */
  | { type: 'activity'; role: Role; agent: string; kind: ActivityKind; text: string }
  /** Anything else a watcher should read (a fan-out, processes stopped on resume). */
  | { type: 'note'; text: string };

export type ActivityKind = 'edit' | 'command' | 'trouble';

/**
 * An agent event as live activity: its files and commands, and what it reports going wrong while it goes on (a
 * fatal error is the call's failure, which the run reports itself). Null for what a watcher needs not see.
 */
export function agentActivity(e: AgentEvent): { kind: ActivityKind; text: string } | null {
  if (e.type === 'file_change' && e.path) return { kind: 'edit', text: e.path };
  if (e.type === 'command' && e.command) return { kind: 'command', text: e.command };
  if (e.type === 'error' && !e.fatal && e.message) return { kind: 'trouble', text: e.message };
  return null;
}

/**
 * Every line of a run's events.jsonl (the store adds `at`): the record of what happened, beside the state's
 * journal of what was decided. Readers must keep lines of types they do not know.
 */
export type RunEvent =
  /** A progress line, as the live view showed it. */
  | { type: 'progress'; progress: ProgressEvent }
  /** The process that took the run here (a start, a resume, a detached child): what an earlier one had in flight is gone. */
  | { type: 'owner'; pid: number }
  /** Agent CLIs and verify commands a killed duo left running, stopped before the run went on. */
  | { type: 'reaped-processes'; count: number; agents: number; verify: number; summary: string }
  /** One completed agent call: prompt size, duration, usage and cost, its session. */
  | {
      type: 'agent-call';
      step: string;
      agent: string;
      role: Role;
      purpose: string;
      attempt: number;
      /** When the call started (the line's `at` is when it ended): the run page's timeline places it by both. */
      startedAt: string;
      promptChars: number;
      durationMs: number;
      usage: Usage | null;
      costUsd: number | null;
      sessionId: string | null;
      permissionDenials: string[];
    }
  /** A failed attempt of an agent call (it may be retried, or end the run). */
  | {
      type: 'agent-failure';
      step: string;
      agent: string;
      role: Role;
      attempt: number;
      failure: AgentFailure;
      message: string;
      detail?: string | undefined;
      startedAt: string;
      durationMs: number;
    }
  /** What the agent CLI reported while it ran: its session, a command, a file change, an error. */
  | {
      type: 'agent-started' | 'agent-command' | 'agent-file_change' | 'agent-error';
      step: string;
      agent: string;
      event: AgentEvent;
    }
  /** Files an agent changed during a read-only call; discarded when the worktree was clean before it. */
  | { type: 'read-only-violation'; step: string; agent: string; paths: string[]; discarded: boolean }
  /** Undeclared edits to protected files (existing tests, the gate's definition) duo put back after a write call. */
  | { type: 'protected-revert'; step: string; agent: string; reverted: Revert[] }
  /** Writes found outside the run's checkouts after an agent call: the user's dependencies, the shared .git. */
  | { type: 'outside-write'; step: string; agent: string; outside: OutsideChange[] }
  /** A bug in duo: its stack, kept here rather than in the report. */
  | { type: 'internal-error'; stack: string }
  /** The run was started in the background (`--detach`): its process and its output log. */
  | { type: 'detached'; pid: number; log: string };
