import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from '../../src/agents/events.js';
import type { AgentFailure } from '../../src/agents/failure.js';
import type { Agent, AgentCall, AgentProbe, AgentResult } from '../../src/agents/port.js';
import { Critique } from '../../src/protocol/schemas.js';
import type { Protocol, SimRequest, SimToolCall, SimTurn } from '../sim/script.js';
import type { Simulator } from '../sim/server.js';
import { makeRepo } from './harness.js';
import { claudeAgent, codexAgent, failureOf, realAgents, requestText, simulator } from './sim-agents.js';

/**
 * The contract both agent adapters keep, stated once and run against each real pinned CLI on the model simulator
 * (test/e2e/claude.test.ts, test/e2e/codex.test.ts): a structured answer validated by duo, read-only refused,
 * the session resumed across rounds, one repair request, failures classified, a probe without a model call.
 * `ADAPTERS` is the table: one row per CLI, holding only what really differs between them. What only one CLI
 * does (Claude's Edit tool and --max-turns, Codex's sandboxed commands) stays in that CLI's test file.
 */
export const approve = { verdict: 'approve', summary: 'looks right', findings: [], rechecks: [] };
export const report = { summary: 'wrote it', filesChanged: ['hello.txt'], claims: [], contradiction: null };
export const addFile = (path: string, line: string) =>
  `*** Begin Patch\n*** Add File: ${path}\n+${line}\n*** End Patch\n`;

type AgentOpts = { env?: Record<string, string>; path?: string };

export interface AdapterCase {
  cli: 'claude' | 'codex';
  protocol: Protocol;
  agent(sim: Simulator, opts?: AgentOpts): Agent;
  /** The pinned version the probe reports. */
  version: string;
  /** How the CLI is handed duo's schema (for the test's title). */
  schemaFlag: string;
  /** The JSON Schema as the CLI sent it to the model, and what else its way of sending it must show. */
  sentSchema(body: unknown): unknown;
  schemaSent?(body: unknown): void;
  /** What the CLI reports of a call's usage beyond its tokens. */
  usage?(r: AgentResult): void;
  /** A tool call that tries to create `file` in the repository. */
  writeAttempt(repo: string, file: string): SimToolCall;
  /** What the CLI tells duo of a write it refused in read-only mode. */
  refusal?(r: AgentResult): void;
  /** That the second (resumed) call's usage is its own, not the session's running total. */
  perCallUsage(first: AgentResult, second: AgentResult, resumed: SimRequest): void;
  /** Who asks the model again after a plain-text answer: the CLI itself, or duo's repair request. */
  plainTextRepairedBy: 'the CLI' | 'duo';
  /** The first words of duo's repair request. */
  repairSays: string;
  /** The environment that logs the CLI out. */
  loggedOut: Record<string, string>;
  /** What else the probe says of this CLI. */
  probe?(p: AgentProbe): void;
}

export const ADAPTERS: Record<AdapterCase['cli'], AdapterCase> = {
  claude: {
    cli: 'claude',
    protocol: 'anthropic',
    agent: claudeAgent,
    version: '2.1.330',
    schemaFlag: '--json-schema',
    // The StructuredOutput tool carries duo's schema.
    sentSchema: (body) =>
      (body as { tools?: { name: string; input_schema?: unknown }[] }).tools?.find((t) => t.name === 'StructuredOutput')
        ?.input_schema,
    usage: (r) => expect(typeof r.usage?.costUsd).toBe('number'),
    writeAttempt: (repo, file) => ({ name: 'Write', input: { file_path: join(repo, file), content: 'x' } }),
    // Claude Code refuses the tool and reports the denial.
    refusal: (r) => expect(r.permissionDenials.join()).toMatch(/^Write /),
    // Per-call cost: the second call's is its own, not the session's running total.
    perCallUsage: (first, second) => {
      expect(second.usage?.costUsd).toBeGreaterThan(0);
      expect(second.usage?.costUsd).toBeLessThan((first.usage?.costUsd ?? 0) + (second.usage?.costUsd ?? 0));
    },
    plainTextRepairedBy: 'the CLI',
    repairSays: 'did not match the required schema',
    loggedOut: { ANTHROPIC_API_KEY: '' },
  },
  codex: {
    cli: 'codex',
    protocol: 'openai',
    agent: codexAgent,
    version: '0.169.0',
    schemaFlag: '--output-schema (strict)',
    sentSchema: (body) => (body as { text?: { format?: { schema?: unknown } } }).text?.format?.schema,
    schemaSent: (body) => {
      const format = (body as { text?: { format?: { type?: string; strict?: boolean; schema?: unknown } } }).text
        ?.format;
      expect(format).toMatchObject({ type: 'json_schema', strict: true });
      expect(JSON.stringify(format?.schema)).toContain('"additionalProperties":false');
    },
    // No `refusal`: the sandbox rejects the patch and Codex tells only the model; the untouched tree shows it.
    writeAttempt: (_repo, file) => ({ name: 'apply_patch', freeform: addFile(file, 'x') }),
    // The simulator bills input by request size, so the resumed call's own input is its request alone, and the
    // thread's running total (first + second) is more than the second call's share.
    perCallUsage: (first, second, resumed) => {
      expect(second.usage?.inputTokens).toBeGreaterThan(0);
      expect(second.usage?.inputTokens).toBeLessThanOrEqual(Math.ceil(resumed.bytes / 4) + 50);
      expect((first.usage?.inputTokens ?? 0) + (second.usage?.inputTokens ?? 0)).toBeGreaterThan(
        second.usage?.inputTokens ?? 0,
      );
    },
    plainTextRepairedBy: 'duo',
    repairSays: 'did not match the required JSON schema',
    loggedOut: { OPENAI_API_KEY: '' },
    probe: (p) => expect(p.sandbox).toMatch(/read-only/),
  },
};

