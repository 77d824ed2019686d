import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ClaudeAgent } from '../../src/agents/claude.js';
import { CodexAgent } from '../../src/agents/codex.js';
import type { AgentError } from '../../src/agents/failure.js';
import { anthropicWriter } from '../sim/anthropic.js';
import { openaiWriter } from '../sim/openai.js';
import { type Simulator, startSimulator } from '../sim/server.js';
import { claudeSimEnv } from './claude-env.js';
import { codexSimConfig } from './codex-env.js';
import { tempDir } from './harness.js';
import { ensureRealAgents, type RealAgents } from './real-agents.js';

/** The real pinned CLIs and a model simulator speaking both protocols, for the contract tests. */
export async function simulator(): Promise<Simulator> {
  return startSimulator({ anthropic: anthropicWriter, openai: openaiWriter });
}

export function realAgents(): RealAgents {
  return ensureRealAgents();
}

type ClaudeOpts = {
  model?: string;
  maxTurns?: number;
  extraArgs?: string[];
  env?: Record<string, string>;
  path?: string;
  /** Log in with a (simulated) subscription token instead of an API key. */
  subscription?: boolean;
};

export function claudeAgent(sim: Simulator, opts: ClaudeOpts = {}): ClaudeAgent {
  const { env, subscription, ...rest } = opts;
  return new ClaudeAgent(
    'claude',
    {
      kind: 'claude',
      path: realAgents().claude,
      extraArgs: [],
      env: claudeSimEnv(sim.url, env, { subscription: !!subscription }),
      ...rest,
    },
    { env: {} },
  );
}

type CodexOpts = { model?: string; extraArgs?: string[]; env?: Record<string, string>; path?: string };

export function codexAgent(sim: Simulator, opts: CodexOpts = {}): CodexAgent {
  const c = codexSimConfig(sim.url);
  const { env, extraArgs, ...rest } = opts;
  return new CodexAgent(
    'codex',
    {
      kind: 'codex',
      path: realAgents().codex,
      extraArgs: [...c.extraArgs, ...(extraArgs ?? [])],
      env: { ...c.env, ...env },
      ...rest,
    },
    { env: {} },
  );
}

/** All the text a request carried (messages, system, tool results), for asserting on what was sent. */
export function requestText(body: unknown): string {
  return JSON.stringify(body ?? '');
}

/** A duo.config.json giving both roles the real pinned CLIs, pointed at the simulator (or any model URL). */
export function realAgentsConfig(
  modelUrl: string,
  limits: Record<string, number> = {},
  opts: { subscription?: boolean; extra?: Record<string, unknown> } = {},
): string {
  const bins = realAgents();
  const codex = codexSimConfig(modelUrl);
  const file = join(tempDir('duo-e2e-cfg-'), 'duo.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      agents: {
        claude: {
          kind: 'claude',
          path: bins.claude,
          env: claudeSimEnv(modelUrl, {}, { subscription: !!opts.subscription }),
        },
        codex: { kind: 'codex', path: bins.codex, env: codex.env, extraArgs: codex.extraArgs },
      },
      limits: { retryBaseMs: 10, ...limits },
      ...(opts.extra ?? {}),
    }),
  );
  return file;
}

/** The AgentError a call fails with; a call that succeeds fails the test. */
export function failureOf(p: Promise<unknown>): Promise<AgentError> {
  return p.then(
    () => {
      throw new Error('expected the call to fail');
    },
    (e: AgentError) => e,
  );
}
