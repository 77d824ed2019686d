import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RunContext } from '../../../src/protocol/context.js';
import { Recall, recallMemory } from '../../../src/protocol/memory.js';
import { commitPlan } from '../../../src/protocol/plan.js';
import { checkPlanPaths } from '../../../src/protocol/plan-risk.js';
import type { EnginePorts } from '../../../src/protocol/ports.js';
import {
  agentStepSchema,
  BaselineStep,
  GateAttemptStep,
  JournalMismatch,
  PanelChoiceStep,
  PlanCommitStep,
  PlanPathsStep,
  ProtectedPathsStep,
  replayed,
  SkepticGoneStep,
  SubtaskApplyStep,
  UnavailableStep,
  VerifyCommandsStep,
  WorktreeStep,
} from '../../../src/protocol/replay.js';
import type { Plan } from '../../../src/protocol/schemas.js';
import type { RunState } from '../../../src/protocol/types.js';

/**
 * A resumed run replays recorded step results: each is checked against its step's schema, and a result of the wrong
 * shape stops the run naming the step instead of flowing on as a wrong type. Nothing here runs git or a process:
 * the contexts only replay.
 */

const fixture = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'records');

function replaying(steps: Record<string, unknown>, more: Partial<RunState> = {}): RunContext {
  const state = {
    ...more,
    runId: 'r1',
    roles: { driver: 'claude', skeptic: 'codex' },
    notes: [],
    reverts: [],
    outsideWrites: [],
    steps: Object.fromEntries(
      Object.entries(steps).map(([k, result]) => [k, { at: '2026-03-10T12:00:00Z', durationMs: 1, result }]),
    ),
  } as unknown as RunState;
  return new RunContext(state, {} as EnginePorts);
}

const agentStep = (answer: unknown) => ({
  agent: 'claude',
  answer,
  text: 'done',
  sessionId: 's1',
  durationMs: 5,
  permissionDenials: [],
  commit: null,
});

