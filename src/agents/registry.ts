import { ConfigError } from '../config/load.js';
import type { AgentConfig, Config } from '../config/schema.js';
import { ClaudeAgent } from './claude.js';
import { CodexAgent } from './codex.js';
import { CommandAgent } from './command.js';
import type { Agent } from './port.js';
import { loadScenario, ScriptedAgent } from './scripted.js';

/** Built-in agents need no config; anything else must be declared under `agents` in duo.config.json. */
const BUILT_IN: Record<string, AgentConfig> = {
  claude: { kind: 'claude', extraArgs: [], env: {} },
  codex: { kind: 'codex', extraArgs: [], env: {} },
};

export function agentConfig(config: Config, name: string): AgentConfig {
  const cfg = config.agents[name] ?? BUILT_IN[name];
  if (!cfg) {
    const known = [...new Set([...Object.keys(BUILT_IN), ...Object.keys(config.agents)])].join(', ');
    throw new ConfigError(
      `unknown agent "${name}". Known agents: ${known}. Define it under "agents" in duo.config.json ` +
        '(e.g. { "kind": "command", "argv": ["my-cli", "{prompt}"] }).',
    );
  }
  return cfg;
}

/** One instance per agent name for the whole run, so adapters can keep per-session state (e.g. usage totals). */
export function agentRegistry(config: Config, extraEnv: Record<string, string> = {}): (name: string) => Agent {
  const made = new Map<string, Agent>();
  return (name: string) => {
    let agent = made.get(name);
    if (!agent) {
      agent = createAgent(name, agentConfig(config, name), extraEnv);
      made.set(name, agent);
    }
    return agent;
  };
}

export function createAgent(name: string, cfg: AgentConfig, extraEnv: Record<string, string> = {}): Agent {
  switch (cfg.kind) {
    case 'claude':
      return new ClaudeAgent(name, cfg, { env: extraEnv });
    case 'codex':
      return new CodexAgent(name, cfg, { env: extraEnv });
    case 'command':
      return new CommandAgent(name, cfg, { env: extraEnv });
    case 'scripted':
      return new ScriptedAgent(name, loadScenario(cfg.scenario));
  }
}
