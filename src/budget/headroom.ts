/**
 * How much room an agent's plan has, from the latest figures its CLI reported (Claude Code's rate_limit_event,
 * Codex's session file) and, for API-key users, duo's own spend against the caps in config.
 *
 * - A window whose reset time has passed counts as fresh (0%): the figure was true then, not now.
 * - The pressure is the highest share used of any live window or cap.
 * - out: the CLI refuses requests until a reset, a cap is reached, or the pressure is at/over `exhaustedAt`;
 *   tight: at/over `tightAt`; room: below; unknown: no figure and no cap — said with why, never guessed.
 */

import type { RateLimits, RateWindow } from '../agents/plan-limits.js';
import type { BudgetConfig } from '../config/schema.js';
import { ago, pct, usd, when } from './describe.js';
import { spendByAgent, tokensOf } from './spend.js';
import type { UsageLine } from './usage-ledger.js';
import { endOfDay, endOfWeek, startOfDay, startOfWeek } from './windows.js';

export type Level = 'room' | 'tight' | 'out' | 'unknown';

export interface WindowView {
  name: 'five-hour' | 'weekly';
  utilization: number;
  /** What counts now: 0 once the window has reset since the figure was taken. */
  effective: number;
  resetsAt: string | null;
  status: string | null;
  resetSince: boolean;
}

export interface CapView {
  window: 'day' | 'week';
  metric: 'usd' | 'tokens';
  used: number;
  cap: number;
  share: number;
  resetsAt: string;
}

export interface Headroom {
  agent: string;
  level: Level;
  pressure: number | null;
  figure: {
    observedAt: string;
    ageMs: number;
    source: RateLimits['source'];
    fiveHour: WindowView | null;
    weekly: WindowView | null;
    /** The CLI refused requests until this reset (still in the future). */
    rejected: { window: string; resetsAt: string | null } | null;
  } | null;
  caps: CapView[];
  /** When room comes back, for a tight or out agent (null: not known). */
  until: string | null;
  /** The figures, in one line ("five-hour 91%, resets 14:05 (in 1 h), figures from 3 min ago"); empty when none. */
  figures: string;
  /** The level and the figures behind it, in one line. */
  why: string;
}

/** A refusal without a reset time is believed for five hours (the short window), then forgotten. */
const REJECTED_WITHOUT_RESET_MS = 5 * 3_600_000;

function latestLimits(lines: UsageLine[], agent: string): RateLimits | null {
  let best: RateLimits | null = null;
  for (const l of lines)
    if (l.agent === agent && l.limits && (!best || l.limits.observedAt >= best.observedAt)) best = l.limits;
  return best;
}

function view(name: WindowView['name'], w: RateWindow | null, now: Date): WindowView | null {
  if (!w) return null;
  const resetSince = !!w.resetsAt && Date.parse(w.resetsAt) <= now.getTime();
  return {
    name,
    utilization: w.utilization,
    effective: resetSince ? 0 : w.utilization,
    resetsAt: w.resetsAt,
    status: w.status,
    resetSince,
  };
}

function capViews(lines: UsageLine[], agent: string, config: BudgetConfig, now: Date): CapView[] {
  const caps = config.caps[agent];
  if (!caps) return [];
  const day = spendByAgent(lines, startOfDay(now))[agent];
  const week = spendByAgent(lines, startOfWeek(now))[agent];
  const out: CapView[] = [];
  const add = (window: CapView['window'], metric: CapView['metric'], used: number, cap: number | undefined) => {
    if (cap === undefined) return;
    const resetsAt = (window === 'day' ? endOfDay(now) : endOfWeek(now)).toISOString();
    out.push({ window, metric, used, cap, share: used / cap, resetsAt });
  };
  add('day', 'usd', day?.costUsd ?? 0, caps.usdPerDay);
  add('week', 'usd', week?.costUsd ?? 0, caps.usdPerWeek);
  add('day', 'tokens', day ? tokensOf(day) : 0, caps.tokensPerDay);
  add('week', 'tokens', week ? tokensOf(week) : 0, caps.tokensPerWeek);
  return out;
}

