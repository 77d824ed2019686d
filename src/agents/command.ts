import type { z } from 'zod';
import type { AgentConfig } from '../config/schema.js';
import { runStream, type StreamResult } from '../sys/process.js';
import { detailTail, locate, processFailure } from './cli.js';
import { agentEnv } from './env.js';
import type { AgentEvent } from './events.js';
import { AgentError, because, isAgentError, rootCause, UNREACHABLE } from './failure.js';
import { toJsonSchema } from './json-schema.js';
import type { Agent, AgentCall, AgentProbe, AgentResult } from './port.js';
import { type Checked, checkAnswer, withRepair } from './repair.js';
import { withSchemaFile } from './schema-file.js';

type CommandConfig = Extract<AgentConfig, { kind: 'command' }>;

/**
 * Any other agent CLI (Gemini CLI, opencode, aider, a wrapper script…) from an argv template in duo.config.json,
 * so a user can pair it in without a code change. duo knows nothing about its sessions or sandbox, so:
 * every call is self-contained (no resume), read-only is enforced only as far as `readOnlyArgs` make the CLI
 * enforce it, and structured answers are asked for in the prompt and validated by duo, with one repair request.
 */
export class CommandAgent implements Agent {
  readonly kind = 'command' as const;

  constructor(
    readonly name: string,
    private readonly cfg: CommandConfig,
    private readonly opts: { env: Record<string, string> },
  ) {}

  async run<T>(call: AgentCall<T>): Promise<AgentResult<T>> {
    const started = Date.now();
    const events: AgentEvent[] = [];
    const emit = (e: AgentEvent) => {
      events.push(e);
      call.onEvent?.(e);
    };
    const schema = call.schema;
    const jsonSchema = schema && toJsonSchema(schema);
    // The schema is in the prompt, and in a file for a CLI that takes one (`{schema}` in its argv; '' without).
    return withSchemaFile(jsonSchema, async (schemaFile = '') => {
      const prompt = jsonSchema ? withSchemaInstruction(call.prompt, jsonSchema) : call.prompt;
      emit({ type: 'started' });
      const text = await this.invoke(prompt, call, schemaFile, emit);
      if (!schema) {
        emit({ type: 'result', ok: true });
        return this.result(text as T, text, started, events);
      }
      try {
        const { value, last } = await withRepair({
          agent: this.name,
          shape: call.schemaName,
          first: text,
          validate: (answer) => parseStructured(answer, schema),
          // No session to resume: the same CLI is sent the prompt again, with its answer and what was wrong.
          askAgain: (error, previous) => this.invoke(repairPrompt(prompt, previous, error), call, schemaFile, emit),
          emit,
        });
        emit({ type: 'result', ok: true });
        return this.result(value, last, started, events);
      } catch (e) {
        if (isAgentError(e) && e.failure === 'schema') emit({ type: 'result', ok: false, detail: e.detail });
        throw e;
      }
    });
  }

  async probe(): Promise<AgentProbe> {
    const bin = this.cfg.argv[0] ?? '';
    const found = locate(bin);
    const probe: AgentProbe = { name: this.name, kind: 'command', found: !!found, loggedIn: 'unknown', problems: [] };
    if (found) probe.path = found;
    else
      probe.problems.push(
        `"${bin}" was not found on PATH; install it or put its full path in agents.${this.name}.argv[0].`,
      );
    probe.sandbox = this.cfg.readOnlyArgs.length
      ? `read-only calls add ${this.cfg.readOnlyArgs.join(' ')}`
      : 'no readOnlyArgs configured: read-only is asked for in the prompt only';
    if (found) {
      const r = await runStream(found, ['--version'], { cwd: process.cwd(), env: this.env(), timeoutMs: 10_000 });
      const v = (r.stdout || r.stderr).trim().split('\n')[0];
      if (r.exitCode === 0 && v) probe.version = v;
    }
    return probe;
  }

  private env(): NodeJS.ProcessEnv {
    const passed: Record<string, string> = {};
    for (const name of this.cfg.passEnv) {
      const v = process.env[name];
      if (v !== undefined) passed[name] = v;
    }
    return agentEnv('command', { ...passed, ...this.cfg.env }, this.opts.env);
  }

