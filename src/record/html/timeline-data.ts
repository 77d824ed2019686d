/**
 * The run on the wall clock, from its record: every agent call and failed attempt (events.jsonl's `agent-call` and
 * `agent-failure` lines, each with its start and duration), every verify command and the baseline (the gate's
 * results in state.json), the phases as the run announced them, and where the run stopped and was taken up again.
 * One lane per agent and one for the gate; calls of one agent that overlap (a fan-out) get rows of their own.
 */

import type { RunEventLine } from '../../protocol/run-events.js';
import type { RunState, VerifyRecord } from '../../protocol/types.js';

export interface Bar {
  lane: string;
  /** Row within the lane: overlapping bars (parallel sub-tasks, parallel commands) stack. */
  row: number;
  start: number;
  end: number;
  kind: 'call' | 'failed' | 'pass' | 'fail';
  /** A few words on the bar: the call's purpose, the command. */
  label: string;
  step: string;
  /** The tooltip and the table: step, duration, tokens, cost, outcome. */
  tokens: { input: number; output: number; cached: number } | null;
  costUsd: number | null;
  outcome: string;
}

export interface Lane {
  key: string;
  label: string;
  rows: number;
}

export interface Timeline {
  start: number;
  end: number;
  lanes: Lane[];
  bars: Bar[];
  phases: { label: string; start: number; end: number }[];
  /** Moments worth a mark: a resume, a pause. */
  marks: { at: number; label: string }[];
}

const time = (iso: string | undefined) => (iso ? Date.parse(iso) : Number.NaN);

/** An agent call or a failed attempt of one: the lines the timeline and the run's costs are made of. */
export type CallLine = Extract<RunEventLine, { type: 'agent-call' | 'agent-failure' }>;

export const isCall = (e: RunEventLine): e is CallLine => e.type === 'agent-call' || e.type === 'agent-failure';

/** Start of a call: its own `startedAt`, or (records from before it was written) its end less its duration. */
function startOf(e: CallLine): number {
  const started = time(e.startedAt);
  return Number.isFinite(started) ? started : time(e.at) - (e.durationMs ?? 0);
}

export function buildTimeline(state: RunState, events: RunEventLine[]): Timeline {
  const bars: Omit<Bar, 'row'>[] = [];
  // The roles each agent played, as its calls say (the sub-task role is only a role once a fan-out ran).
  const roles = new Map<string, Set<string>>();
  const played = (agent: string, role: string) => roles.set(agent, (roles.get(agent) ?? new Set()).add(role));
  if (state.roles.driver) played(state.roles.driver, 'driver');
  if (state.roles.skeptic) played(state.roles.skeptic, 'skeptic');
  for (const e of events) {
    if (!isCall(e) || !e.agent || !e.step) continue;
    played(e.agent, e.role);
    const start = startOf(e);
    if (!Number.isFinite(start)) continue;
    const attempt = e.attempt > 0 ? ` (attempt ${e.attempt + 1})` : '';
    const call = e.type === 'agent-call' ? e : null;
    bars.push({
      lane: `agent:${e.agent}`,
      start,
      end: start + Math.max(0, e.durationMs),
      kind: call ? 'call' : 'failed',
      label: `${call?.purpose ?? e.step.split('/').at(-1)}${attempt}`,
      step: e.step,
      tokens: call?.usage
        ? { input: call.usage.inputTokens, output: call.usage.outputTokens, cached: call.usage.cachedInputTokens }
        : null,
      costUsd: call?.costUsd ?? null,
      outcome: e.type === 'agent-failure' ? `failed: ${e.failure} — ${e.message}` : 'answered',
    });
  }
  for (const v of state.verify) bars.push(...gateBars(state, v));
  if (state.baseline) {
    const at = time(state.steps['gate/baseline']?.at);
    for (const r of state.baseline.results) bars.push(commandBar('baseline', 'gate/baseline', r, at));
  }

  const phases: Timeline['phases'] = [];
  const marks: Timeline['marks'] = [];
  let owners = 0;
  for (const e of events) {
    const at = time(e.at);
    if (!Number.isFinite(at)) continue;
    if (e.type === 'owner' && owners++ > 0) marks.push({ at, label: 'resumed' });
    if (e.type !== 'progress' || e.progress.type !== 'phase' || !e.progress.phase) continue;
    const p = e.progress;
    const last = phases.at(-1);
    if (last) last.end = at;
    phases.push({ label: `${p.phase}${p.round && p.round > 1 ? ` ${p.round}` : ''}`, start: at, end: at });
  }
  if (state.pause) marks.push({ at: time(state.pause.at), label: `paused: ${state.pause.agent}` });

  const created = time(state.createdAt);
  const starts = [created, ...bars.map((b) => b.start), ...phases.map((p) => p.start)].filter(Number.isFinite);
  const start = Math.min(...starts);
  const ends = [time(state.finishedAt ?? undefined), ...bars.map((b) => b.end), ...marks.map((m) => m.at)];
  const end = Math.max(start + 1, ...ends.filter(Number.isFinite));
  const last = phases.at(-1);
  if (last) last.end = Math.max(last.end, end);

  return { start, end, ...packLanes(roles, bars), phases, marks };
}

