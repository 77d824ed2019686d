/**
 * Usage accounting for every agent call: the run's totals per agent (for the report and the run's cost/token
 * limits), the per-user usage ledger (budgets, auto mode), and an `agent-call` line in the run's events.
 */

import { ZERO_USAGE } from '../agents/events.js';
import type { AgentError } from '../agents/failure.js';
import type { Agent, AgentResult } from '../agents/port.js';
import type { UsageLine } from '../budget/usage-ledger.js';
import type { RunContext } from './context.js';
import type { Role } from './run-events.js';

export interface CallRef {
  key: string;
  role: Role;
  /** The agent's name in the config. */
  agent: string;
  purpose: string;
}

export function accountCall(
  ctx: RunContext,
  agent: Agent,
  ref: CallRef,
  res: AgentResult<unknown>,
  promptChars: number,
  attempt: number,
  startedAt: Date,
): void {
  const { state } = ctx;
  const u = state.usage[ref.agent] ?? { calls: 0, ...ZERO_USAGE, costUsd: null, durationMs: 0 };
  state.usage[ref.agent] = u;
  u.calls++;
  u.durationMs += res.durationMs;
  if (res.usage) {
    u.inputTokens += res.usage.inputTokens;
    u.outputTokens += res.usage.outputTokens;
    u.cachedInputTokens += res.usage.cachedInputTokens;
    if (res.usage.costUsd !== undefined) u.costUsd = (u.costUsd ?? 0) + res.usage.costUsd;
  }
  if (res.model) state.models[ref.agent] = res.model;
  ledgerLine(ctx, agent, ref, res.durationMs, {
    model: res.model ?? state.models[ref.agent] ?? null,
    inputTokens: res.usage?.inputTokens ?? 0,
    outputTokens: res.usage?.outputTokens ?? 0,
    cachedInputTokens: res.usage?.cachedInputTokens ?? 0,
    costUsd: res.usage?.costUsd ?? null,
    failure: null,
    limits: res.limits ?? null,
  });
  ctx.ports.store.appendEvent(state.runId, {
    type: 'agent-call',
    step: ref.key,
    agent: ref.agent,
    role: ref.role,
    purpose: ref.purpose,
    attempt,
    startedAt: startedAt.toISOString(),
    promptChars,
    durationMs: res.durationMs,
    usage: res.usage ?? null,
    costUsd: res.usage?.costUsd ?? null,
    sessionId: res.sessionId ?? null,
    permissionDenials: res.permissionDenials,
  });
}

/** A failed call that reported the plan's limits: the ledger learns when this agent has room again. */
export function accountFailure(ctx: RunContext, agent: Agent, ref: CallRef, err: AgentError, durationMs: number): void {
  if (!err.limits) return;
  ledgerLine(ctx, agent, ref, durationMs, {
    model: ctx.state.models[ref.agent] ?? null,
    ...ZERO_USAGE,
    costUsd: null,
    failure: err.failure,
    limits: err.limits,
  });
}

type Measured = Pick<
  UsageLine,
  'model' | 'inputTokens' | 'outputTokens' | 'cachedInputTokens' | 'costUsd' | 'failure' | 'limits'
>;

function ledgerLine(ctx: RunContext, agent: Agent, ref: CallRef, durationMs: number, m: Measured): void {
  ctx.ports.budget?.record({
    at: ctx.clock.now().toISOString(),
    agent: ref.agent,
    kind: agent.kind,
    repo: ctx.state.repoRoot,
    runId: ctx.state.runId,
    step: ref.key,
    purpose: ref.purpose,
    role: ref.role,
    durationMs,
    ...m,
  });
}
