import type { z } from 'zod';
import type { AgentConfig } from '../config/schema.js';
import { runStream, type StreamResult } from '../sys/process.js';
import { parseClaudeLine, type ResultEvent } from './claude-stream.js';
import { detailTail, locate, probeVersion, processFailure, stallWatch, testedRange } from './cli.js';
import { agentEnv } from './env.js';
import { type AgentEvent, addUsage, type Usage, ZERO_USAGE } from './events.js';
import { AgentError, type AgentFailure, because, rootCause, UNREACHABLE } from './failure.js';
import { toJsonSchema } from './json-schema.js';
import type { RateLimits } from './plan-limits.js';
import type { Agent, AgentCall, AgentProbe, AgentResult } from './port.js';
import { type Checked, checkAnswer, withRepair } from './repair.js';
import type { StallWatch } from './stall.js';

type ClaudeConfig = Extract<AgentConfig, { kind: 'claude' }>;

/** The Claude Code version duo's contract tests run against; same major.minor counts as tested. */
export const CLAUDE_TESTED = '2.1.330';

/**
 * Claude Code, driven headless: `claude -p --output-format stream-json --verbose`, the prompt on stdin (a long
 * task would overflow a single argv string), structured answers through `--json-schema` (its StructuredOutput
 * tool) and validated again by duo, sessions resumed across rounds with `--resume`.
 *
 * Access: read-only calls run in `plan` permission mode (Claude Code refuses writes with a tool error);
 * write calls run in `acceptEdits` (Write/Edit allowed). Bash is not granted by default — in `-p` an unapproved
 * tool is silently denied — so the driver edits files and duo's gate runs the commands; a user who wants the
 * driver to run commands adds e.g. `"extraArgs": ["--allowedTools", "Bash(npm test)"]`.
 */
export class ClaudeAgent implements Agent {
  readonly kind = 'claude' as const;

  constructor(
    readonly name: string,
    private readonly cfg: ClaudeConfig,
    private readonly opts: { env: Record<string, string> },
  ) {}

  private get bin(): string {
    return this.cfg.path ?? 'claude';
  }

  private env(): NodeJS.ProcessEnv {
    // Don't let the CLI update itself in the middle of a run.
    return agentEnv('claude', { DISABLE_AUTOUPDATER: '1', ...this.cfg.env }, this.opts.env);
  }

  async run<T>(call: AgentCall<T>): Promise<AgentResult<T>> {
    const started = Date.now();
    const events: AgentEvent[] = [];
    const emit = (e: AgentEvent) => {
      events.push(e);
      call.onEvent?.(e);
    };
    const first = await this.invoke(call, call.prompt, call.resume, emit);
    const schema = call.schema;
    const { value, last, attempts } = schema
      ? await withRepair({
          agent: this.name,
          shape: call.schemaName,
          first,
          validate: (a) => validate(schema, a.result.structured_output, a.result.result),
          // The repair goes to the same session: the task and the first answer are still in context.
          askAgain: (error, previous) => this.invoke(call, repairPrompt(error), previous.sessionId, emit),
          emit,
        })
      : { value: first.result.result ?? '', last: first, attempts: [first] };
    const limits = attempts.findLast((a) => a.limits)?.limits;
    return {
      answer: value as T,
      text: last.result.result ?? '',
      ...(last.sessionId ? { sessionId: last.sessionId } : {}),
      usage: attempts.map((a) => a.usage).reduce((sum, u) => addUsage(sum, u)),
      durationMs: Date.now() - started,
      events,
      permissionDenials: attempts.flatMap((a) => a.denials),
      ...(limits ? { limits } : {}),
      ...(last.model ? { model: last.model } : {}),
    };
  }

  private async invoke(
    call: AgentCall<unknown>,
    prompt: string,
    resume: string | undefined,
    emit: (e: AgentEvent) => void,
  ): Promise<{
    result: ResultEvent;
    sessionId: string | undefined;
    usage: Usage;
    denials: string[];
    limits: RateLimits | undefined;
    model: string | undefined;
  }> {
    const args = ['-p', '--output-format', 'stream-json', '--verbose'];
    args.push('--permission-mode', call.access === 'write' ? 'acceptEdits' : 'plan');
    if (call.schema) args.push('--json-schema', JSON.stringify(toJsonSchema(call.schema)));
    if (resume) args.push('--resume', resume);
    if (this.cfg.model) args.push('--model', this.cfg.model);
    if (this.cfg.maxTurns) args.push('--max-turns', String(this.cfg.maxTurns));
    args.push(...this.cfg.extraArgs);

    let sessionId: string | undefined;
    let result: ResultEvent | undefined;
    let limits: RateLimits | undefined;
    let model: string | undefined;
    const { watch, stall } = stallWatch(call);
    const stream = await runStream(this.bin, args, {
      cwd: call.cwd,
      env: this.env(),
      input: prompt,
      ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
      ...(call.idleTimeoutMs ? { idleTimeoutMs: call.idleTimeoutMs } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.onProcess ? { onProcess: call.onProcess } : {}),
      stall,
      onLine: (line) => {
        if (!line.trim()) return;
        const parsed = parseClaudeLine(line);
        watch.see(parsed.signal);
        if (parsed.sessionId) sessionId = parsed.sessionId;
        if (parsed.result) result = parsed.result;
        if (parsed.limits) limits = parsed.limits;
        if (parsed.model) model = parsed.model;
        for (const e of parsed.events) emit(e);
      },
    });
    watch.dispose();
    const failure = this.classify(stream, result, resume, watch);
    if (failure) {
      if (limits) failure.limits = limits;
      // The plan's limit is reached: Claude Code said so in its rate_limit_event, with the reset time.
      if (failure.failure === 'rate-limited' && limits?.rejected?.resetsAt) failure.resetAt = limits.rejected.resetsAt;
      emit({ type: 'error', message: failure.message, fatal: true });
      throw failure;
    }
    const r = result as ResultEvent;
    const usageEvent = parseClaudeLine(JSON.stringify(r)).events.find((e) => e.type === 'usage');
    return {
      result: r,
      sessionId: sessionId ?? r.session_id,
      usage: usageEvent?.type === 'usage' ? usageEvent.usage : { ...ZERO_USAGE },
      denials: (r.permission_denials ?? []).map(
        (d) => `${d.tool_name} ${JSON.stringify(d.tool_input ?? {}).slice(0, 160)}`,
      ),
      limits,
      model,
    };
  }

