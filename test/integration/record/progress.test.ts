import { mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Role, RunEvent } from '../../../src/protocol/run-events.js';
import { activityLine, clock, DETACHED_LOG, runProgress } from '../../../src/record/progress.js';
import { ownerRecord } from '../../../src/record/run-owner.js';
import { RunStore } from '../../../src/record/store.js';
import { entry, runState, WORKTREE } from '../../support/state.js';

type AgentEventLine = Extract<RunEvent, { event: unknown }>;

/** Where a run is, from its record alone: what `duo status`, `duo wait` and the MCP server show. */
function store(): RunStore {
  return new RunStore(mkdtempSync(join(tmpdir(), 'duo-progress-')));
}
const progress = (phase: string, round?: number): RunEvent => ({
  type: 'progress',
  progress: { type: 'phase', phase, ...(round === undefined ? {} : { round }) },
});
const agent = (state: 'start' | 'end', agentName: string, purpose: string, role: Role = 'driver'): RunEvent => ({
  type: 'progress',
  progress: { type: 'agent', role, agent: agentName, purpose, state },
});
const verifyEvent = (state: 'start' | 'end', command: string): RunEvent => ({
  type: 'progress',
  progress: { type: 'verify', command, state },
});

describe('runProgress', () => {
  it('a live run: the phase and round last announced, who is doing what, the commands the gate runs', () => {
    const s = store();
    const state = runState({ status: 'running', phase: 'plan', owner: ownerRecord(process.pid), worktree: WORKTREE });
    s.save(state);
    for (const e of [
      { type: 'owner', pid: 1 } as RunEvent,
      progress('plan', 1),
      agent('start', 'claude', 'plan'),
      agent('end', 'claude', 'plan'),
      agent('start', 'codex', 'critique', 'skeptic'),
      agent('end', 'codex', 'critique', 'skeptic'),
      progress('review', 2),
      agent('start', 'claude', 'answer-findings'),
      verifyEvent('start', 'npm test'),
      verifyEvent('start', 'npm run lint'),
      verifyEvent('end', 'npm run lint'),
    ])
      s.appendEvent(state.runId, e);
    const p = runProgress(s, state, new Date(Date.parse(state.createdAt) + 75_000));
    expect(p).toMatchObject({
      status: 'running',
      phase: 'review',
      round: 2,
      elapsedMs: 75_000,
      verifying: ['npm test'],
    });
    expect(p.agents).toEqual([
      {
        agent: 'claude',
        roles: ['driver'],
        doing: 'answer-findings',
        since: expect.any(String),
        activity: null,
        trouble: null,
      },
      { agent: 'codex', roles: ['skeptic'], doing: null, since: null, activity: null, trouble: null },
    ]);
    expect(activityLine(p)).toBe('review (round 2) · claude (driver): answer-findings · verifying: $ npm test');
    expect(p.next).toContain('duo wait run-1');
    expect(p.logTail).toBeNull();
  });

  it('live activity and trouble: the file an agent edits, the command it runs, the errors it reports while it goes on', () => {
    const s = store();
    const state = runState({ status: 'running', owner: ownerRecord(process.pid) });
    s.save(state);
    const step = 'implement';
    const ev = (
      type: 'agent-file_change' | 'agent-command' | 'agent-error',
      event: AgentEventLine['event'],
      who = 'claude',
    ) => s.appendEvent(state.runId, { type, step, agent: who, event });
    s.appendEvent(state.runId, agent('start', 'claude', 'implement'));
    ev('agent-file_change', { type: 'file_change', path: 'src/x.js', kind: 'edit' });
    ev('agent-command', { type: 'command', command: 'npm test' });
    let p = runProgress(s, state);
    expect(p.agents[0]).toMatchObject({ doing: 'implement', activity: { kind: 'command', text: 'npm test' } });
    expect(activityLine(p)).toBe('plan · claude (driver): implement — $ npm test');

    // Reconnecting notices are counted, and the line says so; a hostile escape in a message is shown, not obeyed.
    const reconnect = 'Reconnecting... waiting for network (Connection failed: error sending request)';
    ev('agent-error', { type: 'error', message: reconnect, fatal: false });
    ev('agent-error', { type: 'error', message: `${reconnect}\x1b[2J`, fatal: false });
    p = runProgress(s, state);
    expect(p.agents[0]?.trouble).toMatchObject({ message: `${reconnect}\x1b[2J`, count: 2 });
    expect(activityLine(p)).toContain(`⚠ ${reconnect}\\x1b[2J (×2)`);
    expect(activityLine(p)).not.toContain('\x1b');

    // The call fails and is tried again: the failure stays as the why; a call that then ends well clears it.
    s.appendEvent(state.runId, {
      type: 'agent-failure',
      step,
      agent: 'claude',
      role: 'driver',
      attempt: 0,
      failure: 'unreachable',
      message: 'claude: no network, or the model API is unreachable',
      startedAt: new Date().toISOString(),
      durationMs: 60_000,
    });
    s.appendEvent(state.runId, agent('start', 'claude', 'implement'));
    p = runProgress(s, state);
    expect(p.agents[0]).toMatchObject({
      doing: 'implement',
      activity: null,
      trouble: { message: 'claude: no network, or the model API is unreachable', count: 3 },
    });
    s.appendEvent(state.runId, agent('end', 'claude', 'implement'));
    expect(runProgress(s, state).agents[0]).toMatchObject({ doing: null, activity: null, trouble: null });
  });

  it('a new owner or a failed call clears what was in flight; a torn last line is skipped', () => {
    const s = store();
    const state = runState({ status: 'running', owner: ownerRecord(process.pid) });
    s.save(state);
    s.appendEvent(state.runId, agent('start', 'claude', 'implement'));
    s.appendEvent(state.runId, { type: 'owner', pid: 2 });
    s.appendEvent(state.runId, agent('start', 'codex', 'review', 'skeptic'));
    s.appendEvent(state.runId, {
      type: 'agent-failure',
      step: 'review/r1/review',
      agent: 'codex',
      role: 'skeptic',
      attempt: 0,
      failure: 'crashed',
      message: 'crashed',
      startedAt: new Date().toISOString(),
      durationMs: 1,
    });
    writeFileSync(join(s.dir(state.runId), 'events.jsonl'), '{"type":"progr', { flag: 'a' });
    expect(runProgress(s, state).agents.every((a) => a.doing === null)).toBe(true);
  });

  it('an owner that is gone reads as interrupted: nobody is doing anything, the log tail says how it ended', () => {
    const s = store();
    const state = runState({ status: 'running', owner: { pid: 2 ** 30, host: hostname(), start: '1' } });
    s.save(state);
    s.appendEvent(state.runId, agent('start', 'claude', 'implement'));
    writeFileSync(join(s.dir(state.runId), DETACHED_LOG), `${'x\n'.repeat(30)}Error: boom\n`);
    const p = runProgress(s, state);
    expect(p).toMatchObject({ status: 'interrupted', owner: { alive: false } });
    expect(p.agents.every((a) => a.doing === null)).toBe(true);
    expect(p.logTail?.split('\n')).toHaveLength(15);
    expect(p.logTail).toMatch(/Error: boom$/);
    expect(p.next).toContain('duo resume run-1');
  });

  it('a run its process saved on the way out (cancelled): no log tail, so the next step is said once', () => {
    const s = store();
    const state = runState({ status: 'interrupted', owner: null });
    s.save(state);
    writeFileSync(join(s.dir(state.runId), DETACHED_LOG), `stopping…\nnext: duo resume ${state.runId} continues\n`);
    const p = runProgress(s, state);
    expect(p.status).toBe('interrupted');
    expect(p.logTail).toBeNull();
    expect(p.log).not.toBeNull();
  });

  it('a finished run: its headline, findings standing, cards still open, elapsed to the finish', () => {
    const s = store();
    const state = runState({
      status: 'awaiting-decision',
      finishedAt: null,
      updatedAt: '2025-01-01T00:02:00.000Z',
      findings: [entry('R1', { phase: 'review' }, { severity: 'blocker' })],
      cards: [
        {
          id: 'card-R1',
          phase: 'review',
          findingId: 'R1',
          question: 'is it safe?',
          driverPosition: 'yes',
          skepticPosition: 'no',
          stakes: 'data loss',
          createdAt: 't',
        },
      ],
    });
    s.save(state);
    const p = runProgress(s, state);
    expect(p).toMatchObject({
      status: 'awaiting-decision',
      elapsedMs: 120_000,
      findings: { total: 1, open: 1, standing: 1 },
      cards: [{ id: 'card-R1', question: 'is it safe?' }],
    });
    expect(p.headline).toMatch(/^WAITING FOR YOU/);
    expect(p.next).toContain('duo decide run-1 card-R1');
  });

  it('clock: mm:ss, and h:mm:ss past an hour', () => {
    expect(clock(0)).toBe('00:00');
    expect(clock(75_999)).toBe('01:15');
    expect(clock(3_725_000)).toBe('1:02:05');
  });
});
