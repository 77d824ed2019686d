import { when } from '../budget/describe.js';
import { unknownHeadroom } from '../budget/headroom.js';
import { firstOf } from '../sys/text.js';
import type { RunContext } from './context.js';
import { withPanel } from './new-run.js';
import { PlanPathsStep } from './replay.js';
import { planPaths, riskyPaths } from './risk-paths.js';
import { rolesFor } from './roles.js';
import type { Plan } from './schemas.js';
import type { RunState } from './types.js';

const PLAN_PATHS_STEP = 'triage/plan-paths';

interface Upgrade {
  hits: { path: string; label: string }[];
  to: 'pair' | 'solo';
  roles: RunState['roles'];
  reason: string;
}

/**
 * Auto mode looks again once the plan exists: a run triaged as low-risk whose plan touches migrations, schema files,
 * auth or payments (or a configured glob) is upgraded to the pair before any code is written, so the plan is
 * critiqued and the diff reviewed. The decision is a journaled step: a resumed run replays it, it is never taken
 * twice, and the report says which paths caused it. When the other agent is out of room the run stays one agent,
 * and says so.
 */
export async function checkPlanPaths(ctx: RunContext, plan: Plan): Promise<void> {
  const { state } = ctx;
  if (state.requestedMode !== 'auto') return;
  if (!(PLAN_PATHS_STEP in state.steps) && state.mode !== 'solo') return;
  const r = await ctx.step(PLAN_PATHS_STEP, async (): Promise<Upgrade> => decide(ctx, plan), PlanPathsStep);
  if (!r.hits.length) return;
  if (r.to === 'pair') {
    state.mode = 'pair';
    state.roles = withPanel(r.roles, state.options.panel);
  }
  state.triage = {
    ...(state.triage ?? { mode: 'solo', reason: '' }),
    upgrade: { from: 'solo', to: r.to, paths: r.hits, reason: r.reason },
  };
  ctx.emit({ type: 'note', text: `auto: ${r.reason}` });
}

function decide(ctx: RunContext, plan: Plan): Upgrade {
  const { state, config } = ctx;
  const hits = riskyPaths(planPaths(plan), config.routing);
  if (!hits.length) return { hits, to: 'solo', roles: state.roles, reason: '' };
  const touched = hits.map((h) => `${h.path} (${h.label})`);
  const touches = `the agreed plan touches ${firstOf(touched, 5)}`;
  const driver = state.roles.driver;
  const other = driver === config.roles.driver ? config.roles.skeptic : config.roles.driver;
  const now = ctx.clock.now();
  const room = ctx.ports.budget?.headroom(other, now) ?? unknownHeadroom(other);
  if (room.level === 'out')
    return {
      hits,
      to: 'solo',
      roles: state.roles,
      reason: `${touches}, which needs the pair, but ${other} is out${room.until ? ` until ${when(room.until, now)}` : ''}: it stays one agent`,
    };
  const roles =
    driver === config.roles.driver
      ? rolesFor('pair', config)
      : { driver, skeptic: other, dispatcher: null, subtask: config.roles.subtask ?? driver };
  return {
    hits,
    to: 'pair',
    roles,
    reason: `${touches}: upgraded from one agent to the pair (${other} critiques and reviews)`,
  };
}
