import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AgentEvent } from '../../src/agents/events.js';
import { Critique } from '../../src/protocol/schemas.js';
import { anthropicLimitHeaders, codexLimitHeaders } from '../sim/limits.js';
import type { Simulator } from '../sim/server.js';
import { makeRepo } from '../support/harness.js';
import { claudeAgent, codexAgent, failureOf, realAgents, simulator } from '../support/sim-agents.js';

/**
 * Contract tests for the plans' limits: the real pinned `claude` and `codex`, against the model simulator sending the
 * rate-limit headers the real APIs send. Claude Code reports them on stdout (a rate_limit_event) only when logged in
 * with a subscription; Codex writes them into the thread's session file. A limit that is reached is a rate-limited
 * failure carrying the reset time, which is what lets a run pause instead of burning its retries.
 */
const approve = { verdict: 'approve', summary: 'ok', findings: [], rechecks: [] };
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

const call = { purpose: 'critique' as const, prompt: 'Critique.', access: 'read-only' as const, schema: Critique };
const near = (iso: string | null | undefined, inSeconds: number) =>
  Math.abs(Date.parse(iso ?? '') - (Date.now() + inSeconds * 1000)) < 120_000;

describe('claude: the plan limits Claude Code reports', () => {
  it('with a subscription login: five-hour and weekly use with reset times, as an event and on the result', async () => {
    sim.setHeaders('anthropic', anthropicLimitHeaders({ fiveHour: 0.83, weekly: 0.41, fiveHourResetIn: 3600 }));
    sim.push('anthropic', { kind: 'structured', value: approve });
    const events: AgentEvent[] = [];
    const r = await claudeAgent(sim, { subscription: true }).run({
      ...call,
      cwd: repo,
      onEvent: (e) => events.push(e),
    });
    expect(r.answer).toEqual(approve);
    expect(r.limits).toMatchObject({
      source: 'claude',
      fiveHour: { utilization: 0.83, status: 'allowed_warning' },
      weekly: { utilization: 0.41, status: 'allowed' },
      rejected: null,
    });
    expect(near(r.limits?.fiveHour?.resetsAt, 3600)).toBe(true);
    expect(events.some((e) => e.type === 'limits')).toBe(true);
    expect(r.model).toBeTruthy();
  });

  it('with an API key the CLI reports no plan figures (cost only)', async () => {
    sim.setHeaders('anthropic', anthropicLimitHeaders({ fiveHour: 0.83, weekly: 0.41 }));
    sim.push('anthropic', { kind: 'structured', value: approve });
    const r = await claudeAgent(sim).run({ ...call, cwd: repo });
    expect(r.limits).toBeUndefined();
    expect(typeof r.usage?.costUsd).toBe('number');
  });

  it('a reached five-hour limit → rate-limited with the reset time, not a plain retryable 429', async () => {
    const headers = anthropicLimitHeaders({ fiveHour: 1, weekly: 0.5, fiveHourResetIn: 5400 });
    sim.push('anthropic', { kind: 'http-error', status: 429, message: 'usage limit', headers });
    const e = await failureOf(claudeAgent(sim, { subscription: true }).run({ ...call, cwd: repo }));
    expect(e.failure).toBe('rate-limited');
    expect(near(e.resetAt, 5400)).toBe(true);
    expect(e.limits?.rejected).toMatchObject({ window: 'five_hour' });
    expect(e.message).toMatch(/limit/);
  });
});

describe('codex: the plan limits Codex writes to its session file', () => {
  it('primary (five-hour) and secondary (weekly) use with reset times, and the model, after each call', async () => {
    sim.setHeaders('openai', codexLimitHeaders({ fiveHour: 0.725, weekly: 0.31, fiveHourResetIn: 7200 }));
    sim.push('openai', { kind: 'structured', value: approve }, { kind: 'structured', value: approve });
    const agent = codexAgent(sim);
    const first = await agent.run({ ...call, cwd: repo });
    expect(first.limits).toMatchObject({
      source: 'codex',
      fiveHour: { utilization: 0.725, windowMinutes: 300 },
      weekly: { utilization: 0.31, windowMinutes: 10080 },
      rejected: null,
    });
    expect(near(first.limits?.fiveHour?.resetsAt, 7200)).toBe(true);
    expect(first.model).toBe('gpt-5.5');
    // A resumed thread appends to the same session file: the newer figure is the one read.
    sim.setHeaders('openai', codexLimitHeaders({ fiveHour: 0.75, weekly: 0.32 }));
    const second = await agent.run({ ...call, cwd: repo, resume: first.sessionId as string });
    expect(second.limits?.fiveHour?.utilization).toBe(0.75);
  });

  it('a reached limit (usage_limit_reached) → rate-limited with the reset time from the session file', async () => {
    const headers = codexLimitHeaders({ fiveHour: 1, weekly: 0.4, fiveHourResetIn: 4000 });
    sim.push('openai', {
      kind: 'http-error',
      status: 429,
      errorType: 'usage_limit_reached',
      message: 'The usage limit has been reached',
      headers,
    });
    const e = await failureOf(codexAgent(sim).run({ ...call, cwd: repo }));
    expect(e.failure).toBe('rate-limited');
    expect(near(e.resetAt, 4000)).toBe(true);
    expect(e.limits?.rejected).toMatchObject({ window: 'five_hour' });
  });
});