export function headroom(agent: string, lines: UsageLine[], config: BudgetConfig, now: Date, kind?: string): Headroom {
  const limits = latestLimits(lines, agent);
  const caps = capViews(lines, agent, config, now);
  let figure: Headroom['figure'] = null;
  if (limits) {
    const r = limits.rejected;
    const rejectedLive =
      r &&
      (r.resetsAt
        ? Date.parse(r.resetsAt) > now.getTime()
        : now.getTime() - Date.parse(limits.observedAt) < REJECTED_WITHOUT_RESET_MS);
    figure = {
      observedAt: limits.observedAt,
      ageMs: Math.max(0, now.getTime() - Date.parse(limits.observedAt)),
      source: limits.source,
      fiveHour: view('five-hour', limits.fiveHour, now),
      weekly: view('weekly', limits.weekly, now),
      rejected: rejectedLive ? r : null,
    };
  }
  const windows = [figure?.fiveHour, figure?.weekly].filter((w): w is WindowView => !!w);
  const shares = [...windows.map((w) => w.effective), ...caps.map((c) => c.share)];
  const pressure = shares.length ? Math.max(...shares) : null;

  const parts: string[] = [];
  for (const w of windows)
    parts.push(
      `${w.name} ${pct(w.utilization)}${w.resetSince ? ' (reset since)' : w.resetsAt ? `, resets ${when(w.resetsAt, now)}` : ''}`,
    );
  if (figure) parts.push(`figures from ${ago(figure.observedAt, now)}`);
  for (const c of caps)
    parts.push(
      `${c.metric === 'usd' ? usd(c.used) : `${c.used} tokens`} of the ${c.window}'s cap ${c.metric === 'usd' ? usd(c.cap) : c.cap} (${pct(c.share)})`,
    );

  const hitCaps = caps.filter((c) => c.share >= 1);
  const latest = (isos: (string | null)[]) =>
    isos
      .filter((x): x is string => !!x)
      .sort()
      .at(-1) ?? null;
  let level: Level;
  let until: string | null = null;
  let lead = '';
  if (figure?.rejected) {
    level = 'out';
    until = figure.rejected.resetsAt;
    lead = `refusing requests: the ${figure.rejected.window.replace('_', '-')} limit is reached${until ? ` until ${when(until, now)}` : ''}`;
  } else if (hitCaps.length) {
    level = 'out';
    until = latest(hitCaps.map((c) => c.resetsAt));
    lead = `a spend cap is reached until ${when(until as string, now)}`;
  } else if (pressure !== null && pressure >= config.exhaustedAt) {
    level = 'out';
    until = latest(
      [...windows.filter((w) => w.effective >= config.exhaustedAt).map((w) => w.resetsAt)].concat(
        caps.filter((c) => c.share >= config.exhaustedAt).map((c) => c.resetsAt),
      ),
    );
    lead = `nearly used up (≥ ${pct(config.exhaustedAt)})`;
  } else if (pressure !== null && pressure >= config.tightAt) {
    level = 'tight';
    until = latest(
      windows
        .filter((w) => w.effective >= config.tightAt)
        .map((w) => w.resetsAt)
        .concat(caps.filter((c) => c.share >= config.tightAt).map((c) => c.resetsAt)),
    );
    lead = `tight (≥ ${pct(config.tightAt)})`;
  } else if (pressure !== null) {
    level = 'room';
  } else {
    level = 'unknown';
    lead = `unknown: ${unknownWhy(agent, kind)}`;
  }
  const figures = parts.join(', ');
  const why = [lead, figures].filter(Boolean).join(' — ');
  return { agent, level, pressure, figure, caps, until, figures, why };
}

function unknownWhy(agent: string, kind?: string): string {
  if (kind === 'claude')
    return (
      'no figures yet — Claude Code reports its plan use only when logged in with a subscription (with an API key it ' +
      `reports cost only; set budget.caps.${agent} to budget that)`
    );
  if (kind === 'codex')
    return `no figures yet — Codex writes them to its session files when its plan reports them; set budget.caps.${agent} for API-key use`;
  return `this agent's CLI reports no plan figures; set budget.caps.${agent} to budget it`;
}

/** An agent nothing is known about (no ledger): counted as room, and said so. */
export function unknownHeadroom(agent: string): Headroom {
  return {
    agent,
    level: 'unknown',
    pressure: null,
    figure: null,
    caps: [],
    until: null,
    figures: '',
    why: 'unknown: no usage ledger',
  };
}
