import { agentConfig, agentRegistry } from '../agents/registry.js';
import { Budget } from '../budget/budget.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createGate } from '../gate/index.js';
import type { EnginePorts } from '../protocol/ports.js';
import { resumeConfig } from '../protocol/run-config.js';
import type { RunState } from '../protocol/types.js';
import { acquireRunLock } from '../record/lock.js';
import { resolveRunRef } from '../record/run-ref.js';
import { RunStore, unknownRun } from '../record/store.js';
import { createWorkspace, ensureRecordExcluded, findRepoRoot } from '../workspace/index.js';
import { faultsFromEnv } from './faults.js';

export interface Session {
  repoRoot: string;
  config: Config;
  configPath: string | null;
  store: RunStore;
  budget: Budget;
  ports: Omit<EnginePorts, 'progress' | 'decider' | 'signal'>;
}

/** The real ports for a CLI invocation in `cwd`. Writes nothing: a command creates records only once its arguments hold. */
export async function openSession(cwd: string, configFile?: string): Promise<Session> {
  const repoRoot = await findRepoRoot(cwd);
  const { config, path } = loadConfig(repoRoot, configFile);
  return sessionFor(repoRoot, config, path);
}

/**
 * The session that continues a run: on the configuration the run started with (protocol/run-config.ts), or the one
 * `--config` names instead. The repository's current config is not read unless the record has none.
 */
export async function openRunSession(
  cwd: string,
  /** What the user typed for the run: its id, a unique start of it, `last`, or nothing (the newest run). */
  ref: string | undefined,
  configFile?: string,
): Promise<{ session: Session; state: RunState; configNote: string | null }> {
  const repoRoot = await findRepoRoot(cwd);
  const store = new RunStore(repoRoot);
  const state = store.load(await resolveRunRef(repoRoot, store.root, ref));
  const chosen = resumeConfig(state, repoRoot, configFile, new Date().toISOString());
  state.config = chosen.record;
  return { session: sessionFor(repoRoot, chosen.config, chosen.path), state, configNote: chosen.note };
}

function sessionFor(repoRoot: string, config: Config, path: string | null): Session {
  const ports = enginePortsFor(repoRoot, config);
  return { repoRoot, config, configPath: path, store: ports.store, budget: ports.budget, ports };
}

/**
 * The engine's real ports for runs in `repoRoot` with `config`: a CLI session's, and each sealed checkout's in
 * `duo eval run` (which brings the user's config to a repository that is not theirs).
 */
export function enginePortsFor(
  repoRoot: string,
  config: Config,
): Session['ports'] & { store: RunStore; budget: Budget } {
  const store = new RunStore(repoRoot);
  const budget = Budget.forUser(config, agentKinds(config));
  const faults = faultsFromEnv();
  return {
    budget,
    agent: agentRegistry(config),
    workspace: createWorkspace(repoRoot),
    gate: createGate(),
    store,
    config,
    // Loaded when a run takes its memory, not by every command that opens a session.
    memory: { recall: async (runId) => (await import('../record/memory.js')).indexMemory(repoRoot).recall(runId) },
    ...(faults ? { faults } : {}),
  };
}

/** Before the first record is written: keep `.duo/` out of git (through .git/info/exclude). */
export function prepareRecords(session: Session): void {
  ensureRecordExcluded(session.repoRoot);
}

/** The run a user's reference means: the newest when there is none (or `last`), else an id or a unique start of one. */
export function resolveRun(session: Pick<Session, 'repoRoot' | 'store'>, ref: string | undefined): Promise<string> {
  return resolveRunRef(session.repoRoot, session.store.root, ref);
}

/** Holds a run's lock (one process per run); a run id that names no run says so in the one wording for it. */
export function lockRun(session: Session, runId: string): () => void {
  if (!session.store.exists(runId)) throw unknownRun(runId);
  return acquireRunLock(session.store.dir(runId));
}

/** Each configured or built-in agent's kind, so the budget can say why a figure is unknown (an API-key login…). */
export function agentKinds(config: Config): Record<string, string> {
  const kinds: Record<string, string> = {};
  for (const name of new Set([
    'claude',
    'codex',
    config.roles.driver,
    config.roles.skeptic,
    ...Object.keys(config.agents),
  ])) {
    try {
      kinds[name] = agentConfig(config, name).kind;
    } catch {
      // An unknown name is reported where it is used.
    }
  }
  return kinds;
}
