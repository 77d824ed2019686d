/**
 * `codex exec --json` lines, validated loosely (fields duo relies on are checked; the rest passes through).
 * Unknown event or item types, and lines that are not JSON, become `unknown` events: kept, never a crash.
 */

import { z } from 'zod';
import type { AgentEvent } from './events.js';
import { type Signal, trouble } from './stall.js';

const Item = z.looseObject({ id: z.string().optional(), type: z.string() });
const CodexUsage = z.looseObject({
  input_tokens: z.number(),
  cached_input_tokens: z.number().optional(),
  output_tokens: z.number(),
  reasoning_output_tokens: z.number().optional(),
});
export type CodexUsage = z.infer<typeof CodexUsage>;

const Line = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('thread.started'), thread_id: z.string() }),
  z.looseObject({ type: z.literal('turn.started') }),
  z.looseObject({ type: z.literal('turn.completed'), usage: CodexUsage }),
  z.looseObject({ type: z.literal('turn.failed'), error: z.looseObject({ message: z.string() }) }),
  z.looseObject({ type: z.literal('error'), message: z.string() }),
  z.looseObject({ type: z.enum(['item.started', 'item.updated', 'item.completed']), item: Item }),
]);

export interface CodexLine {
  events: AgentEvent[];
  threadId?: string;
  /** The thread's running total after this turn (not this call's usage). */
  totals?: CodexUsage;
  failed?: string;
  errorMessage?: string;
  finalMessage?: string;
  /** For the stall watch: the model made progress, or Codex reported trouble (agents/stall.ts). */
  signal?: Signal;
}

const PROGRESS: Signal = { progress: true };

export function parseCodexLine(line: string): CodexLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { events: [{ type: 'unknown', raw: line }] };
  }
  const parsed = Line.safeParse(raw);
  if (!parsed.success) return { events: [{ type: 'unknown', raw }] };
  const e = parsed.data;
  switch (e.type) {
    case 'thread.started':
      return { events: [{ type: 'started', sessionId: e.thread_id }], threadId: e.thread_id };
    case 'turn.started':
      return { events: [] };
    case 'turn.completed':
      return { events: [{ type: 'result', ok: true }], totals: e.usage, signal: PROGRESS };
    case 'turn.failed':
      return { events: [{ type: 'error', message: e.error.message, fatal: true }], failed: e.error.message };
    case 'error':
      // Retry notices ("Reconnecting... waiting for network") and fatal errors share this shape; turn.failed / the
      // exit code says which it was. Either way the model is not answering: trouble for the stall watch.
      return {
        events: [{ type: 'error', message: e.message, fatal: false }],
        errorMessage: e.message,
        signal: trouble(e.message),
      };
    default: {
      // A command shows as it starts (live activity), and again with its exit code when it completes.
      if (e.type === 'item.started' && e.item.type === 'command_execution')
        return { ...itemEvents(e.item), signal: PROGRESS };
      if (e.type !== 'item.completed') return { events: [], signal: PROGRESS };
      return { ...itemEvents(e.item), signal: PROGRESS };
    }
  }
}

function itemEvents(item: z.infer<typeof Item>): CodexLine {
  const it = item as Record<string, unknown>;
  switch (item.type) {
    case 'agent_message':
      return { events: [{ type: 'message', text: String(it.text ?? '') }], finalMessage: String(it.text ?? '') };
    case 'reasoning':
      // Reasoning summaries are the agent thinking aloud, not an answer: kept as unknown so they are logged but
      // never mistaken for the final message.
      return { events: [{ type: 'unknown', raw: item }] };
    case 'command_execution':
      return {
        events: [
          {
            type: 'command',
            command: String(it.command ?? ''),
            exitCode: typeof it.exit_code === 'number' ? it.exit_code : null,
            output: String(it.aggregated_output ?? '').slice(-4000),
            status: String(it.status ?? ''),
          },
        ],
      };
    case 'file_change': {
      const changes = Array.isArray(it.changes) ? (it.changes as { path?: unknown; kind?: unknown }[]) : [];
      return {
        events: changes.map((c) => ({ type: 'file_change', path: String(c.path ?? ''), kind: String(c.kind ?? '') })),
      };
    }
    case 'error':
      return { events: [{ type: 'error', message: String(it.message ?? ''), fatal: false }] };
    default:
      return { events: [{ type: 'unknown', raw: item }] };
  }
}