/** What a row of the failure table does to one call, and what duo must make of it. */
interface FailureCase {
  what: string;
  turns?: SimTurn[];
  opts?: (repo: string) => AgentOpts;
  call?: Partial<AgentCall>;
  failure: AgentFailure;
  retryable?: true;
  hint?: RegExp;
  /** Refused before any request reached the model. */
  noModelCall?: true;
  /** Stopped within this long. */
  withinMs?: number;
}

const slow: SimTurn = { kind: 'delay', ms: 60_000, answer: { kind: 'structured', value: approve } };

const FAILURES: FailureCase[] = [
  {
    what: '429 → rate-limited (retryable)',
    turns: [{ kind: 'http-error', status: 429, message: 'slow down' }],
    failure: 'rate-limited',
    retryable: true,
  },
  {
    what: '500 → api-error (retryable)',
    turns: [
      { kind: 'http-error', status: 500 },
      { kind: 'http-error', status: 500 },
    ],
    failure: 'api-error',
    retryable: true,
  },
  {
    what: 'a broken stream → api-error',
    turns: [{ kind: 'stream-failure' }, { kind: 'stream-failure' }],
    failure: 'api-error',
  },
  {
    what: '401 → not-logged-in, with what to do',
    turns: [{ kind: 'http-error', status: 401, message: 'bad key' }],
    failure: 'not-logged-in',
    hint: /log/i,
  },
  {
    what: 'an unknown session → session-lost (duo then starts a fresh one)',
    call: { resume: '00000000-0000-4000-8000-000000000000' },
    failure: 'session-lost',
    noModelCall: true,
  },
  {
    what: 'not installed → not-installed',
    opts: (repo) => ({ path: join(repo, 'no-such-cli') }),
    failure: 'not-installed',
  },
  {
    what: 'a call over its time limit is stopped → timeout',
    turns: [slow],
    call: { timeoutMs: 3_000 },
    failure: 'timeout',
    withinMs: 30_000,
  },
  {
    what: 'a silent CLI is stopped by the watchdog → idle',
    turns: [slow],
    call: { idleTimeoutMs: 3_000 },
    failure: 'idle',
  },
];

const Even = z.object({ n: z.number().refine((n) => n % 2 === 0, 'n must be even') });

/** What a CLI's own tests share with the contract: the simulator and the repository of the running test. */
export interface ContractContext {
  readonly sim: Simulator;
  readonly repo: string;
  modelRequests(): SimRequest[];
}

