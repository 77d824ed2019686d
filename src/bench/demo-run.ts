/**
 * The demo's pair run, on scripted agents, as the bench runs it again and again: in a new sample repository (or a
 * given one), with the agents' latency, config and options each measurement needs, and the prompt bytes counted.
 */

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Agent } from '../agents/port.js';
import { Scenario, ScriptedAgent } from '../agents/scripted.js';
import { Config } from '../config/schema.js';
import { DEMO_TASK, demoScenarioWithLatency, writeSampleRepo } from '../demo/sample.js';
import { createGate } from '../gate/index.js';
import { createRunState, executeRun } from '../protocol/engine.js';
import type { EnginePorts } from '../protocol/ports.js';
import type { RunState } from '../protocol/types.js';
import { indexMemory } from '../record/memory.js';
import { RunStore } from '../record/store.js';
import { createWorkspace } from '../workspace/index.js';
import type { Workspace } from '../workspace/types.js';

export function sampleRepo(): string {
  return writeSampleRepo(join(mkdtempSync(join(tmpdir(), 'duo-bench-')), 'repo'));
}

export function scenario(latencyMs: number): Scenario {
  return Scenario.parse(demoScenarioWithLatency(latencyMs));
}

export interface Wire {
  /** Bytes of prompt duo sent the agents. */
  bytes: number;
  /** Forget every session: each call then carries its full prompt (what a duo without resume would send). */
  noResume?: boolean;
}

export function ports(
  repo: string,
  s: Scenario,
  config: Record<string, unknown> = {},
  wire?: Wire,
  extra: Partial<EnginePorts> = {},
): EnginePorts {
  const agents = new Map<string, Agent>();
  return {
    agent: (name) => {
      let a = agents.get(name);
      if (!a) {
        const scripted = new ScriptedAgent(name, s);
        a = wire ? metered(scripted, wire) : scripted;
        agents.set(name, a);
      }
      return a;
    },
    workspace: createWorkspace(repo),
    gate: createGate(),
    store: new RunStore(repo),
    config: Config.parse({ limits: { retryBaseMs: 1 }, ...config }),
    ...extra,
  };
}

/** Counts the prompt bytes sent through an agent; optionally hides its session ids so nothing is resumed. */
function metered(agent: Agent, wire: Wire): Agent {
  return {
    name: agent.name,
    kind: agent.kind,
    async run(call) {
      wire.bytes += Buffer.byteLength(call.prompt);
      const r = await agent.run(wire.noResume ? { ...call, resume: undefined } : call);
      if (!wire.noResume) return r;
      const { sessionId: _dropped, ...rest } = r;
      return rest;
    },
  };
}

export async function demoRun(
  latencyMs: number,
  config: Record<string, unknown> = {},
  verify: string[] = [],
  wire?: Wire,
  s: Scenario = scenario(latencyMs),
  /** Run in this repository (default: a new sample), with its memory and these options; `workspace` wraps the port. */
  at: {
    repo?: string;
    memory?: boolean;
    panel?: boolean;
    progress?: EnginePorts['progress'];
    workspace?: (ws: Workspace) => Workspace;
  } = {},
): Promise<{ ms: number; state: RunState; repo: string }> {
  const repo = at.repo ?? sampleRepo();
  const p = ports(repo, s, config, wire, {
    ...(at.memory ? { memory: indexMemory(repo) } : {}),
    ...(at.progress ? { progress: at.progress } : {}),
    ...(at.workspace ? { workspace: at.workspace(createWorkspace(repo)) } : {}),
  });
  const state = createRunState(
    p,
    {
      task: DEMO_TASK,
      mode: 'pair',
      options: { verify, includeUncommitted: false, apply: false, ...(at.panel ? { panel: true } : {}) },
    },
    repo,
  );
  p.store.save(state);
  const t0 = performance.now();
  const done = await executeRun(p, state);
  const ms = performance.now() - t0;
  if (done.status !== 'green') throw new Error(`bench run ended ${done.status}`);
  return { ms, state: done, repo };
}
