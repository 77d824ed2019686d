/**
 * Claude Code's `--output-format stream-json` lines, validated with loose schemas: fields duo relies on are
 * checked, everything else passes through, and a line of an unknown type (or not JSON at all) becomes an
 * `unknown` event — a new CLI version degrades to "kept", never to a crash.
 */

import { z } from 'zod';
import type { AgentEvent, Usage } from './events.js';
import { ClaudeRateLimitInfo, fromClaude, type RateLimits } from './plan-limits.js';
import type { Signal } from './stall.js';

const PROGRESS: Signal = { progress: true };

const ContentBlock = z.looseObject({ type: z.string() });

const Init = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('init'),
  session_id: z.string(),
  model: z.string().optional(),
  permissionMode: z.string().optional(),
});
const PermissionDenied = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('permission_denied'),
  tool_name: z.string(),
  message: z.string().optional(),
});
const Assistant = z.looseObject({
  type: z.literal('assistant'),
  message: z.looseObject({ content: z.array(ContentBlock) }),
});
const User = z.looseObject({
  type: z.literal('user'),
  message: z.looseObject({ content: z.union([z.string(), z.array(ContentBlock)]) }),
});
/** Claude Code retrying a failed API request by itself: no status means no response at all (a network failure). */
const ApiRetry = z.looseObject({
  type: z.literal('system'),
  subtype: z.literal('api_retry'),
  attempt: z.number().optional(),
  max_retries: z.number().optional(),
  retry_delay_ms: z.number().optional(),
  error_status: z.number().nullable().optional(),
  error: z.string().optional(),
});
/** Printed when logged in with a subscription: the plan's five-hour and weekly use (see agents/plan-limits.ts). */
const RateLimitEvent = z.looseObject({ type: z.literal('rate_limit_event'), rate_limit_info: ClaudeRateLimitInfo });
const ModelUsage = z.record(z.string(), z.looseObject({ costUSD: z.number().optional() }));
export const ResultEvent = z.looseObject({
  type: z.literal('result'),
  subtype: z.string(),
  is_error: z.boolean(),
  session_id: z.string().optional(),
  result: z.string().optional(),
  structured_output: z.unknown().optional(),
  total_cost_usd: z.number().optional(),
  api_error_status: z.number().nullable().optional(),
  /** e.g. usage_limit_reached: the subscription's limit, with the reset in the rate_limit_event before it. */
  api_error: z.string().nullable().optional(),
  terminal_reason: z.string().optional(),
  errors: z.array(z.string()).optional(),
  usage: z
    .looseObject({
      input_tokens: z.number().optional(),
      output_tokens: z.number().optional(),
      cache_read_input_tokens: z.number().optional(),
      cache_creation_input_tokens: z.number().optional(),
    })
    .optional(),
  /** This invocation's usage by model (total_cost_usd is cumulative over a resumed session). */
  model_usage_since_last_result: ModelUsage.optional(),
  permission_denials: z.array(z.looseObject({ tool_name: z.string(), tool_input: z.unknown().optional() })).optional(),
});
export type ResultEvent = z.infer<typeof ResultEvent>;

export interface ParsedLine {
  events: AgentEvent[];
  sessionId?: string;
  result?: ResultEvent;
  limits?: RateLimits;
  /** The model named by the init line. */
  model?: string;
  /** For the stall watch: the model made progress, or the CLI reported trouble (agents/stall.ts). */
  signal?: Signal;
}