function gateBars(state: RunState, v: VerifyRecord): Omit<Bar, 'row'>[] {
  const step = `verify/a${v.attempt}/gate`;
  const at = time(state.steps[step]?.at);
  const out = v.results.map((r) => commandBar('gate', step, r, at));
  for (const r of v.original?.results ?? []) out.push(commandBar('gate', step, r, at, 'original tests: '));
  return out;
}

function commandBar(
  lane: 'gate' | 'baseline',
  step: string,
  r: VerifyRecord['results'][number],
  stepAt: number,
  prefix = '',
): Omit<Bar, 'row'> {
  // Records from before commands carried their start: the step's start (exact for commands run in parallel).
  const started = time(r.startedAt);
  const start = Number.isFinite(started) ? started : stepAt;
  const exit = r.timedOut ? 'timed out' : r.exitCode === null ? 'did not start' : `exit ${r.exitCode}`;
  return {
    lane,
    start,
    end: start + r.durationMs,
    kind: r.passed ? 'pass' : 'fail',
    label: `${prefix}${r.command}`,
    step,
    tokens: null,
    costUsd: null,
    outcome: `${exit}, ${r.passed ? 'passed' : `failed${r.reason ? ` (${r.reason})` : ''}`}`,
  };
}

/** One lane per agent (in role order), the gate, the baseline; overlapping bars within a lane go on new rows. */
function packLanes(roles: Map<string, Set<string>>, bars: Omit<Bar, 'row'>[]): { lanes: Lane[]; bars: Bar[] } {
  const keys = [...roles.keys()].map((a) => `agent:${a}`);
  for (const b of bars) if (b.lane.startsWith('agent:') && !keys.includes(b.lane)) keys.push(b.lane);
  keys.push('gate', 'baseline');
  const lanes: Lane[] = [];
  const placed: Bar[] = [];
  for (const key of keys) {
    const mine = bars.filter((b) => b.lane === key).sort((a, b) => a.start - b.start);
    if (!mine.length && !key.startsWith('agent:')) continue;
    const rowEnds: number[] = [];
    for (const b of mine) {
      let row = rowEnds.findIndex((end) => end <= b.start);
      if (row < 0) row = rowEnds.push(0) - 1;
      rowEnds[row] = Math.max(b.end, b.start + 1);
      placed.push({ ...b, row });
    }
    const agent = key.slice('agent:'.length);
    const label = key.startsWith('agent:')
      ? `${agent}${roles.has(agent) ? ` (${[...(roles.get(agent) ?? [])].join(', ')})` : ''}`
      : key === 'gate'
        ? 'verify gate'
        : 'baseline (base)';
    lanes.push({ key, label, rows: Math.max(1, rowEnds.length) });
  }
  // In time order, so the keyboard walks the bars as the run went.
  placed.sort((a, b) => a.start - b.start);
  return { lanes, bars: placed };
}