  /**
   * `is_error` decides failure (an API error still says subtype "success"); then what a user can act on, with the
   * CLI's own words for the cause in the message (the whole tail of what it said stays in the detail).
   */
  private classify(
    s: StreamResult,
    r: ResultEvent | undefined,
    resume: string | undefined,
    watch: StallWatch,
  ): AgentError | undefined {
    const stopped = processFailure(this.name, s, `${this.bin}; is Claude Code installed?`, watch);
    if (stopped) return stopped;
    const said = [s.stderr, ...(r?.errors ?? []), r?.result ?? ''].join('\n');
    const cause = rootCause(said);
    const fail = (failure: AgentFailure, what: string) =>
      new AgentError(this.name, failure, because(what, cause), detailTail(said)); // detailTail redacts
    // Unknown id, or one that is no session id at all (another agent's): a fresh session is started instead.
    if (resume && /No conversation found with session ID|--resume requires a valid session/i.test(said))
      return fail('session-lost', `no longer knows session ${resume}`);
    if (r && !r.is_error && s.exitCode === 0) return undefined;
    if (!r) {
      // Its own message and an exit code, before any result: a flag or value it refuses, which a retry repeats.
      if (s.exitCode !== null && s.exitCode !== 0 && s.stderr.trim())
        return fail('rejected', `refused the call (exit ${s.exitCode})`);
      return fail('crashed', `exited with ${s.exitCode ?? s.signal} without a result`);
    }
    if (/Not logged in|Invalid API key|authentication_error|\b401\b|OAuth token/i.test(said))
      return fail('not-logged-in', 'is not logged in (run `claude` once and /login, or set ANTHROPIC_API_KEY)');
    if (r.api_error === 'usage_limit_reached' || /hit your .*limit/i.test(said))
      return fail('rate-limited', "reached its plan's usage limit");
    if (r.api_error_status === 429 || /\b429\b|rate.?limit/i.test(said))
      return fail('rate-limited', 'was rate limited by the API');
    if (r.subtype === 'error_max_turns') return fail('max-turns', 'ran out of turns');
    if (r.subtype === 'error_max_structured_output_retries')
      return fail('schema', 'could not produce an answer in the required shape');
    const apiFailed = r.api_error_status || r.terminal_reason === 'api_error' || /API Error/i.test(said);
    // Never reached, as opposed to reached and then lost (ECONNRESET mid-stream: an API error like a 5xx).
    const lost = /ECONNRESET|connection to the API was lost/i.test(said);
    if (!lost && !r.api_error_status && (r.api_error === 'connection_failed' || (apiFailed && UNREACHABLE.test(said))))
      return fail('unreachable', 'no network, or the model API is unreachable');
    if (apiFailed)
      return fail('api-error', `the model API failed${r.api_error_status ? ` (status ${r.api_error_status})` : ''}`);
    // It ended the call itself, saying why (error_during_execution): the same call would end the same way.
    if (cause) return fail('rejected', `failed (${r.subtype}, exit ${s.exitCode})`);
    return fail('crashed', `failed (${r.subtype}, exit ${s.exitCode})`);
  }

  async probe(): Promise<AgentProbe> {
    const path = locate(this.bin);
    const probe: AgentProbe = {
      name: this.name,
      kind: 'claude',
      found: !!path,
      testedRange: testedRange(CLAUDE_TESTED),
      sandbox:
        'read-only calls: permission mode plan (writes refused); write calls: acceptEdits (no Bash unless configured)',
      problems: [],
    };
    if (!path) {
      probe.problems.push(
        `${this.bin} is not on PATH: install Claude Code (npm i -g @anthropic-ai/claude-code) or set agents.${this.name}.path`,
      );
      return probe;
    }
    probe.path = path;
    const env = this.env();
    await probeVersion(probe, path, env, CLAUDE_TESTED, this.bin);
    // `claude auth status` answers from local credentials: no model call, no tokens.
    const auth = await runStream(path, ['auth', 'status'], { cwd: process.cwd(), env, timeoutMs: 15_000 });
    try {
      probe.loggedIn = (JSON.parse(auth.stdout) as { loggedIn?: boolean }).loggedIn === true;
    } catch {
      probe.loggedIn = 'unknown';
    }
    if (probe.loggedIn === false)
      probe.problems.push('not logged in: run `claude` and /login, or set ANTHROPIC_API_KEY');
    return probe;
  }
}

/** The answer is StructuredOutput's input; a CLI that returned none may still have put JSON in its text. */
function validate<T>(schema: z.ZodType<T>, structured: unknown, text: string | undefined): Checked<T> {
  let candidate = structured;
  if (candidate === undefined && text) {
    try {
      candidate = JSON.parse(text);
    } catch {
      return { ok: false, error: 'no structured answer was given (the StructuredOutput tool was not called)' };
    }
  }
  return checkAnswer(schema, candidate);
}

function repairPrompt(error: string): string {
  return (
    `Your structured answer did not match the required schema:\n${error}\n\n` +
    'Call StructuredOutput again with a corrected answer that matches the schema exactly.'
  );
}