export function parseClaudeLine(line: string): ParsedLine {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return { events: [{ type: 'unknown', raw: line }] };
  }
  const init = Init.safeParse(raw);
  if (init.success) {
    return {
      events: [
        {
          type: 'started',
          sessionId: init.data.session_id,
          ...(init.data.model ? { model: init.data.model } : {}),
          ...(init.data.permissionMode ? { detail: `permission mode ${init.data.permissionMode}` } : {}),
        },
      ],
      sessionId: init.data.session_id,
      ...(init.data.model ? { model: init.data.model } : {}),
    };
  }
  const rate = RateLimitEvent.safeParse(raw);
  if (rate.success) {
    const limits = fromClaude(rate.data.rate_limit_info, new Date().toISOString());
    return { events: [{ type: 'limits', limits }], limits };
  }
  const retry = ApiRetry.safeParse(raw);
  if (retry.success) {
    const r = retry.data;
    const status = r.error_status ?? null;
    const what = status === null ? 'got no response' : `failed with status ${status}`;
    const why = r.error && r.error !== 'unknown' ? ` (${r.error})` : '';
    const next = r.attempt ? `; retry ${r.attempt}${r.max_retries ? ` of ${r.max_retries}` : ''}` : '';
    const wait = r.retry_delay_ms ? ` in ${(r.retry_delay_ms / 1000).toFixed(1)} s` : '';
    const message = `the API request ${what}${why}${next}${wait}`;
    return {
      events: [{ type: 'error', message, fatal: false }],
      signal: { trouble: message, network: status === null },
    };
  }
  const denied = PermissionDenied.safeParse(raw);
  if (denied.success)
    return {
      events: [{ type: 'error', message: denied.data.message ?? `${denied.data.tool_name} was denied`, fatal: false }],
    };
  const assistant = Assistant.safeParse(raw);
  if (assistant.success) return { events: assistant.data.message.content.map(blockEvent), signal: PROGRESS };
  const user = User.safeParse(raw);
  if (user.success) {
    const content = user.data.message.content;
    const events: AgentEvent[] = [];
    if (Array.isArray(content)) {
      for (const b of content) {
        if (b.type === 'tool_result' && b.is_error === true)
          events.push({ type: 'error', message: textOf(b.content).slice(0, 2000), fatal: false });
      }
    }
    return { events, signal: PROGRESS };
  }
  const result = ResultEvent.safeParse(raw);
  if (result.success) {
    const r = result.data;
    return {
      events: [
        { type: 'usage', usage: usageOf(r) },
        { type: 'result', ok: !r.is_error, ...(r.result !== undefined ? { text: r.result } : {}), detail: r.subtype },
      ],
      ...(r.session_id ? { sessionId: r.session_id } : {}),
      result: r,
      signal: PROGRESS,
    };
  }
  return { events: [{ type: 'unknown', raw }] };
}

function blockEvent(b: z.infer<typeof ContentBlock>): AgentEvent {
  if (b.type === 'text' && typeof b.text === 'string') return { type: 'message', text: b.text };
  if (b.type === 'tool_use') {
    const name = String(b.name ?? 'tool');
    const input = (b.input ?? {}) as Record<string, unknown>;
    if ((name === 'Write' || name === 'Edit' || name === 'MultiEdit') && typeof input.file_path === 'string')
      return { type: 'file_change', path: input.file_path, kind: name === 'Write' ? 'write' : 'edit' };
    if (name === 'Bash' && typeof input.command === 'string') return { type: 'command', command: input.command };
    if (name === 'StructuredOutput') return { type: 'message', text: JSON.stringify(input), final: true };
    return { type: 'command', command: `${name} ${JSON.stringify(input).slice(0, 200)}` };
  }
  return { type: 'unknown', raw: b };
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content.map((c) => (typeof c === 'object' && c && 'text' in c ? String(c.text) : '')).join('\n');
  return '';
}

/** Per-call usage: tokens are per invocation; cost comes from this invocation's model usage, not the running total. */
export function usageOf(r: ResultEvent): Usage {
  const u: Usage = {
    inputTokens: (r.usage?.input_tokens ?? 0) + (r.usage?.cache_creation_input_tokens ?? 0),
    outputTokens: r.usage?.output_tokens ?? 0,
    cachedInputTokens: r.usage?.cache_read_input_tokens ?? 0,
  };
  const since = r.model_usage_since_last_result;
  if (since && Object.keys(since).length)
    u.costUsd = Object.values(since).reduce((sum, m) => sum + (m.costUSD ?? 0), 0);
  else if (r.total_cost_usd !== undefined && !r.is_error) u.costUsd = r.total_cost_usd;
  return u;
}
