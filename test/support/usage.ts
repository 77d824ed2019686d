import type { UsageLine } from '../../src/budget/usage-ledger.js';

/** A usage-ledger line for tests: one agent call, overridable field by field. */
export function line(over: Partial<UsageLine> = {}): Omit<UsageLine, 'v'> {
  return {
    at: '2026-03-10T12:00:00.000Z',
    agent: 'claude',
    kind: 'claude',
    model: 'claude-sonnet',
    repo: '/r',
    runId: 'run-1',
    step: 'plan/r1/draft',
    purpose: 'plan',
    role: 'driver',
    durationMs: 1000,
    inputTokens: 100,
    outputTokens: 20,
    cachedInputTokens: 0,
    costUsd: 0.01,
    failure: null,
    limits: null,
    ...over,
  };
}
