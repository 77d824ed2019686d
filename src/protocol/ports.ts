/**
 * What the engine runs on. The protocol talks only to these: tests hand it scripted agents, temp repos and fault
 * hooks; the CLI hands it the real ones (cli/setup.ts). Nothing below reads the environment or the terminal.
 */

import type { Agent } from '../agents/port.js';
import type { Budget } from '../budget/budget.js';
import type { Config } from '../config/schema.js';
import type { Gate } from '../gate/types.js';
import type { Workspace } from '../workspace/types.js';
import type { RepoMemory } from './memory.js';
import type { ProgressEvent, RunEvent } from './run-events.js';
import type { Decision, DecisionCard, RunState } from './types.js';

/** Asks the human. Returns null when it cannot ask (no TTY, --yes): the run then waits for `duo decide`. */
export interface Decider {
  decide(card: DecisionCard): Promise<Omit<Decision, 'decidedAt'> | null>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    }),
};

/** The run record, as the engine uses it (record/store.ts is the implementation). */
export interface RunRecord {
  save(state: RunState): void;
  load(runId: string): RunState;
  appendEvent(runId: string, event: RunEvent): void;
  /** The run's folder (its files, its lock). */
  dir(runId: string): string;
  /** Where the full output of the run's verify commands goes. */
  verifyLogDir(runId: string): string;
  /** A process the run started (agent CLI, verify command) began or ended: a resume after a crash stops leftovers. */
  trackProcess(runId: string, kind: 'agent' | 'verify', pid: number, state: 'started' | 'exited'): void;
  /** Stops the processes a killed duo left running for this run. */
  reapProcesses(runId: string): Promise<{ count: number; agents: number; verify: number; summary: string }>;
  /** The human artefacts from the state: report.md, plan.md, disagreements.md and the log across runs. */
  writeArtifacts(state: RunState): Promise<void>;
}

/** Fault injection for the resilience suite: die hard, or be interrupted, right after a step is on disk. */
export interface Faults {
  afterStep?(key: string): void;
}

export interface EnginePorts {
  agent(name: string): Agent;
  workspace: Workspace;
  gate: Gate;
  store: RunRecord;
  config: Config;
  clock?: Clock;
  decider?: Decider;
  progress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** The per-user usage ledger: every call is recorded there, and auto mode and spend caps read it. */
  budget?: Budget;
  faults?: Faults;
  /** The repository's memory of declined findings, its house rules and adoption figures (record/memory.ts). */
  memory?: RepoMemory;
}
