import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { Scenario, ScriptedAgent } from '../../src/agents/scripted.js';
import { Config } from '../../src/config/schema.js';
import { createGate } from '../../src/gate/index.js';
import { createRunState, executeRun } from '../../src/protocol/engine.js';
import type { RepoMemory } from '../../src/protocol/memory.js';
import type { Decider, EnginePorts } from '../../src/protocol/ports.js';
import type { RunState } from '../../src/protocol/types.js';
import { indexMemory } from '../../src/record/memory.js';
import { RunStore } from '../../src/record/store.js';
import { createWorkspace } from '../../src/workspace/index.js';

/** Temp git repos and a one-call way to run the real engine on scripted agents against them. */
export function tempDir(prefix = 'duo-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** git in a test repo, output as text; a committer identity is set so commits work on any machine. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export function makeRepo(files: Record<string, string>): string {
  const repo = tempDir('duo-repo-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  git(repo, 'init', '-q', '-b', 'main');
  git(repo, 'add', '-A');
  git(repo, 'commit', '-qm', 'init');
  return repo;
}

export const SAMPLE = {
  'package.json': `${JSON.stringify({ name: 's', type: 'module', scripts: { test: 'node --test' } })}\n`,
  'src/x.js': 'export function x() {\n  return 1;\n}\n',
};

/** Hash of every file (incl. untracked, excluding .git and .duo) plus git's view of the index and status. */
export function treeFingerprint(repo: string): string {
  const h = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const p = join(dir, name);
      const rel = relative(repo, p);
      if (rel === '.git' || rel === '.duo') continue;
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else h.update(`${rel}\0${st.mode}\0`).update(readFileSync(p));
    }
  };
  walk(repo);
  h.update(execFileSync('git', ['status', '--porcelain=v2', '--untracked-files=all'], { cwd: repo }));
  h.update(execFileSync('git', ['ls-files', '--stage'], { cwd: repo }));
  h.update(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: repo }));
  return h.digest('hex');
}

export interface RunOpts {
  mode?: 'pair' | 'invert' | 'solo' | 'answer' | 'auto';
  verify?: string[];
  config?: Record<string, unknown>;
  decider?: Decider;
  signal?: AbortSignal;
  progress?: EnginePorts['progress'];
  task?: string;
  includeUncommitted?: boolean;
  /** The repository's memory (record/memory.ts), as the CLI hands it to the engine; or a made-up one. */
  memory?: boolean | RepoMemory;
  /** --panel: both agents review the diff. */
  panel?: boolean;
  budget?: EnginePorts['budget'];
  /** Every prompt sent, in order (what a test asserts the agents were told). */
  prompts?: SentPrompt[];
  /** Every call starts a fresh session, so each gets its full prompt (as with a lost session). */
  noResume?: boolean;
}

export interface SentPrompt {
  agent: string;
  purpose: string;
  prompt: string;
  resumed: boolean;
}

/** The engine's ports with the real run store (tests read the record's files through it). */
export type TestPorts = EnginePorts & { store: RunStore };

export function enginePorts(repo: string, scenario: unknown, opts: RunOpts = {}): TestPorts {
  const parsed = Scenario.parse(scenario);
  const config = Config.parse({ limits: { retryBaseMs: 1 }, ...(opts.config ?? {}) });
  const agents = new Map<string, ScriptedAgent>();
  const store = new RunStore(repo);
  return {
    agent: (name) => {
      const a = agents.get(name) ?? new ScriptedAgent(name, parsed);
      agents.set(name, a);
      if (!opts.prompts && !opts.noResume) return a;
      return {
        name: a.name,
        kind: a.kind,
        async run(call) {
          const fresh = opts.noResume ? { ...call, resume: undefined } : call;
          opts.prompts?.push({ agent: name, purpose: call.purpose, prompt: call.prompt, resumed: !!fresh.resume });
          const r = await a.run(fresh);
          return opts.noResume ? { ...r, sessionId: undefined } : r;
        },
      };
    },
    workspace: createWorkspace(repo),
    gate: createGate(),
    store,
    config,
    ...(opts.decider ? { decider: opts.decider } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(opts.progress ? { progress: opts.progress } : {}),
    ...(opts.memory ? { memory: opts.memory === true ? indexMemory(repo) : opts.memory } : {}),
    ...(opts.budget ? { budget: opts.budget } : {}),
  };
}

export async function runScenario(
  repo: string,
  scenario: unknown,
  opts: RunOpts = {},
): Promise<{ state: RunState; ports: TestPorts }> {
  const ports = enginePorts(repo, scenario, opts);
  const state = createRunState(
    ports,
    {
      task: opts.task ?? 'change x',
      mode: opts.mode ?? 'pair',
      options: {
        verify: opts.verify ?? [],
        includeUncommitted: !!opts.includeUncommitted,
        apply: false,
        ...(opts.panel ? { panel: true } : {}),
      },
    },
    repo,
  );
  ports.store.save(state);
  return { state: await executeRun(ports, state), ports };
}

export function report(ports: TestPorts, state: RunState): string {
  return ports.store.readText(state.runId, 'report.md') ?? '';
}
