import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import type { AgentEvent } from './events.js';
import { AgentError, type AgentFailure } from './failure.js';
import { RateLimits } from './plan-limits.js';
import type { Agent, AgentCall, AgentResult } from './port.js';

const FAILURES = [
  'not-installed',
  'not-logged-in',
  'rate-limited',
  'api-error',
  'max-turns',
  'schema',
  'timeout',
  'idle',
  'crashed',
  'aborted',
  'session-lost',
  'permission',
  'unreachable',
  'rejected',
] as const satisfies readonly AgentFailure[];

export const ScriptedEntry = z.object({
  answer: z.unknown().optional(),
  text: z.string().optional(),
  /** Files to write (content) or delete (null), relative to the worktree. Only allowed in write calls. */
  writes: z.record(z.string(), z.string().nullable()).optional(),
  /** Fail with this failure for the first `failTimes` attempts (default: every attempt). */
  fail: z.enum(FAILURES).optional(),
  failTimes: z.number().int().positive().optional(),
  delayMs: z.number().int().nonnegative().optional(),
  /** What the CLI's stream would show while it works (before the delay): files edited, commands run, trouble. */
  activity: z
    .array(
      z.union([z.object({ edit: z.string() }), z.object({ command: z.string() }), z.object({ trouble: z.string() })]),
    )
    .optional(),
  /** The plan's limits this call reports (as Claude Code's rate_limit_event or Codex's session file would). */
  limits: RateLimits.optional(),
  /** With `fail: "rate-limited"`: the plan's limit is reached until then (the run pauses instead of retrying). */
  resetAt: z.string().optional(),
  /** The model this call reports answering with. */
  model: z.string().optional(),
  usage: z
    .object({
      inputTokens: z.number(),
      outputTokens: z.number(),
      cachedInputTokens: z.number(),
      costUsd: z.number().optional(),
    })
    .optional(),
});
export type ScriptedEntry = z.infer<typeof ScriptedEntry>;

export const Scenario = z.object({
  description: z.string().optional(),
  agents: z.record(z.string(), z.record(z.string(), z.array(ScriptedEntry))),
});
export type Scenario = z.infer<typeof Scenario>;

export function loadScenario(file: string): Scenario {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`cannot read scenario ${file}: ${(e as Error).message}`);
  }
  const parsed = Scenario.safeParse(raw);
  if (!parsed.success) throw new Error(`scenario ${file} is invalid: ${z.prettifyError(parsed.error)}`);
  return parsed.data;
}

type ScriptedCall<T> = AgentCall<T> & { seq?: number };

/**
 * An agent that answers from a scenario file instead of a model: the demo and the protocol tests run the
 * real engine on it. It obeys the same rules as a real agent — answers are validated against the call's schema,
 * writes are refused in read-only calls and confined to the worktree — so a scenario cannot cheat the protocol.
 *
 * Answers are addressed by (agent, purpose, n): the n-th call of that purpose to that agent in the run. The engine
 * supplies n deterministically, so a resumed run gets the same answers an uninterrupted one would.
 */
export class ScriptedAgent implements Agent {
  readonly kind = 'scripted' as const;
  private readonly attempts = new Map<string, number>();
  private sessions = 0;

  constructor(
    readonly name: string,
    private readonly scenario: Scenario,
  ) {}

  async run<T>(call: ScriptedCall<T>): Promise<AgentResult<T>> {
    const started = Date.now();
    const seq = call.seq ?? 0;
    const entry = this.scenario.agents[this.name]?.[call.purpose]?.[seq];
    if (!entry) {
      throw new AgentError(
        this.name,
        'crashed',
        `the scenario has no answer for ${this.name} ${call.purpose} #${seq + 1}`,
      );
    }
    const attemptKey = `${call.purpose}#${seq}`;
    const attempt = this.attempts.get(attemptKey) ?? 0;
    this.attempts.set(attemptKey, attempt + 1);
    const events: AgentEvent[] = [];
    const emit = (e: AgentEvent) => {
      events.push(e);
      call.onEvent?.(e);
    };
    const sessionId = call.resume ?? `${this.name}-session-${++this.sessions}`;
    emit({ type: 'started', sessionId });

    for (const a of entry.activity ?? []) {
      if ('edit' in a) emit({ type: 'file_change', path: a.edit, kind: 'update' });
      else if ('command' in a) emit({ type: 'command', command: a.command });
      else emit({ type: 'error', message: a.trouble, fatal: false });
    }
    if (entry.delayMs) await this.wait(entry.delayMs, call);
    if (entry.fail && (entry.failTimes === undefined || attempt < entry.failTimes)) {
      emit({ type: 'error', message: `scripted ${entry.fail}`, fatal: true });
      const err = new AgentError(this.name, entry.fail, `scripted failure: ${entry.fail}`);
      if (entry.limits) err.limits = entry.limits;
      if (entry.resetAt) err.resetAt = entry.resetAt;
      throw err;
    }
    if (entry.writes) {
      if (call.access !== 'write') {
        throw new AgentError(
          this.name,
          'permission',
          `tried to write ${Object.keys(entry.writes).join(', ')} in a read-only call`,
        );
      }
      for (const [path, content] of Object.entries(entry.writes)) {
        const target = resolve(call.cwd, path);
        const rel = relative(call.cwd, target);
        if (rel.startsWith('..') || isAbsolute(rel) || rel.split(/[\\/]/).includes('.git')) {
          throw new AgentError(this.name, 'permission', `refused to write outside the worktree: ${path}`);
        }
        if (content === null) rmSync(target, { force: true });
        else {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, content);
        }
        emit({ type: 'file_change', path, kind: content === null ? 'delete' : 'update' });
      }
    }
    let answer: unknown = entry.text ?? '';
    if (call.schema) {
      const parsed = call.schema.safeParse(entry.answer);
      if (!parsed.success) {
        throw new AgentError(
          this.name,
          'schema',
          `scripted answer for ${call.purpose} #${seq + 1} fails the schema`,
          z.prettifyError(parsed.error),
        );
      }
      answer = parsed.data;
    }
    const text = entry.text ?? JSON.stringify(entry.answer ?? '');
    emit({ type: 'message', text, final: true });
    const usage = entry.usage ?? {
      inputTokens: Math.ceil(call.prompt.length / 4),
      outputTokens: Math.ceil(text.length / 4),
      cachedInputTokens: 0,
    };
    emit({ type: 'usage', usage });
    emit({ type: 'result', ok: true });
    return {
      answer: answer as T,
      text,
      sessionId,
      usage,
      durationMs: Date.now() - started,
      events,
      permissionDenials: [],
      ...(entry.limits ? { limits: entry.limits } : {}),
      ...(entry.model ? { model: entry.model } : {}),
    };
  }

  /** Delays honour the idle watchdog and the abort signal, like a real hung CLI would be treated. */
  private wait(ms: number, call: AgentCall<unknown>): Promise<void> {
    const idle = call.idleTimeoutMs && call.idleTimeoutMs < ms ? call.idleTimeoutMs : undefined;
    return new Promise((resolvePromise, reject) => {
      const t = setTimeout(() => {
        call.signal?.removeEventListener('abort', onAbort);
        if (idle) reject(new AgentError(this.name, 'idle', `no output for ${idle} ms; stopped by the watchdog`));
        else resolvePromise();
      }, idle ?? ms);
      const onAbort = () => {
        clearTimeout(t);
        reject(new AgentError(this.name, 'aborted', 'interrupted'));
      };
      if (call.signal?.aborted) onAbort();
      call.signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