/** Registers the contract's tests for one CLI, and the per-test simulator and repository its own tests use too. */
export function adapterContract(c: AdapterCase): ContractContext {
  let sim: Simulator;
  let repo: string;
  const ctx: ContractContext = {
    get sim() {
      return sim;
    },
    get repo() {
      return repo;
    },
    modelRequests: () => sim.requests.filter((r) => r.protocol === c.protocol && r.method === 'POST'),
  };
  const { modelRequests } = ctx;
  const run = <T>(call: Omit<AgentCall<T>, 'cwd' | 'access'>, opts?: AgentOpts) =>
    c.agent(sim, opts).run<T>({ cwd: repo, access: 'read-only', ...call });

  beforeAll(() => {
    realAgents();
  });
  beforeEach(async () => {
    sim = await simulator();
    repo = makeRepo({ 'README.md': '# sample\n' });
  });
  afterEach(async () => {
    await sim.close();
  });

  describe(`${c.cli} adapter, real CLI: the contract`, () => {
    it(`gets a structured answer through ${c.schemaFlag}, validated by duo, with session and usage`, async () => {
      sim.push(c.protocol, { kind: 'structured', value: approve });
      const events: AgentEvent[] = [];
      const r = await run({
        purpose: 'critique',
        prompt: 'review: critique this plan, add a hello file.',
        schema: Critique,
        schemaName: 'Critique',
        onEvent: (e) => events.push(e),
      });
      expect(r.answer).toEqual(approve);
      expect(r.sessionId).toMatch(/^[0-9a-f-]{36}$/);
      expect(r.usage?.inputTokens).toBeGreaterThan(0);
      expect(r.usage?.outputTokens).toBeGreaterThan(0);
      c.usage?.(r);
      expect(events.find((e) => e.type === 'started')).toMatchObject({ sessionId: r.sessionId });
      // What reached the model: our prompt (one starting with a subcommand's name too), and duo's schema.
      const body = modelRequests().at(-1)?.body;
      expect(requestText(body)).toContain('review: critique this plan, add a hello file.');
      const schema = JSON.stringify(c.sentSchema(body));
      expect(schema).toContain('"verdict"');
      expect(schema).toContain('"rechecks"');
      c.schemaSent?.(body);
    });

    it('read-only: a write is refused and nothing is written', async () => {
      sim.push(
        c.protocol,
        { kind: 'tools', calls: [c.writeAttempt(repo, 'evil.txt')] },
        { kind: 'structured', value: approve },
      );
      const r = await run({ purpose: 'review', prompt: 'Review.', schema: Critique });
      expect(existsSync(join(repo, 'evil.txt'))).toBe(false);
      c.refusal?.(r);
      expect(r.answer).toEqual(approve);
    });

    it('resumes the session across rounds: the second call carries the first round, and its usage is its own', async () => {
      sim.push(c.protocol, { kind: 'structured', value: approve }, { kind: 'structured', value: approve });
      const agent = c.agent(sim);
      const first = await agent.run({
        purpose: 'critique',
        prompt: 'ROUND-ONE prompt',
        cwd: repo,
        access: 'read-only',
        schema: Critique,
      });
      const second = await agent.run({
        purpose: 'recheck',
        prompt: 'ROUND-TWO followup',
        cwd: repo,
        access: 'read-only',
        schema: Critique,
        resume: first.sessionId as string,
      });
      expect(second.sessionId).toBe(first.sessionId);
      const resumed = modelRequests().at(-1) as SimRequest;
      expect(requestText(resumed.body)).toContain('ROUND-ONE prompt');
      expect(requestText(resumed.body)).toContain('ROUND-TWO followup');
      c.perCallUsage(first, second, resumed);
    });

    it(`a plain-text answer is asked again by ${c.plainTextRepairedBy}, in the same session`, async () => {
      sim.push(c.protocol, { kind: 'text', text: 'I approve, looks fine.' }, { kind: 'structured', value: approve });
      const r = await run({ purpose: 'review', prompt: 'Review.', schema: Critique });
      expect(r.answer).toEqual(approve);
      const again = requestText(modelRequests().at(-1)?.body);
      expect(again).toContain('Review.'); // the same session: the first round is in context
      if (c.plainTextRepairedBy === 'duo') expect(again).toContain(c.repairSays);
      else expect(again).not.toContain(c.repairSays);
    });

    it("a rule JSON Schema cannot carry passes the CLI's check, fails duo's, and gets duo's one repair request", async () => {
      // A refinement: the CLI cannot check it, so the answer reaches duo, whose validation error goes back once.
      sim.push(c.protocol, { kind: 'structured', value: { n: 3 } }, { kind: 'structured', value: { n: 4 } });
      const before = modelRequests().length;
      const fixed = await run({ purpose: 'answer', prompt: 'Pick n.', schema: Even });
      expect(fixed.answer).toEqual({ n: 4 });
      const sent = modelRequests().slice(before);
      expect(sent).toHaveLength(2);
      expect(requestText(sent[1]?.body)).toContain(c.repairSays);
      expect(requestText(sent[1]?.body)).toContain('n must be even');
      expect(requestText(sent[1]?.body)).toContain('Pick n.'); // resumed: the first round is still in context
    });

    it('answering outside the schema again after the repair is a clear schema failure', async () => {
      sim.push(c.protocol, { kind: 'structured', value: { n: 3 } }, { kind: 'structured', value: { n: 5 } });
      const e = await failureOf(run({ purpose: 'answer', prompt: 'Pick n.', schema: Even }));
      expect(e.failure).toBe('schema');
      expect(e.detail).toContain('n must be even');
      expect(e.hint).toBeTruthy();
      expect(requestText(modelRequests().at(-1)?.body)).toContain('n must be even');
    });

    describe('failures are classified into what a user can act on', () => {
      for (const f of FAILURES)
        it(f.what, async () => {
          if (f.turns) sim.push(c.protocol, ...f.turns);
          const started = Date.now();
          const e = await failureOf(
            run({ purpose: 'plan', prompt: 'Plan.', schema: Critique, ...f.call }, f.opts?.(repo)),
          );
          expect(e.failure).toBe(f.failure);
          if (f.retryable) expect(e.retryable).toBe(true);
          if (f.hint) expect(e.hint).toMatch(f.hint);
          if (f.noModelCall) expect(modelRequests()).toHaveLength(0);
          if (f.withinMs) expect(Date.now() - started).toBeLessThan(f.withinMs);
        });
    });

    it('probe: found, version in the tested range, logged in, without a model call', async () => {
      const p = await c.agent(sim).probe?.();
      expect(p).toMatchObject({ found: true, version: c.version, versionTested: true, loggedIn: true, problems: [] });
      c.probe?.(p as AgentProbe);
      const out = await c.agent(sim, { env: c.loggedOut }).probe?.();
      expect(out?.loggedIn).toBe(false);
      expect(out?.problems.join()).toMatch(/not logged in/);
      expect(modelRequests()).toHaveLength(0);
    });
  });

  return ctx;
}
