import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { Agent, AgentCall, Purpose } from '../../src/agents/port.js';
import { runVerifyCommand } from '../../src/gate/run.js';
import { createRunState, executeRun } from '../../src/protocol/engine.js';
import type { RunState } from '../../src/protocol/types.js';
import { applyRun } from '../../src/workspace/index.js';
import { enginePorts, type RunOpts, type TestPorts } from './harness.js';

/**
 * A driver that does more than its scripted writes: after a call of the given purpose, `effect` runs in the call's
 * folder with everything a process of the agent could do (shell out, chmod, git plumbing, write through links).
 */
export type Effect = (cwd: string, call: AgentCall) => void;

export function withEffects(ports: TestPorts, agentName: string, effects: Partial<Record<Purpose, Effect>>): TestPorts {
  const inner = ports.agent;
  return {
    ...ports,
    agent: (name: string): Agent => {
      const agent = inner(name);
      if (name !== agentName) return agent;
      const run = async <T>(call: AgentCall<T>) => {
        const r = await agent.run(call);
        effects[call.purpose]?.(call.cwd, call as AgentCall);
        return r;
      };
      return Object.assign(Object.create(agent) as Agent, { run });
    },
  };
}

/** runScenario, with a hostile driver's effects. */
export async function runBent(
  repo: string,
  scenario: unknown,
  effects: Partial<Record<Purpose, Effect>>,
  opts: RunOpts = {},
): Promise<{ state: RunState; ports: TestPorts }> {
  const ports = withEffects(enginePorts(repo, scenario, opts), 'claude', effects);
  const state = createRunState(
    ports,
    {
      task: opts.task ?? 'change x',
      mode: opts.mode ?? 'pair',
      options: { verify: opts.verify ?? [], includeUncommitted: !!opts.includeUncommitted, apply: false },
    },
    repo,
  );
  ports.store.save(state);
  return { state: await executeRun(ports, state), ports };
}

/**
 * The gate's promise, checked: a run duo calls green is applied into the user's own tree (with the user's own
 * dependencies), the same commands run there, and they pass there too.
 */
export async function expectGreenAfterApply(repo: string, state: RunState): Promise<void> {
  expect(state.status).toBe('green');
  const wt = state.worktree as NonNullable<RunState['worktree']>;
  await applyRun(repo, { branch: wt.branch, baseSha: wt.baseSha });
  const logs = mkdtempSync(join(tmpdir(), 'duo-after-apply-'));
  const last = state.verify.at(-1);
  expect(last?.results.length).toBeGreaterThan(0);
  for (const [i, r] of (last?.results ?? []).entries()) {
    const mine = await runVerifyCommand(
      { command: r.command, kind: r.kind, source: 'test' },
      { cwd: repo, logFile: join(logs, `${i}.log`), timeoutMs: 60_000 },
    );
    expect({ command: r.command, passed: mine.passed, output: mine.passed ? '' : mine.output }).toEqual({
      command: r.command,
      passed: true,
      output: '',
    });
  }
}
