import { randomBytes } from 'node:crypto';
import { type Headroom, unknownHeadroom } from '../budget/headroom.js';
import type { Mode } from '../config/schema.js';
import type { RunContext } from './context.js';
import type { EnginePorts } from './ports.js';
import { rolesFor } from './roles.js';
import { route, routeRecord } from './route.js';
import { configRecord } from './run-config.js';
import { Paused } from './run-stops.js';
import type { ConcreteMode, RunOptions, RunState } from './types.js';

export interface RunInput {
  task: string;
  /** `review` (duo review) needs options.review: what to review. */
  mode: Mode | 'review';
  options: RunOptions;
  runId?: string;
  /** The file `ports.config` was read from (null: the defaults alone), kept with it in the record. */
  configPath?: string | null;
}

function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

/**
 * A new run's record, before anything runs: its id, its mode and roles (auto mode routes by risk and by each
 * agent's headroom), and every projection empty. The engine fills the rest by running it.
 */
export function createRunState(ports: EnginePorts, input: RunInput, repoRoot: string): RunState {
  const clockNow = ports.clock?.now() ?? new Date();
  const now = clockNow.toISOString();
  let mode: ConcreteMode;
  let roles: RunState['roles'];
  let triaged: RunState['triage'] = null;
  if (input.mode === 'auto') {
    const decision = route(input.task, ports.config, headroomOf(ports, clockNow), clockNow);
    mode = decision.mode;
    roles = decision.roles;
    triaged = routeRecord(decision);
  } else {
    mode = input.mode;
    roles = rolesFor(mode, ports.config);
  }
  roles = withPanel(roles, input.options.panel);
  return {
    version: 1,
    runId: input.runId ?? newRunId(new Date(now)),
    task: input.task,
    requestedMode: input.mode,
    mode,
    roles,
    repoRoot,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    status: 'running',
    phase: 'triage',
    options: input.options,
    // What every resume runs on: the config resolved now, the command line's overrides included.
    config: configRecord(ports.config, input.configPath ?? null, now),
    triage: triaged,
    ...emptyProjections(),
  };
}

/**
 * --panel: the reviewer beside the skeptic — the other agent (the driver's in pair mode and duo review, the
 * dispatcher's in invert mode); none when the run has no skeptic or only one agent.
 */
export function withPanel(roles: RunState['roles'], panel: boolean | undefined): RunState['roles'] {
  if (!panel) return roles;
  const other = roles.skeptic ? [roles.driver, roles.dispatcher].find((a) => a && a !== roles.skeptic) : null;
  return { ...roles, panel: other ?? null };
}

/** What a run holds before anything has run: every projection the journal fills, empty. */
export function emptyProjections() {
  return {
    worktree: null,
    headSha: null,
    steps: {},
    plan: null,
    planConverged: null,
    findings: [],
    disagreements: [],
    cards: [],
    decisions: [],
    verify: [],
    baseline: null,
    reverts: [],
    outsideWrites: [],
    rewardChecks: [],
    answer: null,
    changes: [],
    unreviewed: false,
    pause: null,
    panel: null,
    models: {},
    notes: [],
    usage: {},
    error: null,
    owner: null,
  } satisfies Partial<RunState>;
}

/** Each agent's headroom from the usage ledger; without one (tests, the demo) every agent is "unknown". */
function headroomOf(ports: EnginePorts, now: Date): (agent: string) => Headroom {
  return (agent) => ports.budget?.headroom(agent, now) ?? unknownHeadroom(agent);
}

/**
 * A run that was created while both agents were out routes again when it is resumed, before anything has run: by
 * then one of them may have room, and the figures decide afresh.
 */
export function rerouteIfWaiting(ctx: RunContext): void {
  const { state } = ctx;
  if (state.requestedMode !== 'auto' || !state.triage?.wait || Object.keys(state.steps).length) return;
  const now = ctx.clock.now();
  const decision = route(state.task, ctx.config, headroomOf(ctx.ports, now), now);
  state.mode = decision.mode;
  state.roles = withPanel(decision.roles, state.options.panel);
  state.triage = routeRecord(decision);
  if (decision.wait)
    throw new Paused(
      decision.headroom[0]?.agent ?? state.roles.driver,
      decision.wait.until,
      `every agent is out of room: ${decision.reason}`,
    );
}
