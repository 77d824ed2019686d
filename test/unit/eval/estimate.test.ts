import { describe, expect, it } from 'vitest';
import type { UsageLine } from '../../../src/budget/usage-ledger.js';
import { estimateFromLedger } from '../../../src/eval/estimate.js';
import { line as call } from '../../support/usage.js';

const line = (over: Partial<UsageLine>): UsageLine => ({ v: 1, ...call(over) });

describe('the cost estimate from the usage ledger', () => {
  it("takes each mode's median run, classifying runs by the roles of their calls", () => {
    const lines = [
      // solo runs: the driver alone
      line({ runId: 's1', role: 'driver', inputTokens: 100, outputTokens: 0, costUsd: 0.1, durationMs: 1000 }),
      line({ runId: 's2', role: 'driver', inputTokens: 300, outputTokens: 0, costUsd: 0.3, durationMs: 3000 }),
      line({ runId: 's3', role: 'driver', inputTokens: 200, outputTokens: 0, costUsd: 0.2, durationMs: 2000 }),
      // a pair run: driver and skeptic; codex reports no cost
      line({ runId: 'p1', role: 'driver', inputTokens: 500, outputTokens: 0, costUsd: 0.5 }),
      line({ runId: 'p1', role: 'skeptic', agent: 'codex', inputTokens: 400, outputTokens: 0, costUsd: null }),
      // a review (no driver) is not a task run
      line({ runId: 'r1', role: 'skeptic', inputTokens: 9999, outputTokens: 0 }),
    ];
    const [solo, pair, invert, auto] = estimateFromLedger(lines, ['solo', 'pair', 'invert', 'auto']);
    expect(solo).toEqual({ mode: 'solo', basis: 3, tokens: 200, costUsd: 0.2, agentMs: 2000 });
    expect(pair).toMatchObject({ basis: 1, tokens: 900, costUsd: null });
    expect(invert).toEqual({ mode: 'invert', basis: 0, tokens: null, costUsd: null, agentMs: null });
    expect(auto).toMatchObject({ basis: 1, tokens: 900 });
  });
});
