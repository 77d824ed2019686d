/**
 * The run record's shape. `steps` is the journal — every completed step's result, keyed by a stable step key —
 * and everything else is a projection the engine rebuilds by replaying the journal, so a resumed run reaches
 * the same outcome an uninterrupted one would.
 */
import { z } from 'zod';
import { Mode } from '../config/schema.js';
import { IntegrityVerdict } from '../gate/integrity/index.js';
import { VerifyResult } from '../gate/types.js';
import { Finding, FindingAnswer, Plan, Recheck, Severity } from './schemas.js';
import { RUN_MODES, RUN_STATUSES } from './statuses.js';

export const RunStatus = z.enum(RUN_STATUSES);
export type RunStatus = z.infer<typeof RunStatus>;

/**
 * How a finding ended. `repeat`: a finding declined before (in this repository's memory, or earlier in this run),
 * raised again on unchanged code — shown, linked to that decision, never answered. `suggestion`: below the severity
 * floor, demoted by its category's adoption, or a nit both agents agreed on — listed, with no fix round.
 */
export const Resolution = z.enum(['fixed', 'rebutted', 'escalated', 'open', 'repeat', 'suggestion']);
export type Resolution = z.infer<typeof Resolution>;

export const Phase = z.enum(['triage', 'plan', 'implement', 'review', 'verify', 'report', 'done']);
export type Phase = z.infer<typeof Phase>;

/** Where a finding was raised. integrity: by duo's gate (a bent check, a test the task contradicts), not the skeptic. */
export const LedgerPhase = z.enum(['plan', 'review', 'verify', 'subtask', 'integrity']);
export type LedgerPhase = z.infer<typeof LedgerPhase>;

/** What happened to a finding, in order: raised, answered, re-checked, decided, measured by the gate. */
export const LedgerEvent = z.enum([
  'raised',
  'driver-fix',
  'driver-rebut',
  'driver-escalate',
  'skeptic-resolved',
  'skeptic-accept-rebuttal',
  'skeptic-hold',
  'escalated',
  'round-cap',
  'human-decision',
  'gate-measured',
  'driver-nit',
  'repeat',
  'suggestion',
  /** The same thread raised again (same fingerprint) while it was still open: merged, not a second entry. */
  'raised-again',
]);
export type LedgerEvent = z.infer<typeof LedgerEvent>;

/** An earlier decision a finding is linked to: the declined thread it repeats, or the one it reopens. */
export const ThreadLink = z.object({
  fingerprint: z.string(),
  runId: z.string(),
  findingId: z.string(),
  /** Why it was declined: the driver's rebuttal the skeptic accepted, or the human's decision. */
  reason: z.string(),
  by: z.enum(['skeptic', 'human']),
  at: z.string(),
});
export type ThreadLink = z.infer<typeof ThreadLink>;

export const LedgerEntry = z.object({
  id: z.string(),
  /**
   * The finding's identity across rounds and runs (protocol/fingerprint.ts): from its normalised claim, its file and
   * the code it points at. Absent in records written before duo kept it (derived from claim and file when read).
   */
  fingerprint: z.string().optional(),
  /** A hash of the code the finding points at, at the commit it was raised on (null: no file; see fingerprint.ts). */
  anchor: z.string().nullable().optional(),
  /** resolution repeat: the declined thread this one raises again. */
  repeatOf: ThreadLink.optional(),
  /** A new thread the skeptic raised with new evidence against a declined one, which it cites. */
  reopens: ThreadLink.optional(),
  /** A panel review: the agents that raised it (both, or one of them). */
  reviewers: z.array(z.string()).optional(),
  /** resolution suggestion: why it takes no fix round. */
  suggestion: z.string().optional(),
  /** A panel review of two: `both`, or `<agent>-only` — who caught it. */
  panel: z.string().optional(),
  phase: LedgerPhase,
  /** For integrity entries: the stable key, so the same problem keeps one entry across gate attempts. */
  integrityKey: z.string().optional(),
  round: z.number(),
  finding: Finding,
  resolution: Resolution,
  /** The driver's latest answer (fix / rebut / escalate) with its note. */
  answer: z
    .object({
      action: FindingAnswer.shape.action,
      note: z.string(),
      round: z.number(),
      /** The house rule the answer relied on. */
      rule: z.string().nullable().optional(),
    })
    .nullable(),
  /** The skeptic's latest re-check of that answer. */
  recheck: z.object({ status: Recheck.shape.status, note: z.string(), round: z.number() }).nullable(),
  /** Commit that carries the fix, when resolution is fixed. */
  fixCommit: z.string().nullable(),
  decision: z.string().nullable(),
  history: z.array(z.object({ at: z.string(), round: z.number(), event: LedgerEvent, note: z.string() })),
});
export type LedgerEntry = z.infer<typeof LedgerEntry>;

export const DecisionCard = z.object({
  id: z.string(),
  phase: LedgerPhase,
  findingId: z.string(),
  question: z.string(),
  driverPosition: z.string(),
  skepticPosition: z.string(),
  stakes: z.string(),
  createdAt: z.string(),
});
export type DecisionCard = z.infer<typeof DecisionCard>;