  private async invoke(
    prompt: string,
    call: AgentCall<unknown>,
    schemaFile: string,
    emit: (e: AgentEvent) => void,
  ): Promise<string> {
    const subst = (arg: string) =>
      arg.replaceAll('{prompt}', prompt).replaceAll('{cwd}', call.cwd).replaceAll('{schema}', schemaFile);
    // With the prompt on stdin a bare "{prompt}" argument is dropped rather than passed empty.
    const template = this.cfg.promptVia === 'stdin' ? this.cfg.argv.filter((a) => a !== '{prompt}') : this.cfg.argv;
    const [bin, ...rest] = template;
    const args = [...rest.map(subst), ...(call.access === 'write' ? this.cfg.writeArgs : this.cfg.readOnlyArgs)];
    const result = await runStream(subst(bin ?? ''), args, {
      cwd: call.cwd,
      env: this.env(),
      ...(this.cfg.promptVia === 'stdin' ? { input: prompt } : {}),
      ...(call.timeoutMs ? { timeoutMs: call.timeoutMs } : {}),
      ...(call.idleTimeoutMs ? { idleTimeoutMs: call.idleTimeoutMs } : {}),
      ...(call.signal ? { signal: call.signal } : {}),
      ...(call.onProcess ? { onProcess: call.onProcess } : {}),
      onLine: (line) => emit({ type: 'message', text: line }),
    });
    this.throwOnFailure(result, emit);
    const out = result.stdout.trim();
    if (this.cfg.output === 'text') return out;
    let doc: unknown;
    try {
      doc = JSON.parse(out);
    } catch {
      throw new AgentError(
        this.name,
        'crashed',
        'was configured with output "json" but printed something else',
        detailTail(out),
      );
    }
    const picked = this.cfg.answerField ? pick(doc, this.cfg.answerField) : doc;
    if (picked === undefined)
      throw new AgentError(
        this.name,
        'crashed',
        `its JSON output has no field "${this.cfg.answerField}"`,
        detailTail(out),
      );
    return typeof picked === 'string' ? picked : JSON.stringify(picked);
  }

  private throwOnFailure(r: StreamResult, emit: (e: AgentEvent) => void): void {
    const stopped = processFailure(this.name, r, `"${this.cfg.argv[0]}"`);
    if (stopped) throw stopped;
    if (r.exitCode === 0) return;
    const said = `${r.stderr}\n${r.stdout}`;
    emit({ type: 'error', message: detailTail(said), fatal: true });
    const failure = /\b429\b|rate.?limit|quota/i.test(said)
      ? 'rate-limited'
      : /\b401\b|unauthori[sz]ed|not logged in|log ?in required|api key/i.test(said)
        ? 'not-logged-in'
        : /\b5\d\d\b|overloaded|internal server error/i.test(said)
          ? 'api-error'
          : UNREACHABLE.test(said)
            ? 'unreachable'
            : 'crashed';
    // Any CLI's own words for the cause go into the message; what it is cannot be known for a CLI duo does not
    // know, so the rest stays retryable as a crash.
    throw new AgentError(
      this.name,
      failure,
      because(`exited with code ${r.exitCode ?? r.signal}`, rootCause(said)),
      detailTail(said),
    );
  }

  private result<T>(answer: T, text: string, started: number, events: AgentEvent[]): AgentResult<T> {
    return { answer, text, durationMs: Date.now() - started, events, permissionDenials: [] };
  }
}

function withSchemaInstruction(prompt: string, jsonSchema: Record<string, unknown>): string {
  return (
    `${prompt}\n\nAnswer with one JSON object and nothing else (no prose, no code fence) that matches this JSON Schema:\n` +
    JSON.stringify(jsonSchema)
  );
}

function repairPrompt(prompt: string, answer: string, error: string): string {
  return (
    `${prompt}\n\nYour previous answer was:\n${answer.slice(0, 20_000)}\n\nIt does not match the schema:\n${error}\n` +
    'Answer again with one corrected JSON object only.'
  );
}

/** Agents wrap JSON in prose or code fences; take the fenced block, else the outermost {...}. */
function parseStructured<T>(text: string, schema: z.ZodType<T>): Checked<T> {
  const fenced = /```(?:json)?\s*\n([\s\S]*?)\n```/.exec(text)?.[1];
  const start = text.indexOf('{');
  const end = text.lastIndexOf('}');
  const candidate = fenced ?? (start >= 0 && end > start ? text.slice(start, end + 1) : text);
  let raw: unknown;
  try {
    raw = JSON.parse(candidate);
  } catch (e) {
    return { ok: false, error: `not valid JSON: ${(e as Error).message}` };
  }
  return checkAnswer(schema, raw);
}

function pick(doc: unknown, path: string): unknown {
  let cur: unknown = doc;
  for (const key of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[key];
  }
  return cur;
}