describe('journal results checked on replay', () => {
  it("a record written by an earlier duo replays through this duo's step schemas", () => {
    const state = JSON.parse(readFileSync(join(fixture, 'demo-pair-2026-11-25.json'), 'utf8'));
    const steps = state.steps as Record<string, { result: unknown }>;
    expect(() => replayed('workspace', steps.workspace?.result, WorktreeStep)).not.toThrow();
    expect(() => replayed('verify/commands', steps['verify/commands']?.result, VerifyCommandsStep)).not.toThrow();
    const gates = Object.keys(steps).filter((k) => /^verify\/a\d+\/gate$/.test(k));
    const calls = Object.keys(steps).filter((k) =>
      /\/(draft|critique|revise|driver|review|answer|recheck|diagnose)$/.test(k),
    );
    expect(gates.length).toBeGreaterThan(0);
    expect(calls.length).toBeGreaterThan(5);
    for (const k of gates) expect(() => replayed(k, steps[k]?.result, GateAttemptStep)).not.toThrow();
    expect(() => replayed('plan/commit', steps['plan/commit']?.result, PlanCommitStep)).not.toThrow();
    expect(() => replayed('gate/baseline', steps['gate/baseline']?.result, BaselineStep)).not.toThrow();
    for (const k of calls) expect(() => replayed(k, steps[k]?.result, agentStepSchema(z.unknown()))).not.toThrow();
  });

  it('a result of the wrong shape stops the run naming the step, and the step is not run again', async () => {
    const ctx = replaying({ 'verify/commands': [{ command: 'npm test', kind: 'tests', source: 'flag' }] });
    let ran = false;
    const replay = ctx.step(
      'verify/commands',
      async () => {
        ran = true;
        return [];
      },
      VerifyCommandsStep,
    );
    await expect(replay).rejects.toBeInstanceOf(JournalMismatch);
    await expect(replay).rejects.toThrow(/step "verify\/commands".*\n.*kind/s);
    expect(ran).toBe(false);
  });

  it('a result of the right shape comes back as recorded, extra fields kept', async () => {
    const recorded = [{ command: 'npm test', kind: 'test', source: 'flag', note: 'kept' }];
    const ctx = replaying({ 'verify/commands': recorded });
    expect(await ctx.step('verify/commands', async () => [], VerifyCommandsStep)).toBe(recorded);
  });

  it("an agent call's recorded answer is checked against the call's own answer schema", async () => {
    const Answer = z.object({ summary: z.string() });
    const spec = { purpose: 'implement' as const, access: 'read-only' as const, prompt: 'p', schema: Answer };
    const good = replaying({ 'implement/driver': agentStep({ summary: 'did it' }) });
    expect((await good.callAgent('implement/driver', 'driver', spec)).answer).toEqual({ summary: 'did it' });
    const bad = replaying({ 'implement/driver': agentStep({ summary: 42 }) });
    await expect(bad.callAgent('implement/driver', 'driver', spec)).rejects.toThrow(
      /step "implement\/driver"[\s\S]*answer\.summary/,
    );
    const textual = replaying({ 'plan/r1/draft': agentStep({ not: 'text' }) });
    await expect(
      textual.callAgent('plan/r1/draft', 'driver', { purpose: 'plan', access: 'read-only', prompt: 'p' }),
    ).rejects.toBeInstanceOf(JournalMismatch);
  });

  // Every other journaled step: what the code writes replays, and a tampered result stops the run naming the step.
  const steps: [string, z.ZodType, unknown, unknown][] = [
    ['gate/baseline', BaselineStep, { sha: 'abc', durationMs: 5, results: [] }, { sha: 'abc', results: 'none' }],
    ['memory', Recall, { declined: [], rules: [], adoption: [] }, { declined: 'all of them' }],
    ['review/r1/panel', PanelChoiceStep, { reviewers: ['codex'], skipped: [] }, { reviewers: 'codex' }],
    ['review/r1/claude/unavailable', UnavailableStep, { why: 'was out of room' }, { why: 7 }],
    ['plan/commit', PlanCommitStep, 'abc123', { sha: 'abc123' }],
    [
      'triage/plan-paths',
      PlanPathsStep,
      { hits: [], to: 'solo', roles: { driver: 'claude', skeptic: null, dispatcher: null, subtask: null }, reason: '' },
      { hits: [], to: 'trio', roles: { driver: 'claude' }, reason: '' },
    ],
    ['subtask/s1/apply', SubtaskApplyStep, { ok: true, conflicts: [], commit: 'abc' }, { ok: true, conflicts: ['a'] }],
    ['skeptic/unavailable', SkepticGoneStep, { failure: 'timeout', message: 'no answer' }, { failure: 'timeout' }],
    ['review/protected', ProtectedPathsStep, ['test/a.test.ts'], 'test/a.test.ts'],
  ];
  it.each(steps)('%s replays its own result and stops on a tampered one', async (key, schema, good, tampered) => {
    expect(await replaying({ [key]: good }).step(key, async () => good, schema)).toBe(good);
    let ran = false;
    const run = replaying({ [key]: tampered }).step(
      key,
      async () => {
        ran = true;
        return good;
      },
      schema,
    );
    await expect(run).rejects.toBeInstanceOf(JournalMismatch);
    await expect(run).rejects.toThrow(`step "${key}"`);
    expect(ran).toBe(false);
  });

  it('the plan commit and the plan-paths decision stop a resume on a tampered result, where they are taken', async () => {
    const plan = { summary: 's', approach: 'a', files: [], testChanges: [], tests: [], risks: [] } as unknown as Plan;
    const worktree = { path: '/nowhere', branch: 'duo/r1', baseSha: 'abc', includesUncommitted: false };
    const planned = replaying({ 'plan/commit': { sha: 'abc' } }, { plan, worktree } as Partial<RunState>);
    await expect(commitPlan(planned, [])).rejects.toThrow(/step "plan\/commit"/);
    const auto = replaying({ 'triage/plan-paths': { hits: 'migrations/' } }, {
      requestedMode: 'auto',
      mode: 'solo',
    } as Partial<RunState>);
    await expect(checkPlanPaths(auto, plan)).rejects.toBeInstanceOf(JournalMismatch);
    // The memory read back without a memory port (a resume elsewhere) is checked all the same.
    const remembered = replaying({ memory: { declined: 'all of them' } });
    await expect(recallMemory(remembered)).rejects.toThrow(/step "memory"/);
    expect(await recallMemory(replaying({ memory: { declined: [], rules: [], adoption: [] } }))).toEqual({
      declined: [],
      rules: [],
      adoption: [],
    });
  });
});
