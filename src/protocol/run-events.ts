/**
 * events.jsonl, the record of what happened in a run beside the state's journal of what was decided: one zod schema
 * per line, shared by the writer (RunEvent, the type `appendEvent` takes, is the schema's) and every reader
 * (`parseRunEvents`: `duo status`, `duo wait`, the run page's timeline and costs, the bench), so a field renamed on
 * one side cannot be read as missing on the other.
 */

import { z } from 'zod';
import type { AgentEvent } from '../agents/events.js';

const ROLES = ['driver', 'skeptic', 'dispatcher', 'subtask', 'panel'] as const;
const roleSchema = z.enum(ROLES);
/** Which part an agent plays in a run. */
export type Role = z.infer<typeof roleSchema>;

const activityKindSchema = z.enum(['edit', 'command', 'trouble']);

/** What the live view shows, and what `duo status` / `duo wait` read back from events.jsonl in another process. */
const progressEventSchema = z.discriminatedUnion('type', [
  /** A phase (or a new round of one) begins. */
  z.object({ type: z.literal('phase'), phase: z.string(), round: z.number().optional() }),
  /** An agent call starts, ends, or is retried (detail: the failure that is being retried). */
  z.object({
    type: z.literal('agent'),
    role: roleSchema,
    agent: z.string(),
    purpose: z.string(),
    state: z.enum(['start', 'end', 'retry']),
    detail: z.string().optional(),
  }),
  /** A verify command starts or ends; `reason` says in words why it did not pass. */
  z.object({
    type: z.literal('verify'),
    command: z.string(),
    state: z.enum(['start', 'end']),
    exitCode: z.number().nullable().optional(),
    passed: z.boolean().optional(),
    reason: z.string().optional(),
  }),
  /**
   * What an agent does inside a call, from its CLI's stream: a file it edits, a command it runs, trouble it reports
   * (a reconnect, an API retry, a refused tool). Shown live only: the agent-* lines of events.jsonl already carry
   * it for `duo status` and `duo wait`.
   */
  z.object({
    type: z.literal('activity'),
    role: roleSchema,
    agent: z.string(),
    kind: activityKindSchema,
    text: z.string(),
  }),
  /** Anything else a watcher should read (a fan-out, processes stopped on resume). */
  z.object({ type: z.literal('note'), text: z.string() }),
]);
export type ProgressEvent = z.infer<typeof progressEventSchema>;

export type ActivityKind = z.infer<typeof activityKindSchema>;

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

/** Token counts as an agent call reports them (agents/events.ts's Usage). */
const usageSchema = z.object({
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  costUsd: z.number().optional(),
});

/** The agent events a run records (agents/events.ts's AgentEvent, the four kinds agent-call.ts writes). */
const recordedAgentEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('started'),
    sessionId: z.string().optional(),
    model: z.string().optional(),
    detail: z.string().optional(),
  }),
  z.object({
    type: z.literal('command'),
    command: z.string(),
    exitCode: z.number().nullable().optional(),
    output: z.string().optional(),
    status: z.string().optional(),
  }),
  z.object({ type: z.literal('file_change'), path: z.string(), kind: z.string() }),
  z.object({ type: z.literal('error'), message: z.string(), fatal: z.boolean() }),
]);

/**
 * Every line of a run's events.jsonl (the store adds `at`). A line of a type this duo does not know (written by a
 * newer one) or of another shape is skipped by readers, as a torn line is; fields added since records were first
 * written are optional, so older records still read.
 */
const runEventSchema = z.discriminatedUnion('type', [
  /** A progress line, as the live view showed it. */
  z.object({ type: z.literal('progress'), progress: progressEventSchema }),
  /** The process that took the run here (a start, a resume, a detached child): what an earlier one had in flight is gone. */
  z.object({ type: z.literal('owner'), pid: z.number() }),
  /** Agent CLIs and verify commands a killed duo left running, stopped before the run went on. */
  z.object({
    type: z.literal('reaped-processes'),
    count: z.number(),
    agents: z.number(),
    verify: z.number(),
    summary: z.string(),
  }),
  /** One completed agent call: prompt size, duration, usage and cost, its session. */
  z.object({
    type: z.literal('agent-call'),
    step: z.string(),
    agent: z.string(),
    role: roleSchema,
    purpose: z.string(),
    attempt: z.number(),
    /**
     * When the call started (the line's `at` is when it ended): the run page's timeline places it by both. Absent
     * from records written before it was (the timeline takes the end less the duration).
     */
    startedAt: z.string().optional(),
    promptChars: z.number(),
    durationMs: z.number(),
    usage: usageSchema.nullable(),
    costUsd: z.number().nullable(),
    sessionId: z.string().nullable(),
    permissionDenials: z.array(z.string()),
  }),
  /** A failed attempt of an agent call (it may be retried, or end the run). */
  z.object({
    type: z.literal('agent-failure'),
    step: z.string(),
    agent: z.string(),
    role: roleSchema,
    attempt: z.number(),
    /** An AgentFailure (agents/errors.ts): read as its name. */
    failure: z.string(),
    message: z.string(),
    detail: z.string().optional(),
    /** As on agent-call: absent from older records. */
    startedAt: z.string().optional(),
    durationMs: z.number(),
  }),
  /** What the agent CLI reported while it ran: its session, a command, a file change, an error. */
  z.object({
    type: z.enum(['agent-started', 'agent-command', 'agent-file_change', 'agent-error']),
    step: z.string(),
    agent: z.string(),
    event: recordedAgentEventSchema,
  }),
  /** Files an agent changed during a read-only call; discarded when the worktree was clean before it. */
  z.object({
    type: z.literal('read-only-violation'),
    step: z.string(),
    agent: z.string(),
    paths: z.array(z.string()),
    discarded: z.boolean(),
  }),
  /** Undeclared edits to protected files (existing tests, the gate's definition) duo put back after a write call. */
  z.object({
    type: z.literal('protected-revert'),
    step: z.string(),
    agent: z.string(),
    reverted: z.array(z.object({ path: z.string(), reason: z.string() })),
  }),
  /** Writes found outside the run's checkouts after an agent call: the user's dependencies, the shared .git. */
  z.object({
    type: z.literal('outside-write'),
    step: z.string(),
    agent: z.string(),
    outside: z.array(z.object({ dir: z.string(), paths: z.array(z.string()), count: z.number() })),
  }),
  /** A bug in duo: its stack, kept here rather than in the report. */
  z.object({ type: z.literal('internal-error'), stack: z.string() }),
  /** The run was started in the background (`--detach`): its process and its output log. */
  z.object({ type: z.literal('detached'), pid: z.number(), log: z.string() }),
]);
export type RunEvent = z.infer<typeof runEventSchema>;

const runEventLineSchema = z.intersection(z.object({ at: z.string() }), runEventSchema);
/** A line of events.jsonl as read back: the event and when the store wrote it. */
export type RunEventLine = z.infer<typeof runEventLineSchema>;

/** The lines of an events.jsonl: a torn one (a line being appended, a crash mid-write) or an unknown one is skipped. */
export function parseRunEvents(text: string): RunEventLine[] {
  const out: RunEventLine[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue;
    }
    const parsed = runEventLineSchema.safeParse(raw);
    if (parsed.success) out.push(parsed.data);
  }
  return out;
}