export const Decision = z.object({
  cardId: z.string(),
  pick: z.enum(['driver', 'skeptic', 'custom']),
  text: z.string(),
  decidedAt: z.string(),
  by: z.string(),
  /** Who decided (git user.email, else the OS user), for the per-human track record; absent in older records. */
  human: z.string().optional(),
  /** The decision was kept as a house rule in .duo/RULES.md: the rule's id. */
  rule: z.string().optional(),
});
export type Decision = z.infer<typeof Decision>;

export const Disagreement = z.object({
  at: z.string(),
  phase: LedgerPhase,
  findingId: z.string(),
  severity: Severity,
  topic: z.string(),
  driver: z.string(),
  skeptic: z.string(),
  outcome: z.string(),
});
export type Disagreement = z.infer<typeof Disagreement>;

/** A verify command's result and the integrity verdict are stored as the gate defines them (gate/types.ts, gate/integrity/). */
export const VerifyResultRecord = VerifyResult;
export const IntegrityRecord = IntegrityVerdict;

export const VerifyRecord = z.object({
  attempt: z.number(),
  status: z.enum(['green', 'red', 'unverified']),
  results: z.array(VerifyResultRecord),
  /** Test integrity for this attempt; absent in records written before duo checked it. */
  integrity: IntegrityRecord.optional(),
  /** Gate files the final gate ran at their base version (the run's change to them was not accepted). */
  baseDefinition: z.array(z.string()).optional(),
  /** The original versions of the pre-existing tests the run changed, re-run on the new code. */
  original: z
    .object({ restored: z.array(z.string()), results: z.array(VerifyResultRecord) })
    .nullable()
    .optional(),
  /** The original versions of tests changed on purpose (declared and accepted), re-run for the record. */
  declared: z
    .object({ restored: z.array(z.string()), results: z.array(VerifyResultRecord) })
    .nullable()
    .optional(),
  /** The commit the gate checked out and judged: exactly what `duo apply` brings in. */
  sha: z.string().optional(),
});
export type VerifyRecord = z.infer<typeof VerifyRecord>;

const RouteHeadroom = z.object({
  agent: z.string(),
  role: z.enum(['driver', 'skeptic']),
  level: z.enum(['room', 'tight', 'out', 'unknown']),
  pressure: z.number().nullable(),
  until: z.string().nullable(),
  why: z.string(),
});

/** How `--mode auto` chose (see route.ts): the risk, each agent's headroom, and any upgrade after the plan. */
export const Triage = z.object({
  mode: z.string(),
  reason: z.string(),
  risk: z.object({ mode: z.string(), reason: z.string() }).optional(),
  headroom: z.array(RouteHeadroom).optional(),
  /** Both agents were out when the run was created: it waits until then. */
  wait: z.object({ until: z.string().nullable() }).nullable().optional(),
  /** The agreed plan touched risky paths: the run was upgraded (or could not be, and why). */
  upgrade: z
    .object({
      from: z.string(),
      to: z.string(),
      paths: z.array(z.object({ path: z.string(), label: z.string() })),
      reason: z.string(),
    })
    .nullable()
    .optional(),
});
export type Triage = z.infer<typeof Triage>;

export const StepRecord = z.object({
  at: z.string(),
  durationMs: z.number(),
  result: z.unknown(),
});
export type StepRecord = z.infer<typeof StepRecord>;

/**
 * What a review-only run (`duo review`) looks at: the diff from `base` to `head`, both commits fixed when the
 * review started (`head` is a snapshot commit of the user's uncommitted or staged work, or their HEAD for --base).
 */
export const ReviewTarget = z.object({
  scope: z.enum(['uncommitted', 'staged', 'base']),
  /** The ref the user named with --base (null otherwise). */
  ref: z.string().nullable(),
  base: z.string(),
  head: z.string(),
  /** In words, for the report and the prompts: "the uncommitted changes on main", "feature against main"… */
  label: z.string(),
  /** --answer: the driver answers the findings (rebut, or fix on the run branch) and the gate may send it back. */
  answer: z.boolean(),
});
export type ReviewTarget = z.infer<typeof ReviewTarget>;

export const RunOptions = z.object({
  verify: z.array(z.string()),
  includeUncommitted: z.boolean(),
  apply: z.boolean(),
  review: ReviewTarget.optional(),
  /** --panel: both agents review the diff independently and in parallel (protocol/panel.ts). */
  panel: z.boolean().optional(),
});
export type RunOptions = z.infer<typeof RunOptions>;

/**
 * The configuration a run runs on (protocol/run-config.ts), resolved when it started — agents, roles, verify,
 * limits, every default filled in and the command line's overrides applied — so a resume runs on the same one.
 */
export const RunConfigRecord = z.object({
  /** Validated as a Config when it is used, so a record stays readable whatever later versions do to the schema. */
  resolved: z.record(z.string(), z.unknown()),
  /** The file it was read from; null when only the defaults applied. */
  path: z.string().nullable(),
  at: z.string(),
  /** `resume --config` replaced it, or a record from before duo kept one adopted the config of the day. */
  changes: z
    .array(z.object({ at: z.string(), path: z.string().nullable(), why: z.enum(['override', 'adopted']) }))
    .default([]),
});
export type RunConfigRecord = z.infer<typeof RunConfigRecord>;

