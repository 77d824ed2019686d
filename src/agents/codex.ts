import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import type { AgentConfig } from '../config/schema.js';
import { duoHome } from '../sys/home.js';
import { runStream, type StreamResult } from '../sys/process.js';
import { replaceFile } from '../sys/replace-file.js';
import { detailTail, locate, probeVersion, processFailure, stallWatch, testedRange } from './cli.js';
import { type CodexUsage, parseCodexLine } from './codex-events.js';
import { codexHome, findSessionFile, readSessionFacts, type SessionFacts } from './codex-session.js';
import { agentEnv } from './env.js';
import { type AgentEvent, addUsage, type Usage, ZERO_USAGE } from './events.js';
import { AgentError, type AgentFailure, because, rootCause, UNREACHABLE } from './failure.js';
import { toJsonSchema } from './json-schema.js';
import type { Agent, AgentCall, AgentProbe, AgentResult } from './port.js';
import { type Checked, checkAnswer, withRepair } from './repair.js';
import { withSchemaFile } from './schema-file.js';
import type { StallWatch } from './stall.js';
import { dropOptionalNulls, strictSchema } from './strict-schema.js';

type CodexConfig = Extract<AgentConfig, { kind: 'codex' }>;

/** The Codex CLI version duo's contract tests run against; same major.minor counts as tested. */
export const CODEX_TESTED = '0.169.0';

/**
 * Codex, driven headless: `codex exec --json … -` with the prompt on stdin (a first argument named like a
 * subcommand — "review", "resume" — would be taken as one, and a long task would overflow argv).
 * Read-only calls run in Codex's read-only sandbox; write calls in workspace-write confined to the worktree
 * (/tmp and $TMPDIR excluded). Structured answers: `--output-schema` in OpenAI's strict form; Codex does not
 * validate the answer, so duo does, with one repair request. Threads are resumed across rounds with
 * `codex exec resume <thread>`; its usage is the thread's running total, so per-call usage is the difference,
 * remembered on disk so it stays right across a duo restart.
 */
export class CodexAgent implements Agent {
  readonly kind = 'codex' as const;
  /** Thread id → its session file, found once (the plan's limits are read from it after every call). */
  private readonly sessionFiles = new Map<string, string>();

  constructor(
    readonly name: string,
    private readonly cfg: CodexConfig,
    private readonly opts: { env: Record<string, string> },
  ) {}

  private get bin(): string {
    return this.cfg.path ?? 'codex';
  }

  private env(): NodeJS.ProcessEnv {
    return agentEnv('codex', this.cfg.env, this.opts.env);
  }

  async run<T>(call: AgentCall<T>): Promise<AgentResult<T>> {
    const started = Date.now();
    const events: AgentEvent[] = [];
    const emit = (e: AgentEvent) => {
      events.push(e);
      call.onEvent?.(e);
    };
    const schema = call.schema;
    const jsonSchema = schema ? toJsonSchema(schema) : undefined;
    // Codex takes the schema from a file, in OpenAI's strict form.
    return withSchemaFile(jsonSchema && strictSchema(jsonSchema), async (schemaFile) => {
      const first = await this.invoke(call, call.prompt, call.resume, schemaFile, emit);
      const { value, last, attempts } =
        schema && jsonSchema
          ? await withRepair({
              agent: this.name,
              shape: call.schemaName,
              first,
              validate: (a) => validate(schema, jsonSchema, a.text),
              // The repair resumes the thread: the task and the first answer are still in context.
              askAgain: (error, previous) =>
                this.invoke(call, repairPrompt(error), previous.threadId, schemaFile, emit),
              emit,
            })
          : { value: first.text, last: first, attempts: [first] };
      const facts: SessionFacts = Object.assign({}, ...attempts.map((a) => a.facts));
      return {
        answer: value as T,
        text: last.text,
        ...(last.threadId ? { sessionId: last.threadId } : {}),
        usage: attempts.map((a) => a.usage).reduce((sum, u) => addUsage(sum, u)),
        durationMs: Date.now() - started,
        events,
        permissionDenials: [],
        ...(facts.limits ? { limits: facts.limits } : {}),
        ...(facts.model ? { model: facts.model } : {}),
      };
    });
  }

