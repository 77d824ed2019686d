import { agentRegistry } from '../agents/registry.js';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { createGate } from '../gate/index.js';
import type { EnginePorts } from '../protocol/context.js';
import { RunStore } from '../record/store.js';
import { createWorkspace, ensureRecordExcluded, findRepoRoot } from '../workspace/index.js';

/** The real ports for a CLI invocation in `cwd`. */
export interface Session {
  repoRoot: string;
  config: Config;
  configPath: string | null;
  store: RunStore;
  ports: Omit<EnginePorts, 'progress' | 'decider' | 'signal'>;
}

export async function openSession(cwd: string, configFile?: string): Promise<Session> {
  const repoRoot = await findRepoRoot(cwd);
  const { config, path } = loadConfig(repoRoot, configFile);
  ensureRecordExcluded(repoRoot);
  const store = new RunStore(repoRoot);
  return {
    repoRoot,
    config,
    configPath: path,
    store,
    ports: {
      agent: agentRegistry(config),
      workspace: createWorkspace(repoRoot),
      gate: createGate(),
      store,
      config,
    },
  };
}
