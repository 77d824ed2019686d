import { describe, expect, it } from 'vitest';
import { parseRunEvents, type Role, type RunEventLine } from '../../../../src/protocol/run-events.js';
import type { VerifyRecord } from '../../../../src/protocol/types.js';
import { renderTimeline } from '../../../../src/record/html/timeline.js';
import { buildTimeline } from '../../../../src/record/html/timeline-data.js';
import { runState } from '../../../support/state.js';

const T0 = Date.parse('2025-01-01T00:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();

type CallEvent = Extract<RunEventLine, { type: 'agent-call' }>;

function call(agent: string, role: Role, step: string, start: number, ms: number, over: Partial<CallEvent> = {}) {
  const line: CallEvent = {
    at: iso(start + ms),
    type: 'agent-call',
    step,
    agent,
    role,
    purpose: step.split('/').at(-1) ?? step,
    attempt: 0,
    startedAt: iso(start),
    promptChars: 1000,
    durationMs: ms,
    usage: { inputTokens: 100, outputTokens: 20, cachedInputTokens: 0 },
    costUsd: 0.01,
    sessionId: null,
    permissionDenials: [],
    ...over,
  };
  return line;
}

function result(command: string, start: number, ms: number, passed: boolean): VerifyRecord['results'][number] {
  return {
    command,
    kind: 'test',
    exitCode: passed ? 0 : 1,
    startedAt: iso(start),
    durationMs: ms,
    output: '',
    outputPath: '/x.log',
    outputBytes: 0,
    truncated: false,
    timedOut: false,
    noTestsRan: false,
    passed,
  };
}

/** The run on the wall clock: lanes per agent, fan-out on rows of their own, retries, the gate and the baseline. */
describe('the run timeline', () => {
  const state = runState({
    status: 'green',
    roles: { driver: 'claude', skeptic: 'codex', dispatcher: null, subtask: 'codex' },
    finishedAt: iso(20_000),
    steps: {
      'gate/baseline': { at: iso(500), durationMs: 3000, result: null },
      'verify/a1/gate': { at: iso(12_000), durationMs: 4000, result: null },
    },
    baseline: { sha: 'abc', durationMs: 3000, results: [result('npm test', 600, 2900, true)] },
    verify: [
      {
        attempt: 1,
        status: 'red',
        results: [result('npm test', 12_100, 3000, false), result('npm run lint', 12_100, 1000, true)],
      },
    ],
  });
  const events: RunEventLine[] = [
    { at: iso(0), type: 'owner', pid: 1 },
    { at: iso(0), type: 'progress', progress: { type: 'phase', phase: 'plan', round: 1 } },
    call('claude', 'driver', 'plan/r1/draft', 100, 2000),
    call('codex', 'skeptic', 'plan/r1/critique', 2200, 1500),
    { at: iso(4000), type: 'progress', progress: { type: 'phase', phase: 'implement' } },
    // Two sub-tasks at once on the same agent: a fan-out.
    call('codex', 'subtask', 'subtask/S1/work', 4000, 3000),
    call('codex', 'subtask', 'subtask/S2/work', 4100, 3000),
    // A failed attempt, then its retry; and a line from before calls carried their start.
    {
      at: iso(7500),
      type: 'agent-failure',
      step: 'implement/driver',
      agent: 'claude',
      role: 'driver',
      attempt: 0,
      failure: 'rate-limited',
      message: '429',
      startedAt: iso(7200),
      durationMs: 300,
    },
    call('claude', 'driver', 'implement/driver', 8000, 2000, { attempt: 1, startedAt: undefined }),
    { at: iso(11_000), type: 'owner', pid: 2 },
    { at: iso(12_000), type: 'progress', progress: { type: 'phase', phase: 'verify' } },
  ];
  const t = buildTimeline(state, events);

  it('has a lane per agent with the roles it played, then the gate and the baseline', () => {
    expect(t.lanes.map((l) => [l.key, l.label, l.rows])).toEqual([
      ['agent:claude', 'claude (driver)', 1],
      ['agent:codex', 'codex (skeptic, subtask)', 2],
      ['gate', 'verify gate', 2],
      ['baseline', 'baseline (base)', 1],
    ]);
  });

  it('places each call by its start and duration, fan-out on rows of their own', () => {
    const sub = t.bars.filter((b) => b.step.startsWith('subtask/'));
    expect(sub.map((b) => [b.start - T0, b.end - T0, b.row])).toEqual([
      [4000, 7000, 0],
      [4100, 7100, 1],
    ]);
    // The old line without startedAt: its end less its duration.
    const retry = t.bars.find((b) => b.step === 'implement/driver' && b.kind === 'call');
    expect([retry?.start !== undefined && retry.start - T0, retry?.label]).toEqual([8000, 'driver (attempt 2)']);
    const failed = t.bars.find((b) => b.kind === 'failed');
    expect([failed && failed.start - T0, failed?.outcome]).toEqual([7200, 'failed: rate-limited — 429']);
  });

  it('puts verify commands and the baseline on the gate lanes, by their own start', () => {
    const gate = t.bars.filter((b) => b.lane === 'gate').map((b) => [b.label, b.kind, b.start - T0, b.row]);
    expect(gate).toEqual([
      ['npm test', 'fail', 12_100, 0],
      ['npm run lint', 'pass', 12_100, 1],
    ]);
    expect(t.bars.filter((b) => b.lane === 'baseline').map((b) => [b.start - T0, b.end - T0])).toEqual([[600, 3500]]);
  });

  it('marks the phases and the resume', () => {
    expect(t.phases.map((p) => [p.label, p.start - T0, p.end - T0])).toEqual([
      ['plan', 0, 4000],
      ['implement', 4000, 12_000],
      ['verify', 12_000, 20_000],
    ]);
    expect(t.marks.map((m) => [m.label, m.at - T0])).toEqual([['resumed', 11_000]]);
  });

  it('cuts a long idle stretch out of the axis and says how long it was', () => {
    const svg = renderTimeline(t).text;
    expect(svg).not.toContain('class="break"');
    const later = buildTimeline({ ...state, finishedAt: iso(3 * 3600_000) }, [
      ...events,
      call('claude', 'driver', 'report/summary', 3 * 3600_000 - 5000, 1000),
    ]);
    const cut = renderTimeline(later).text;
    expect(cut).toContain('class="break"');
    expect(cut).toMatch(/⋯ 2 h 59 min/);
  });

  it('reads events.jsonl, skipping a torn line', () => {
    const owner = '{"at":"2025-01-01T00:00:00.000Z","type":"owner","pid":1}';
    expect(parseRunEvents(`${owner}\n{"type":"agent-ca\n\n`)).toEqual([
      { at: '2025-01-01T00:00:00.000Z', type: 'owner', pid: 1 },
    ]);
  });
});