  private async invoke(
    call: AgentCall<unknown>,
    prompt: string,
    resume: string | undefined,
    schemaFile: string | undefined,
    emit: (e: AgentEvent) => void,
  ): Promise<{ text: string; threadId: string | undefined; usage: Usage; facts: SessionFacts }> {
    const args = ['exec', '--json', '-C', call.cwd];
    if (call.access === 'write') {
      args.push(
        '-s',
        'workspace-write',
        '-c',
        'sandbox_workspace_write.exclude_slash_tmp=true',
        '-c',
        'sandbox_workspace_write.exclude_tmpdir_env_var=true',
      );
    } else args.push('-s', 'read-only');
    if (schemaFile) args.push('--output-schema', schemaFile);
    if (this.cfg.model) args.push('-m', this.cfg.model);
    args.push(...this.cfg.extraArgs);
    // Flags go before `resume`; the prompt is always "-" (stdin).
    if (resume) args.push('resume', resume);
    args.push('-');

    let threadId: string | undefined;
    let totals: CodexUsage | undefined;
    let failed: string | undefined;
    const errors: string[] = [];
    let text = '';
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
        const p = parseCodexLine(line);
        watch.see(p.signal);
        if (p.threadId) threadId = p.threadId;
        if (p.totals) totals = p.totals;
        if (p.failed) failed = p.failed;
        if (p.errorMessage) errors.push(p.errorMessage);
        if (p.finalMessage !== undefined) text = p.finalMessage;
        for (const e of p.events) emit(e);
      },
    });
    watch.dispose();
    const failure = this.classify(stream, failed, errors, resume, totals !== undefined, watch);
    const facts = threadId ? this.sessionFacts(threadId) : {};
    if (facts.limits) emit({ type: 'limits', limits: facts.limits });
    if (failure) {
      if (facts.limits) failure.limits = facts.limits;
      // The plan's limit is reached: the session file says which window and when it resets.
      if (failure.failure === 'rate-limited' && facts.limits?.rejected?.resetsAt)
        failure.resetAt = facts.limits.rejected.resetsAt;
      emit({ type: 'error', message: failure.message, fatal: true });
      throw failure;
    }
    const usage = totals && threadId ? perCallUsage(threadId, totals) : { ...ZERO_USAGE };
    emit({ type: 'usage', usage });
    return { text, threadId, usage, facts };
  }

  /** The plan's limits and the model, from the thread's session file (see codex-session.ts). */
  private sessionFacts(threadId: string): SessionFacts {
    let file = this.sessionFiles.get(threadId);
    if (!file) {
      file = findSessionFile(codexHome(this.env()), threadId);
      if (!file) return {};
      this.sessionFiles.set(threadId, file);
    }
    return readSessionFacts(file);
  }

  /** What a user can act on, with Codex's own words for the cause in the message (the whole tail in the detail). */
  private classify(
    s: StreamResult,
    failed: string | undefined,
    errors: string[],
    resume: string | undefined,
    completed: boolean,
    watch: StallWatch,
  ): AgentError | undefined {
    const stopped = processFailure(this.name, s, `${this.bin}; is the Codex CLI installed?`, watch);
    if (stopped) return stopped;
    if (s.exitCode === 0 && completed && !failed) return undefined;
    // Its harmless warning about helper binaries under /tmp is no part of any failure.
    const stderr = s.stderr
      .split('\n')
      .filter((l) => !/could not create PATH aliases|Refusing to create helper binaries/.test(l))
      .join('\n');
    const said = [stderr, ...errors, failed ?? ''].join('\n');
    const cause = rootCause(said);
    const fail = (failure: AgentFailure, what: string) =>
      new AgentError(this.name, failure, because(what, cause), detailTail(said || s.stdout)); // detailTail redacts
    if (resume && /no rollout found|thread\/resume failed|thread not found/i.test(said))
      return fail('session-lost', `no longer knows thread ${resume}`);
    const status = Number(/unexpected status (\d{3})/i.exec(said)?.[1] ?? 0);
    if (status === 401 || status === 403 || /Unauthorized|not logged in|invalid api key|codex login/i.test(said))
      return fail('not-logged-in', 'is not logged in (run `codex login`, or set OPENAI_API_KEY)');
    if (status === 429 || /Too Many Requests|rate.?limit|quota|usage limit/i.test(said))
      return fail('rate-limited', 'was rate limited by the API');
    // The API answered that the request itself is wrong (a model name it does not serve…): a retry repeats it.
    if (status >= 400 && status < 500) return fail('rejected', `the model API refused the request (${status})`);
    if (UNREACHABLE.test(said) && !status) return fail('unreachable', 'no network, or the model API is unreachable');
    // Codex words a 5xx as "experiencing high demand, which may cause temporary errors".
    if (status >= 500 || /high demand|temporary errors|overloaded|stream (disconnected|error)/i.test(said))
      return fail('api-error', `the model API failed${status ? ` (${status})` : ''}`);
    if (s.exitCode === 2) return fail('rejected', 'refused its arguments (a Codex version duo was not tested with?)');
    return fail('crashed', `failed (exit ${s.exitCode ?? s.signal})`);
  }

  async probe(): Promise<AgentProbe> {
    const path = locate(this.bin);
    const probe: AgentProbe = {
      name: this.name,
      kind: 'codex',
      found: !!path,
      testedRange: testedRange(CODEX_TESTED),
      sandbox: 'read-only calls: -s read-only; write calls: -s workspace-write confined to the worktree (no /tmp)',
      problems: [],
    };
    if (!path) {
      probe.problems.push(
        `${this.bin} is not on PATH: install the Codex CLI (npm i -g @openai/codex) or set agents.${this.name}.path`,
      );
      return probe;
    }
    probe.path = path;
    const env = this.env();
    await probeVersion(probe, path, env, CODEX_TESTED, this.bin);
    // `codex login status` reads local credentials (no model call); an API key in the environment also works.
    const login = await runStream(path, ['login', 'status'], { cwd: process.cwd(), env, timeoutMs: 15_000 });
    probe.loggedIn = login.exitCode === 0 || !!env.OPENAI_API_KEY;
    if (!probe.loggedIn) probe.problems.push('not logged in: run `codex login`, or set OPENAI_API_KEY');
    return probe;
  }
}