export const RunState = z.object({
  version: z.literal(1),
  runId: z.string(),
  task: z.string(),
  /** What the user asked for: a mode, auto (routed, see triage), or review (duo review). */
  requestedMode: z.enum([...Mode.options, 'review']),
  /** `review`: the adversarial review and the gate alone, on what the user already has (duo review). */
  mode: z.enum(RUN_MODES),
  roles: z.object({
    driver: z.string(),
    skeptic: z.string().nullable(),
    dispatcher: z.string().nullable(),
    subtask: z.string().nullable(),
    /** --panel: the second reviewer, beside the skeptic (the other agent, in a fresh session). */
    panel: z.string().nullable().optional(),
  }),
  repoRoot: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  finishedAt: z.string().nullable(),
  status: RunStatus,
  phase: Phase,
  options: RunOptions,
  /** Null only in records written before duo kept it. */
  config: RunConfigRecord.nullable().default(null),
  worktree: z
    .object({
      runId: z.string(),
      path: z.string(),
      branch: z.string(),
      baseSha: z.string(),
      includesUncommitted: z.boolean(),
    })
    .nullable(),
  /** The last commit a completed step left the run branch at: resume resets the worktree here. */
  headSha: z.string().nullable(),
  steps: z.record(z.string(), StepRecord),
  plan: Plan.nullable(),
  planConverged: z.boolean().nullable(),
  findings: z.array(LedgerEntry),
  disagreements: z.array(Disagreement),
  cards: z.array(DecisionCard),
  decisions: z.array(Decision),
  verify: z.array(VerifyRecord),
  /** The verify commands on the untouched base, taken while the plan phase runs (projection of gate/baseline). */
  baseline: z
    .object({ sha: z.string(), durationMs: z.number(), results: z.array(VerifyResultRecord) })
    .nullable()
    .default(null),
  /** Edits to protected files (existing tests, the gate's definition) that duo reverted after a write call. */
  reverts: z.array(z.object({ step: z.string(), agent: z.string(), path: z.string(), reason: z.string() })).default([]),
  /** Each code review's reward-hacking checklist: the items the reviewer went through, and what it found. */
  rewardChecks: z
    .array(
      z.object({
        step: z.string(),
        agent: z.string(),
        checked: z.array(z.string()),
        missing: z.array(z.string()),
        suspicious: z.array(z.string()),
      }),
    )
    .default([]),
  /** Writes found outside the run's checkouts after an agent call: the user's dependency folders, the shared .git. */
  outsideWrites: z
    .array(
      z.object({
        step: z.string(),
        agent: z.string(),
        dir: z.string(),
        paths: z.array(z.string()),
        count: z.number(),
      }),
    )
    .default([]),
  answer: z.string().nullable(),
  /** What the run changed against its base (projection, for the report). */
  changes: z.array(
    z.object({
      path: z.string(),
      /** git's name-status letter: added, copied, deleted, modified, renamed, type changed, unmerged, unknown. */
      status: z.enum(['A', 'C', 'D', 'M', 'R', 'T', 'U', 'X']),
      added: z.number(),
      removed: z.number(),
    }),
  ),
  unreviewed: z.boolean(),
  triage: Triage.nullable(),
  /** Why the run stopped and when it may go on: an agent's plan limit or a spend cap, until a reset. */
  pause: z
    .object({ agent: z.string(), until: z.string().nullable(), reason: z.string(), at: z.string() })
    .nullable()
    .default(null),
  /**
   * --panel (projection): the agents that reviewed the diff, and the ones left out (out of room, or unavailable)
   * with why — then the review was a single reviewer's.
   */
  panel: z
    .object({
      reviewers: z.array(z.string()),
      unavailable: z.array(z.object({ agent: z.string(), why: z.string() })),
    })
    .nullable()
    .default(null),
  /** The model each agent reported answering with (for the reviewers' track record). */
  models: z.record(z.string(), z.string()).default({}),
  notes: z.array(z.string()),
  usage: z.record(
    z.string(),
    z.object({
      calls: z.number(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      cachedInputTokens: z.number(),
      costUsd: z.number().nullable(),
      durationMs: z.number(),
    }),
  ),
  /** Why the run failed: the message names the cause; `detail` is the last of what the agent CLI said (redacted). */
  error: z
    .object({ message: z.string(), hint: z.string().nullable(), detail: z.string().nullable().optional() })
    .nullable(),
  /**
   * The process driving the run while it runs. `start` (the kernel's start time of that pid, where /proc has it)
   * keeps a recycled pid from passing for the owner.
   */
  owner: z.object({ pid: z.number(), host: z.string(), start: z.string().nullable().optional() }).nullable(),
  /** Set by `duo apply` / `run --apply` once the change is in the user's working tree (not a projection). */
  applied: z
    .object({ at: z.string(), files: z.array(z.string()) })
    .nullable()
    .optional(),
});
export type RunState = z.infer<typeof RunState>;

export type ConcreteMode = RunState['mode'];
