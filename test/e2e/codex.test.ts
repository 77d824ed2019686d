import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { CodexAgent } from '../../src/agents/codex.js';
import type { AgentEvent } from '../../src/agents/events.js';
import { Critique, WorkReport } from '../../src/protocol/schemas.js';
import type { Simulator } from '../sim/server.js';
import { makeRepo } from '../support/harness.js';
import { codexAgent, failureOf, realAgents, requestText, simulator } from '../support/sim-agents.js';

/**
 * Contract tests: the real `codex` (pinned, from the npm registry) driven by duo's adapter, against the model
 * simulator on 127.0.0.1. What the CLI sent is asserted from the simulator's request log.
 */
const approve = { verdict: 'approve', summary: 'looks right', findings: [], rechecks: [] };
const report = { summary: 'wrote it', filesChanged: ['hello.txt'], claims: [], contradiction: null };
const addFile = (path: string, line: string) => `*** Begin Patch\n*** Add File: ${path}\n+${line}\n*** End Patch\n`;

let sim: Simulator;
let repo: string;
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

const modelRequests = () => sim.requests.filter((r) => r.protocol === 'openai' && r.method === 'POST');

describe('codex adapter, real CLI', () => {
  it('gets a structured answer through --output-schema (strict), validated by duo, with thread and usage', async () => {
    sim.push('openai', { kind: 'structured', value: approve });
    const events: AgentEvent[] = [];
    const r = await codexAgent(sim).run({
      purpose: 'critique',
      prompt: 'review: critique this plan, add a hello file.',
      cwd: repo,
      access: 'read-only',
      schema: Critique,
      schemaName: 'Critique',
      onEvent: (e) => events.push(e),
    });
    expect(r.answer).toEqual(approve);
    expect(r.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.usage?.inputTokens).toBeGreaterThan(0);
    expect(events.find((e) => e.type === 'started')).toMatchObject({ sessionId: r.sessionId });
    const body = modelRequests().at(-1)?.body as {
      text?: { format?: { type?: string; strict?: boolean; schema?: unknown } };
    };
    // A prompt starting with a subcommand's name still arrives as the prompt (it goes on stdin).
    expect(requestText(body)).toContain('review: critique this plan, add a hello file.');
    expect(body.text?.format).toMatchObject({ type: 'json_schema', strict: true });
    const schema = JSON.stringify(body.text?.format?.schema);
    expect(schema).toContain('"verdict"');
    expect(schema).toContain('"additionalProperties":false');
  });

  it('read-only sandbox: a patch is rejected and nothing is written', async () => {
    sim.push(
      'openai',
      { kind: 'tools', calls: [{ name: 'apply_patch', freeform: addFile('evil.txt', 'x') }] },
      { kind: 'structured', value: approve },
    );
    const r = await codexAgent(sim).run({
      purpose: 'review',
      prompt: 'Review.',
      cwd: repo,
      access: 'read-only',
      schema: Critique,
    });
    expect(r.answer).toEqual(approve);
    expect(existsSync(join(repo, 'evil.txt'))).toBe(false);
  });

  it('workspace-write: apply_patch writes in the worktree, but /tmp stays out of reach', async () => {
    const outside = `/tmp/duo-codex-escape-${process.pid}-${Date.now()}`;
    sim.push(
      'openai',
      { kind: 'tools', calls: [{ name: 'apply_patch', freeform: addFile('hello.txt', 'hello from codex') }] },
      // A command the sandbox allows (Codex reports it as a command_execution item) ...
      { kind: 'tools', calls: [{ name: 'exec_command', input: { cmd: 'echo ok > inside.txt' } }] },
      // ... and one it refuses: codex-cli 0.169 sometimes reports a sandbox-denied command only to the model.
      { kind: 'tools', calls: [{ name: 'exec_command', input: { cmd: `touch ${outside}` } }] },
      { kind: 'structured', value: report },
    );
    const events: AgentEvent[] = [];
    const r = await codexAgent(sim).run({
      purpose: 'implement',
      prompt: 'Write hello.txt',
      cwd: repo,
      access: 'write',
      schema: WorkReport,
      onEvent: (e) => events.push(e),
    });
    expect(r.answer).toEqual(report);
    expect(readFileSync(join(repo, 'hello.txt'), 'utf8')).toBe('hello from codex\n');
    expect(existsSync(outside)).toBe(false);
    expect(events.some((e) => e.type === 'file_change')).toBe(true);
    expect(readFileSync(join(repo, 'inside.txt'), 'utf8')).toBe('ok\n');
    // Each command shows as it starts (live activity, no exit code yet), then completed with its exit code: the
    // allowed one 0; the refused one, when Codex reports it at all, failed.
    const started = events.filter((e) => e.type === 'command' && e.status === 'in_progress');
    expect(started.length).toBeGreaterThan(0);
    const codes = events.flatMap((e) => (e.type === 'command' && e.status !== 'in_progress' ? [e.exitCode] : []));
    expect(codes[0]).toBe(0);
    expect(codes.slice(1).every((c) => c !== 0)).toBe(true);
  });

  it('resumes the thread across rounds, and usage is per call, not the running total', async () => {
    sim.push('openai', { kind: 'structured', value: approve }, { kind: 'structured', value: approve });
    const agent = codexAgent(sim);
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
    const last = requestText(modelRequests().at(-1)?.body);
    expect(last).toContain('ROUND-ONE prompt');
    expect(last).toContain('ROUND-TWO followup');
    // The simulator bills input by request size, so the resumed call's own input is its request alone, and the
    // thread's running total (first + second) is more than the second call's share.
    const secondBytes = modelRequests().at(-1)?.bytes ?? 0;
    expect(second.usage?.inputTokens).toBeGreaterThan(0);
    expect(second.usage?.inputTokens).toBeLessThanOrEqual(Math.ceil(secondBytes / 4) + 50);
    expect((first.usage?.inputTokens ?? 0) + (second.usage?.inputTokens ?? 0)).toBeGreaterThan(
      second.usage?.inputTokens ?? 0,
    );
  });

  it('an answer outside the schema gets one repair request carrying the validation errors', async () => {
    sim.push('openai', { kind: 'text', text: 'I approve.' }, { kind: 'structured', value: approve });
    const r = await codexAgent(sim).run({
      purpose: 'review',
      prompt: 'Review.',
      cwd: repo,
      access: 'read-only',
      schema: Critique,
    });
    expect(r.answer).toEqual(approve);
    const repair = requestText(modelRequests().at(-1)?.body);
    expect(repair).toContain('did not match the required JSON schema');
    expect(repair).toContain('Review.'); // the same thread: the first round is in context
  });

  it('answering outside the schema again after the repair is a clear schema failure', async () => {
    const Even = z.object({ n: z.number().refine((n) => n % 2 === 0, 'n must be even') });
    sim.push('openai', { kind: 'structured', value: { n: 3 } }, { kind: 'structured', value: { n: 5 } });
    const e = await failureOf(
      codexAgent(sim).run({ purpose: 'answer', prompt: 'Pick n.', cwd: repo, access: 'read-only', schema: Even }),
    );
    expect(e.failure).toBe('schema');
    expect(e.detail).toContain('n must be even');
    expect(requestText(modelRequests().at(-1)?.body)).toContain('n must be even');
  });

  describe('failures are classified into what a user can act on', () => {
    const call = (agent: CodexAgent, extra: Partial<Parameters<CodexAgent['run']>[0]> = {}) =>
      failureOf(
        agent.run({ purpose: 'plan', prompt: 'Plan.', cwd: repo, access: 'read-only', schema: Critique, ...extra }),
      );

    it('429 → rate-limited (retryable)', async () => {
      sim.push('openai', { kind: 'http-error', status: 429, message: 'slow down' });
      const e = await call(codexAgent(sim));
      expect(e.failure).toBe('rate-limited');
      expect(e.retryable).toBe(true);
    });

    it('500 → api-error (retryable)', async () => {
      sim.push('openai', { kind: 'http-error', status: 500 });
      const e = await call(codexAgent(sim));
      expect(e.failure).toBe('api-error');
      expect(e.retryable).toBe(true);
    });

    it('401 → not-logged-in, with what to do', async () => {
      sim.push('openai', { kind: 'http-error', status: 401, message: 'bad key' });
      const e = await call(codexAgent(sim));
      expect(e.failure).toBe('not-logged-in');
      expect(e.hint).toMatch(/log/i);
    });

    it('an unknown thread → session-lost (duo then starts a fresh one)', async () => {
      const e = await call(codexAgent(sim), { resume: '00000000-0000-4000-8000-000000000000' });
      expect(e.failure).toBe('session-lost');
      expect(modelRequests()).toHaveLength(0);
    });

    it('not installed → not-installed', async () => {
      const e = await call(codexAgent(sim, { path: join(repo, 'no-such-codex') }));
      expect(e.failure).toBe('not-installed');
    });

    it('a call over its time limit is stopped → timeout', async () => {
      sim.push('openai', { kind: 'delay', ms: 60_000, answer: { kind: 'structured', value: approve } });
      const started = Date.now();
      const e = await call(codexAgent(sim), { timeoutMs: 3_000 });
      expect(e.failure).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(30_000);
    });

    it('a silent CLI is stopped by the watchdog → idle', async () => {
      sim.push('openai', { kind: 'delay', ms: 60_000, answer: { kind: 'structured', value: approve } });
      const e = await call(codexAgent(sim), { idleTimeoutMs: 3_000 });
      expect(e.failure).toBe('idle');
    });
  });

  it('probe: found, version in the tested range, logged in (API key), sandbox, without a model call', async () => {
    const p = await codexAgent(sim).probe();
    expect(p).toMatchObject({ found: true, version: '0.169.0', versionTested: true, loggedIn: true, problems: [] });
    expect(p.sandbox).toMatch(/read-only/);
    const out = await codexAgent(sim, { env: { OPENAI_API_KEY: '' } }).probe();
    expect(out.loggedIn).toBe(false);
    expect(out.problems.join()).toMatch(/not logged in/);
    expect(modelRequests()).toHaveLength(0);
  });
});