/** This call's usage = the thread's running total now minus what it was after the previous call. */
function perCallUsage(threadId: string, totals: CodexUsage): Usage {
  const dir = join(duoHome(), 'sessions');
  const file = join(dir, `codex-${threadId.replace(/[^A-Za-z0-9-]/g, '_')}.json`);
  let prev: CodexUsage = { input_tokens: 0, output_tokens: 0, cached_input_tokens: 0 };
  if (existsSync(file)) {
    try {
      prev = JSON.parse(readFileSync(file, 'utf8')) as CodexUsage;
    } catch {
      // A damaged file only costs accuracy of one call's usage.
    }
  }
  mkdirSync(dir, { recursive: true });
  replaceFile(file, JSON.stringify(totals));
  const d = (a: number | undefined, b: number | undefined) => Math.max(0, (a ?? 0) - (b ?? 0));
  return {
    inputTokens: d(totals.input_tokens, prev.input_tokens),
    outputTokens: d(totals.output_tokens, prev.output_tokens),
    cachedInputTokens: d(totals.cached_input_tokens, prev.cached_input_tokens),
  };
}

/** The answer is the final message, as JSON; the nulls strict mode made of absent properties are dropped first. */
function validate<T>(schema: z.ZodType<T>, jsonSchema: Record<string, unknown>, text: string): Checked<T> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { ok: false, error: `the final message is not JSON: ${(e as Error).message}` };
  }
  return checkAnswer(schema, dropOptionalNulls(raw, jsonSchema));
}

function repairPrompt(error: string): string {
  return (
    `Your last answer did not match the required JSON schema:\n${error}\n\n` +
    'Answer again with only the corrected JSON object, matching the schema exactly.'
  );
}
