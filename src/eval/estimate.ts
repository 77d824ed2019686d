/**
 * What an eval will cost, estimated from the usage ledger's history (budget/usage-ledger.ts: one line per agent call,
 * per user): the runs of the last 90 days, each classified by the roles its calls had (a dispatcher: invert; a
 * skeptic: pair; the driver alone: solo), and the median tokens, cost and agent time per run of each mode. No
 * history for a mode: no estimate for it, said so — never a made-up figure.
 */

import type { UsageLine } from '../budget/usage-ledger.js';
import { median } from './stats.js';

export interface ModeEstimate {
  mode: string;
  /** Runs in the history the figures come from. */
  basis: number;
  tokens: number | null;
  /** null: no cost reported (a subscription login's Codex) or no history. */
  costUsd: number | null;
  agentMs: number | null;
}

interface RunTotals {
  roles: Set<string>;
  tokens: number;
  cost: number | null;
  ms: number;
}

function modeOf(roles: Set<string>): 'solo' | 'pair' | 'invert' {
  if (roles.has('dispatcher')) return 'invert';
  return roles.has('skeptic') ? 'pair' : 'solo';
}

export function estimateFromLedger(lines: UsageLine[], modes: string[]): ModeEstimate[] {
  const runs = new Map<string, RunTotals>();
  for (const l of lines) {
    if (!l.runId) continue;
    const r = runs.get(l.runId) ?? { roles: new Set<string>(), tokens: 0, cost: 0, ms: 0 };
    if (l.role) r.roles.add(l.role);
    r.tokens += l.inputTokens + l.outputTokens;
    r.cost = r.cost === null || l.costUsd === null ? null : r.cost + l.costUsd;
    r.ms += l.durationMs;
    runs.set(l.runId, r);
  }
  const byMode = new Map<string, RunTotals[]>();
  for (const r of runs.values()) {
    if (!r.roles.has('driver')) continue; // a review or an answer, not a task run
    const m = modeOf(r.roles);
    byMode.set(m, [...(byMode.get(m) ?? []), r]);
  }
  return modes.map((mode) => {
    // auto routes to one of the others: the pair's figures are its upper bound.
    const history = byMode.get(mode === 'auto' ? 'pair' : mode) ?? [];
    const costs = history.map((r) => r.cost);
    return {
      mode,
      basis: history.length,
      tokens: median(history.map((r) => r.tokens)),
      costUsd: costs.length && costs.every((c) => c !== null) ? median(costs as number[]) : null,
      agentMs: median(history.map((r) => r.ms)),
    };
  });
}
