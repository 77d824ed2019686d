import type { UsageLine } from './usage-ledger.js';

/**
 * duo's own spend from the usage ledger: calls, tokens and cost, summed per agent. Cost is only what the CLIs
 * report (Claude Code does; Codex does not), so a sum says how many calls had no cost figure.
 */
export interface Spend {
  calls: number;
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  costUsd: number;
  /** Calls that reported no cost (their cost is not in costUsd). */
  callsWithoutCost: number;
  durationMs: number;
}

const NO_SPEND: Spend = {
  calls: 0,
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  costUsd: 0,
  callsWithoutCost: 0,
  durationMs: 0,
};

function addLine(s: Spend, l: UsageLine): Spend {
  return {
    calls: s.calls + 1,
    inputTokens: s.inputTokens + l.inputTokens,
    outputTokens: s.outputTokens + l.outputTokens,
    cachedInputTokens: s.cachedInputTokens + l.cachedInputTokens,
    costUsd: s.costUsd + (l.costUsd ?? 0),
    callsWithoutCost: s.callsWithoutCost + (l.costUsd === null ? 1 : 0),
    durationMs: s.durationMs + l.durationMs,
  };
}

/**
 * Calls no plan paid for: scripted agents (the demo, tests, scenario files). Their lines stay in the ledger — a
 * scripted limit still tells the budget when an agent has room, as a real CLI's would — but they are not spend.
 */
export function isSimulated(l: Pick<UsageLine, 'kind'>): boolean {
  return l.kind === 'scripted';
}

/** Per agent, the real calls at or after `since` that `keep` accepts (scripted ones are not spend). */
export function spendByAgent(
  lines: UsageLine[],
  since: Date,
  keep: (l: UsageLine) => boolean = () => true,
): Record<string, Spend> {
  const from = since.toISOString();
  const out: Record<string, Spend> = {};
  for (const l of lines) {
    if (l.at < from || isSimulated(l) || !keep(l)) continue;
    out[l.agent] = addLine(out[l.agent] ?? NO_SPEND, l);
  }
  return out;
}

export function tokensOf(s: Spend): number {
  return s.inputTokens + s.outputTokens;
}
