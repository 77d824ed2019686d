import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { ClaudeAgent } from '../../src/agents/claude.js';
import type { AgentEvent } from '../../src/agents/events.js';
import { Critique, WorkReport } from '../../src/protocol/schemas.js';
import type { Simulator } from '../sim/server.js';
import { makeRepo } from '../support/harness.js';
import { claudeAgent, failureOf, realAgents, requestText, simulator } from '../support/sim-agents.js';

/**
 * Contract tests: the real `claude` (pinned, from the npm registry) driven by duo's adapter, against the model
 * simulator on 127.0.0.1. What the CLI sent is asserted from the simulator's request log.
 */
const approve = { verdict: 'approve', summary: 'looks right', findings: [], rechecks: [] };
const report = { summary: 'wrote it', filesChanged: ['hello.txt'], claims: [], contradiction: null };

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

const modelRequests = () => sim.requests.filter((r) => r.protocol === 'anthropic' && r.method === 'POST');

describe('claude adapter, real CLI', () => {
  it('gets a structured answer through --json-schema, validated, with session, usage and cost', async () => {
    sim.push('anthropic', { kind: 'structured', value: approve });
    const events: AgentEvent[] = [];
    const r = await claudeAgent(sim).run({
      purpose: 'critique',
      prompt: 'Critique this plan: add a hello file.',
      cwd: repo,
      access: 'read-only',
      schema: Critique,
      schemaName: 'Critique',
      onEvent: (e) => events.push(e),
    });
    expect(r.answer).toEqual(approve);
    expect(r.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.usage?.inputTokens).toBeGreaterThan(0);
    expect(r.usage?.outputTokens).toBeGreaterThan(0);
    expect(typeof r.usage?.costUsd).toBe('number');
    expect(events.find((e) => e.type === 'started')).toMatchObject({ sessionId: r.sessionId });
    // What reached the model: our prompt, and the StructuredOutput tool carrying duo's schema.
    const sent = modelRequests().at(-1)?.body as { tools?: { name: string; input_schema?: unknown }[] };
    expect(requestText(sent)).toContain('Critique this plan: add a hello file.');
    const tool = sent.tools?.find((t) => t.name === 'StructuredOutput');
    expect(JSON.stringify(tool?.input_schema)).toContain('"verdict"');
    expect(JSON.stringify(tool?.input_schema)).toContain('"rechecks"');
  });

  it('read-only: a Write is refused by the CLI, surfaced as a permission denial, and nothing is written', async () => {
    sim.push(
      'anthropic',
      { kind: 'tools', calls: [{ name: 'Write', input: { file_path: join(repo, 'evil.txt'), content: 'x' } }] },
      { kind: 'structured', value: approve },
    );
    const r = await claudeAgent(sim).run({
      purpose: 'review',
      prompt: 'Review.',
      cwd: repo,
      access: 'read-only',
      schema: Critique,
    });
    expect(existsSync(join(repo, 'evil.txt'))).toBe(false);
    expect(r.permissionDenials.join()).toMatch(/^Write /);
    expect(r.answer).toEqual(approve);
  });

  it('write: Write and Edit change files in the worktree', async () => {
    const file = join(repo, 'hello.txt');
    sim.push(
      'anthropic',
      { kind: 'tools', calls: [{ name: 'Write', input: { file_path: file, content: 'hello world\n' } }] },
      { kind: 'tools', calls: [{ name: 'Edit', input: { file_path: file, old_string: 'world', new_string: 'duo' } }] },
      { kind: 'structured', value: report },
    );
    const events: AgentEvent[] = [];
    const r = await claudeAgent(sim).run({
      purpose: 'implement',
      prompt: 'Write hello.txt',
      cwd: repo,
      access: 'write',
      schema: WorkReport,
      onEvent: (e) => events.push(e),
    });
    expect(readFileSync(file, 'utf8')).toBe('hello duo\n');
    expect(r.answer).toEqual(report);
    expect(r.permissionDenials).toEqual([]);
    expect(events.filter((e) => e.type === 'file_change')).toEqual([
      { type: 'file_change', path: file, kind: 'write' },
      { type: 'file_change', path: file, kind: 'edit' },
    ]);
  });

  it('resumes the session across rounds: the second call carries the first round, and only the new prompt is added', async () => {
    sim.push('anthropic', { kind: 'structured', value: approve }, { kind: 'structured', value: approve });
    const agent = claudeAgent(sim);
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
    // Per-call cost: the second call's is its own, not the session's running total.
    expect(second.usage?.costUsd).toBeGreaterThan(0);
    expect(second.usage?.costUsd).toBeLessThan((first.usage?.costUsd ?? 0) + (second.usage?.costUsd ?? 0));
  });

  it("Claude Code's own nudge covers a plain-text answer; a shape only duo checks gets duo's one repair request", async () => {
    // A plain text answer: the CLI itself asks the model again for StructuredOutput.
    sim.push('anthropic', { kind: 'text', text: 'I approve, looks fine.' }, { kind: 'structured', value: approve });
    const r = await claudeAgent(sim).run({
      purpose: 'review',
      prompt: 'Review.',
      cwd: repo,
      access: 'read-only',
      schema: Critique,
    });
    expect(r.answer).toEqual(approve);

    // A rule JSON Schema cannot carry (a refinement) passes the CLI's check, fails duo's, and is repaired once
    // in the same session with the validation error in the request.
    const Even = z.object({ n: z.number().refine((n) => n % 2 === 0, 'n must be even') });
    sim.push('anthropic', { kind: 'structured', value: { n: 3 } }, { kind: 'structured', value: { n: 4 } });
    const before = modelRequests().length;
    const fixed = await claudeAgent(sim).run({
      purpose: 'answer',
      prompt: 'Pick n.',
      cwd: repo,
      access: 'read-only',
      schema: Even,
    });
    expect(fixed.answer).toEqual({ n: 4 });
    const sent = modelRequests().slice(before);
    expect(sent).toHaveLength(2);
    expect(requestText(sent[1]?.body)).toContain('did not match the required schema');
    expect(requestText(sent[1]?.body)).toContain('n must be even');
    expect(requestText(sent[1]?.body)).toContain('Pick n.'); // resumed: the first round is still in context
  });

  it('answering outside the schema again after the repair is a clear schema failure', async () => {
    const Even = z.object({ n: z.number().refine((n) => n % 2 === 0, 'n must be even') });
    sim.push('anthropic', { kind: 'structured', value: { n: 3 } }, { kind: 'structured', value: { n: 5 } });
    const e = await failureOf(
      claudeAgent(sim).run({ purpose: 'answer', prompt: 'Pick n.', cwd: repo, access: 'read-only', schema: Even }),
    );
    expect(e.failure).toBe('schema');
    expect(e.detail).toContain('n must be even');
    expect(e.hint).toBeTruthy();
  });

  describe('failures are classified into what a user can act on', () => {
    const call = (agent: ClaudeAgent, extra: Partial<Parameters<ClaudeAgent['run']>[0]> = {}) =>
      failureOf(
        agent.run({ purpose: 'plan', prompt: 'Plan.', cwd: repo, access: 'read-only', schema: Critique, ...extra }),
      );

    it('429 → rate-limited (retryable)', async () => {
      sim.push('anthropic', { kind: 'http-error', status: 429, message: 'slow down' });
      const e = await call(claudeAgent(sim));
      expect(e.failure).toBe('rate-limited');
      expect(e.retryable).toBe(true);
    });

    it('500 → api-error (retryable)', async () => {
      sim.push('anthropic', { kind: 'http-error', status: 500 }, { kind: 'http-error', status: 500 });
      const e = await call(claudeAgent(sim));
      expect(e.failure).toBe('api-error');
      expect(e.retryable).toBe(true);
    });

    it('a broken stream → api-error', async () => {
      sim.push('anthropic', { kind: 'stream-failure' }, { kind: 'stream-failure' });
      expect((await call(claudeAgent(sim))).failure).toBe('api-error');
    });

    it('an unknown session → session-lost (duo then starts a fresh one)', async () => {
      const e = await call(claudeAgent(sim), { resume: '00000000-0000-4000-8000-000000000000' });
      expect(e.failure).toBe('session-lost');
    });

    it('no credentials → not-logged-in, with what to do', async () => {
      const e = await call(claudeAgent(sim, { env: { ANTHROPIC_API_KEY: '' } }));
      expect(e.failure).toBe('not-logged-in');
      expect(e.hint).toMatch(/log/i);
      expect(modelRequests()).toHaveLength(0);
    });

    it('--max-turns exhausted → max-turns', async () => {
      sim.push('anthropic', {
        kind: 'tools',
        calls: [{ name: 'Read', input: { file_path: join(repo, 'README.md') } }],
      });
      const e = await call(claudeAgent(sim, { maxTurns: 1 }));
      expect(e.failure).toBe('max-turns');
    });

    it('not installed → not-installed', async () => {
      const e = await call(claudeAgent(sim, { path: join(repo, 'no-such-claude') }));
      expect(e.failure).toBe('not-installed');
    });

    it('a call over its time limit is stopped → timeout', async () => {
      sim.push('anthropic', { kind: 'delay', ms: 60_000, answer: { kind: 'structured', value: approve } });
      const started = Date.now();
      const e = await call(claudeAgent(sim), { timeoutMs: 3_000 });
      expect(e.failure).toBe('timeout');
      expect(Date.now() - started).toBeLessThan(30_000);
    });

    it('a silent CLI is stopped by the watchdog → idle', async () => {
      sim.push('anthropic', { kind: 'delay', ms: 60_000, answer: { kind: 'structured', value: approve } });
      const e = await call(claudeAgent(sim), { idleTimeoutMs: 3_000 });
      expect(e.failure).toBe('idle');
    });
  });

  it('probe: found, version in the tested range, logged in, without a model call', async () => {
    const p = await claudeAgent(sim).probe();
    expect(p).toMatchObject({ found: true, version: '2.1.330', versionTested: true, loggedIn: true, problems: [] });
    const out = await claudeAgent(sim, { env: { ANTHROPIC_API_KEY: '' } }).probe();
    expect(out.loggedIn).toBe(false);
    expect(out.problems.join()).toMatch(/not logged in/);
    expect(modelRequests()).toHaveLength(0);
  });
});
