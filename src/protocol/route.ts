/**
 * `--mode auto`: risk decides how much ceremony, headroom decides who does the work.
 *
 * Risk (triage.ts, and the agreed plan's paths later: plan-risk.ts): money, auth, data integrity, migrations → the
 * pair; a question → an answer; else one agent. Headroom (budget/headroom.ts), for the driver D (Claude) and the
 * skeptic S (Codex):
 * - pair work: both have room → pair; D tight or out and S has room → invert (S does the heavy work; D only briefs
 *   and reports, or takes no part when out); S tight → still pair (the skeptic's share is the light one); one out →
 *   one agent, the other; both tight → one agent, the one with more room.
 * - one-agent work (solo, answer): D if it has room, else S if it has, else the one with more room.
 * - both out → wait until the first of them has room again: the run pauses, resumable, with that time.
 * An unknown figure counts as room, and the reason says so: duo does not invent a budget it was not told.
 */

import { pct, when } from '../budget/describe.js';
import type { Headroom } from '../budget/headroom.js';
import type { Config } from '../config/schema.js';
import { rolesFor } from './roles.js';
import { type Triage, triage } from './triage.js';
import type { ConcreteMode, RunState, Triage as TriageRecord } from './types.js';

export interface RouteDecision {
  mode: ConcreteMode;
  roles: RunState['roles'];
  /** The whole reason: the risk, each agent's figures, the choice. */
  reason: string;
  /** Just the choice ("inverted — codex does the heavy work, claude only briefs and reports"). */
  choice: string;
  risk: Triage;
  headroom: RouteHeadroom[];
  /** Both agents are out: the run waits until then (null: not known). */
  wait: { until: string | null } | null;
}

export interface RouteHeadroom {
  agent: string;
  role: 'driver' | 'skeptic';
  level: Headroom['level'];
  pressure: number | null;
  until: string | null;
  why: string;
}

const hasRoom = (h: Headroom) => h.level === 'room' || h.level === 'unknown';

function soloRoles(agent: string, config: Config): RunState['roles'] {
  return { driver: agent, skeptic: null, dispatcher: null, subtask: config.roles.subtask ?? agent };
}

export function route(
  task: string,
  config: Config,
  room: (agent: string) => Headroom,
  now = new Date(),
): RouteDecision {
  return routeRisk(triage(task), config, room, now);
}

export function routeRisk(
  risk: Triage,
  config: Config,
  room: (agent: string) => Headroom,
  now = new Date(),
): RouteDecision {
  const D = config.roles.driver;
  const S = config.roles.skeptic;
  const hD = room(D);
  const hS = D === S ? hD : room(S);
  const say = (h: Headroom): string => {
    switch (h.level) {
      case 'room':
        return `${h.agent} has room (${h.figures})`;
      case 'tight':
        return `${h.agent} is over the ${pct(config.budget.tightAt)} mark (${h.figures})`;
      case 'out':
        return `${h.agent} is out${h.until ? ` until ${when(h.until, now)}` : ''} (${h.why})`;
      case 'unknown':
        return `${h.agent}'s plan use is unknown (no figures yet; counted as room)`;
    }
  };
  const both = D === S ? say(hD) : `${say(hD)}, ${say(hS)}`;
  const view = (h: Headroom, role: RouteHeadroom['role']): RouteHeadroom => ({
    agent: h.agent,
    role,
    level: h.level,
    pressure: h.pressure,
    until: h.until,
    why: h.why,
  });
  const headroom = D === S ? [view(hD, 'driver')] : [view(hD, 'driver'), view(hS, 'skeptic')];
  const decide = (
    mode: ConcreteMode,
    roles: RunState['roles'],
    choice: string,
    wait: RouteDecision['wait'] = null,
  ): RouteDecision => ({ mode, roles, reason: `${risk.reason}; ${both}: ${choice}`, choice, risk, headroom, wait });
  const moreRoom = (a: Headroom, b: Headroom) => ((a.pressure ?? 0) <= (b.pressure ?? 0) ? a : b);
  const waitForOne = () => {
    const until = [hD.until, hS.until].filter((x): x is string => !!x).sort()[0] ?? null;
    const roles = risk.mode === 'pair' ? rolesFor('pair', config) : soloRoles(D, config);
    return decide(risk.mode, roles, `nothing to run on — wait${until ? ` until ${when(until, now)}` : ''}`, { until });
  };
  const alone = risk.mode === 'answer' ? 'answers' : 'does it alone; the gate still runs';

  if (risk.mode !== 'pair') {
    if (hasRoom(hD) || (D === S && hD.level !== 'out')) return decide(risk.mode, soloRoles(D, config), `${D} ${alone}`);
    if (D === S) return waitForOne();
    if (hasRoom(hS)) return decide(risk.mode, soloRoles(S, config), `${S} ${alone}`);
    if (hD.level === 'out' && hS.level === 'out') return waitForOne();
    const pick = hS.level === 'out' ? hD : hD.level === 'out' ? hS : moreRoom(hD, hS);
    return decide(risk.mode, soloRoles(pick.agent, config), `${pick.agent}, with more room, ${alone}`);
  }

  if (D === S) return hD.level === 'out' ? waitForOne() : decide('pair', rolesFor('pair', config), 'full pair');
  if (hasRoom(hD) && hS.level !== 'out') {
    const note = hS.level === 'tight' ? " (the skeptic's share is the light one)" : '';
    return decide('pair', rolesFor('pair', config), `full pair${note}`);
  }
  if (hasRoom(hS)) {
    if (hD.level === 'out')
      return decide(
        'invert',
        { ...rolesFor('invert', config), dispatcher: null },
        `inverted — ${S} plans, writes and reviews its own diff in fresh sessions; ${D} takes no part`,
      );
    return decide(
      'invert',
      rolesFor('invert', config),
      `inverted — ${S} does the heavy work, ${D} only briefs and reports`,
    );
  }
  if (hD.level === 'out' && hS.level === 'out') return waitForOne();
  const pick = hS.level === 'out' ? hD : hD.level === 'out' ? hS : moreRoom(hD, hS);
  const which =
    hS.level === 'out' || hD.level === 'out' ? 'the one left' : 'both nearly used up: the one with more room';
  return decide('solo', soloRoles(pick.agent, config), `one agent — ${pick.agent}, ${which}; the gate still runs`);
}

/** What the record keeps of a decision (RunState.triage): the report's header and `duo log` read it. */
export function routeRecord(d: RouteDecision): TriageRecord {
  return {
    mode: d.mode,
    reason: d.reason,
    risk: { mode: d.risk.mode, reason: d.risk.reason },
    headroom: d.headroom,
    wait: d.wait,
  };
}
