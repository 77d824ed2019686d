/**
 * Every object here is strict: a key duo does not know is an error, never silently ignored (a misspelt
 * `maxCostUSD` would otherwise leave the run uncapped). load.ts turns it into "did you mean …".
 */

import { z } from 'zod';
import { MODES } from './modes.js';
import { cannotFail } from './verify-command.js';

/** One agent a role can be given. `claude`/`codex` are built in; `command` pairs in any other CLI. */
export const AgentConfig = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('claude'),
    path: z.string().optional(),
    model: z.string().optional(),
    maxTurns: z.number().int().positive().optional(),
    extraArgs: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
  }),
  z.strictObject({
    kind: z.literal('codex'),
    path: z.string().optional(),
    model: z.string().optional(),
    extraArgs: z.array(z.string()).default([]),
    env: z.record(z.string(), z.string()).default({}),
  }),
  z.strictObject({
    kind: z.literal('command'),
    /** argv template; `{prompt}`, `{cwd}`, `{schema}` (path of a JSON Schema file) are substituted. */
    argv: z.array(z.string()).min(1),
    promptVia: z.enum(['argument', 'stdin']).default('stdin'),
    output: z.enum(['text', 'json']).default('text'),
    /** argv additions for read-only calls (e.g. a sandbox flag); without them the CLI is trusted to obey the prompt. */
    readOnlyArgs: z.array(z.string()).default([]),
    writeArgs: z.array(z.string()).default([]),
    /** With `output: "json"`: dot path to the answer text in the CLI's JSON (e.g. "response"); default the whole document. */
    answerField: z.string().optional(),
    env: z.record(z.string(), z.string()).default({}),
    /** Names of duo's environment variables this CLI needs (e.g. its API key); nothing else secret is passed. */
    passEnv: z.array(z.string()).default([]),
  }),
  z.strictObject({
    kind: z.literal('scripted'),
    /** A scenario file (JSON) the scripted agent answers from; used by the demo and tests. */
    scenario: z.string(),
  }),
]);
export type AgentConfig = z.infer<typeof AgentConfig>;

export const Mode = z.enum(MODES);
export type Mode = z.infer<typeof Mode>;

export const Limits = z.strictObject({
  planRounds: z.number().int().min(1).max(20).default(3),
  reviewRounds: z.number().int().min(1).max(20).default(3),
  verifyRounds: z.number().int().min(1).max(20).default(3),
  agentTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(30 * 60_000),
  idleTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(5 * 60_000),
  /**
   * How long an agent may keep reporting connection or API trouble (reconnecting, retrying) with no model progress
   * before duo stops the call as a network failure, retried like a 5xx (agents/stall.ts).
   */
  networkTimeoutMs: z.number().int().positive().default(60_000),
  verifyTimeoutMs: z
    .number()
    .int()
    .positive()
    .default(20 * 60_000),
  retries: z.number().int().min(0).max(10).default(2),
  retryBaseMs: z.number().int().min(0).default(2_000),
  maxMinutes: z.number().positive().default(180),
  maxCostUsd: z.number().positive().optional(),
  maxTokens: z.number().int().positive().optional(),
});
export type Limits = z.infer<typeof Limits>;

/** Spend caps for one agent, for API-key users whose CLI reports no plan figures: duo's own spend per calendar day / week. */
export const SpendCaps = z.strictObject({
  usdPerDay: z.number().positive().optional(),
  usdPerWeek: z.number().positive().optional(),
  tokensPerDay: z.number().int().positive().optional(),
  tokensPerWeek: z.number().int().positive().optional(),
});
export type SpendCaps = z.infer<typeof SpendCaps>;

/** How much of a plan is left, and what counts as nearly used up (see budget/headroom.ts). */
export const BudgetConfig = z
  .strictObject({
    /** Share of a plan window used (0–1) from which auto mode no longer gives that agent the heavy work. */
    tightAt: z.number().min(0).max(1).default(0.8),
    /** Share from which the agent counts as out: auto mode gives it no work at all. */
    exhaustedAt: z.number().min(0).max(1).default(0.95),
    /** Per agent name: caps on duo's own spend; reaching one pauses a run until the day or week turns. */
    caps: z.record(z.string(), SpendCaps).default({}),
  })
  .refine((b) => b.tightAt <= b.exhaustedAt, { message: 'tightAt must not be above exhaustedAt' });
export type BudgetConfig = z.infer<typeof BudgetConfig>;

/** What `--mode auto` treats as risky beyond the words of the task: paths the agreed plan touches. */
export const RoutingConfig = z.strictObject({
  /** Extra globs (picomatch, matched against repo-relative paths) that make a plan high-risk. */
  riskPaths: z.array(z.string().min(1)).default([]),
  /** duo's own list: migrations, schema files, auth, payments/billing (see protocol/risk-paths.ts). */
  defaultRiskPaths: z.boolean().default(true),
});
export type RoutingConfig = z.infer<typeof RoutingConfig>;

/**
 * The stop-time review gate (`duo init --claude --review-gate`): it blocks one Claude Code session at most
 * `maxBlocks` times, and a review that takes longer than `timeoutSeconds` is let go (fail open) instead of blocking.
 */
export const ReviewGate = z.strictObject({
  maxBlocks: z.number().int().min(1).max(20).default(2),
  timeoutSeconds: z.number().int().min(30).max(3600).default(1100),
});
export type ReviewGate = z.infer<typeof ReviewGate>;

export const Config = z.strictObject({
  /** The mode `duo "<task>"` runs in when --mode is not given (duox is always invert). */
  mode: Mode.optional(),
  roles: z
    .strictObject({
      driver: z.string().default('claude'),
      skeptic: z.string().default('codex'),
      /** Who does independent sub-tasks; default: the skeptic in pair mode, so both agents work at once. */
      subtask: z.string().optional(),
    })
    .default({ driver: 'claude', skeptic: 'codex' }),
  agents: z.record(z.string(), AgentConfig).default({}),
  /** Commands duo runs itself as the gate; each must be able to fail (see verify-command.ts). */
  verify: z
    .array(
      z.string().superRefine((command, ctx) => {
        const why = cannotFail(command);
        if (why) ctx.addIssue({ code: 'custom', message: `this verify command cannot fail: ${why}` });
      }),
    )
    .default([]),
  limits: Limits.default(Limits.parse({})),
  parallel: z.number().int().min(1).max(16).default(2),
  /** Run the verify commands at the same time (a failure is re-run alone before it counts); false: one by one. */
  verifyParallel: z.boolean().default(true),
  /**
   * Run the verify commands on the untouched base beside the plan phase, to tell failures that were already there
   * from new ones and to count tests against it. false saves the machine that work (the integrity checks that do
   * not need it still run).
   */
  baseline: z.boolean().default(true),
  /** When the skeptic is gone for good: stop (default) or finish solo with the report marked UNREVIEWED. */
  onSkepticUnavailable: z.enum(['stop', 'solo']).default('stop'),
  budget: BudgetConfig.default(BudgetConfig.parse({})),
  routing: RoutingConfig.default(RoutingConfig.parse({})),
  reviewGate: ReviewGate.default(ReviewGate.parse({})),
});
export type Config = z.infer<typeof Config>;
