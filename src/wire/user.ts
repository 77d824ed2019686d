/**
 * The `--json` of the commands about the user's agents and history across runs: `duo budget` (plan headroom,
 * duo's spend, what auto mode would choose) and `duo stats` (the reviewers', drivers' and humans' track record).
 * The budget's and the record's in-memory shapes are checked against these at compile time, so the wire form cannot
 * drift from them. The field names are stable: scripts rely on them.
 */

import { z } from 'zod';
import { RateLimits } from '../agents/plan-limits.js';
import type { BudgetSnapshot } from '../budget/budget.js';
import type { Headroom } from '../budget/headroom.js';
import type { RouteHeadroom } from '../protocol/route.js';
import { RunState } from '../protocol/types.js';
import type { TrackRecord } from '../record/stats.js';
import type { Same } from './same.js';

const Level = z.enum(['room', 'tight', 'out', 'unknown']);
const WindowView = z.strictObject({
  name: z.enum(['five-hour', 'weekly']),
  utilization: z.number(),
  /** What counts now: 0 once the window has reset since the figure was taken. */
  effective: z.number(),
  resetsAt: z.string().nullable(),
  status: z.string().nullable(),
  resetSince: z.boolean(),
});
const HeadroomJson = z.strictObject({
  agent: z.string(),
  level: Level,
  pressure: z.number().nullable(),
  figure: z
    .strictObject({
      observedAt: z.string(),
      ageMs: z.number(),
      source: RateLimits.shape.source,
      fiveHour: WindowView.nullable(),
      weekly: WindowView.nullable(),
      rejected: z.strictObject({ window: z.string(), resetsAt: z.string().nullable() }).nullable(),
    })
    .nullable(),
  caps: z.array(
    z.strictObject({
      window: z.enum(['day', 'week']),
      metric: z.enum(['usd', 'tokens']),
      used: z.number(),
      cap: z.number(),
      share: z.number(),
      resetsAt: z.string(),
    }),
  ),
  until: z.string().nullable(),
  figures: z.string(),
  why: z.string(),
});
const Spend = z.strictObject({
  calls: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  costUsd: z.number(),
  callsWithoutCost: z.number(),
  durationMs: z.number(),
});
const SpendByAgent = z.record(z.string(), Spend);
const SpendJson = z.strictObject({
  today: z.strictObject({ repo: SpendByAgent, all: SpendByAgent }),
  week: z.strictObject({ repo: SpendByAgent, all: SpendByAgent }),
});
const RouteHeadroomJson = z.strictObject({
  agent: z.string(),
  role: z.enum(['driver', 'skeptic']),
  level: Level,
  pressure: z.number().nullable(),
  until: z.string().nullable(),
  why: z.string(),
});
/** What `--mode auto` would choose: a mode, or wait (both agents out). */
const AutoChoice = z.strictObject({
  mode: z.union([RunState.shape.mode, z.literal('wait')]),
  roles: RunState.shape.roles,
  choice: z.string(),
  reason: z.string(),
  wait: z.strictObject({ until: z.string().nullable() }).nullable(),
  headroom: z.array(RouteHeadroomJson),
});

/** `duo budget --json`: each agent's headroom, duo's spend, and what auto mode would choose now. */
export const BudgetJson = z.strictObject({
  at: z.string(),
  thresholds: z.strictObject({ tightAt: z.number(), exhaustedAt: z.number() }),
  agents: z.array(HeadroomJson.extend({ role: z.enum(['driver', 'skeptic']) })),
  spend: SpendJson,
  /** null outside a repository. */
  repo: z.string().nullable(),
  /** For the task given (`task`, absent without one) and for each kind of task. */
  auto: z.strictObject({
    task: AutoChoice.optional(),
    highRisk: AutoChoice,
    lowRisk: AutoChoice,
    question: AutoChoice,
  }),
  ledger: z.string(),
  skippedLines: z.number(),
  simulatedCalls: z.number(),
});
export type BudgetJson = z.infer<typeof BudgetJson>;

const Adoption = z.strictObject({ findings: z.number(), adopted: z.number(), share: z.number().nullable() });
const Share = z.number().nullable();
const ReviewerStats = z.strictObject({
  agent: z.string(),
  model: z.string(),
  ownCode: z.boolean(),
  runs: z.number(),
  findings: z.number(),
  bySeverity: z.strictObject({ blocker: z.number(), major: z.number(), minor: z.number(), nit: z.number() }),
  outcomes: z.strictObject({
    fixed: z.number(),
    rebutted: z.number(),
    escalated: z.number(),
    open: z.number(),
    repeat: z.number(),
    suggestion: z.number(),
  }),
  shares: z.strictObject({ fixed: Share, falseAlarms: Share, escalated: Share, open: Share }),
  approvals: z.strictObject({ total: z.number(), contradicted: z.number() }),
  precision: z.array(
    z.strictObject({
      band: z.string(),
      findings: z.number(),
      real: z.number(),
      falseAlarms: z.number(),
      precision: Share,
    }),
  ),
  adoption: Adoption,
  adoptionBy: z.array(Adoption.extend({ category: z.string(), severity: z.string() })),
  panel: z.strictObject({ findings: z.number(), both: z.number(), only: z.number(), unique: Adoption }),
});

/** `duo stats --json`: the track record of the reviewers, the drivers and the humans, and figures to read it against. */
export const StatsJson = z.strictObject({
  runs: z.number(),
  since: z.string().nullable(),
  repos: z.array(z.string()),
  reviewers: z.array(ReviewerStats),
  drivers: z.array(
    z.strictObject({
      agent: z.string(),
      model: z.string(),
      runs: z.number(),
      claims: z.strictObject({ made: z.number(), contradicted: z.number() }),
      bent: z.strictObject({ edits: z.number(), runs: z.number() }),
    }),
  ),
  humans: z.array(
    z.strictObject({
      human: z.string(),
      decisions: z.number(),
      driver: z.number(),
      skeptic: z.number(),
      own: z.number(),
    }),
  ),
  /** Published figures to read the reviewers' against. */
  anchors: z.array(z.strictObject({ figure: z.string(), source: z.string() })).readonly(),
});
export type StatsJson = z.infer<typeof StatsJson>;

const checks: [
  Same<z.infer<typeof HeadroomJson>, Headroom>,
  Same<z.infer<typeof SpendJson>, BudgetSnapshot['spend']>,
  Same<z.infer<typeof RouteHeadroomJson>, RouteHeadroom>,
  Same<Omit<StatsJson, 'anchors'>, Omit<TrackRecord, 'anchors'>>,
] = [true, true, true, true];
void checks;
