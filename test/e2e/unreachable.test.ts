import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ClaudeAgent } from '../../src/agents/claude.js';
import { CodexAgent } from '../../src/agents/codex.js';
import type { AgentEvent } from '../../src/agents/events.js';
import type { AgentCall } from '../../src/agents/port.js';
import { Critique } from '../../src/protocol/schemas.js';
import { claudeSimEnv } from '../support/claude-env.js';
import { parseJson, runCli } from '../support/cli.js';
import { codexSimConfig } from '../support/codex-env.js';
import { makeRepo } from '../support/harness.js';
import { failureOf, realAgents, realAgentsConfig } from '../support/sim-agents.js';

/**
 * The real pinned CLIs with no model to reach (a dead port on loopback), and with arguments they refuse: what each
 * does by itself, and what duo makes of it. Measured on these versions: Codex never gives up — it prints
 * "Reconnecting... waiting for network" for as long as it runs, with its own retries off or on — and Claude Code
 * fails at once with its retries off but retries for about three minutes with them on. So duo's stall watch must
 * end the call, and every failure must carry the CLI's own words for the cause.
 */
const DEAD = 'http://127.0.0.1:9';
const STALL_MS = 3_000;

let repo: string;
beforeAll(() => {
  realAgents();
  repo = makeRepo({ 'README.md': '# sample\n' });
});

function codex(extraArgs: string[] = []): CodexAgent {
  const c = codexSimConfig(DEAD);
  return new CodexAgent(
    'codex',
    { kind: 'codex', path: realAgents().codex, extraArgs: [...c.extraArgs, ...extraArgs], env: c.env },
    { env: {} },
  );
}

function claude(env: Record<string, string> = {}, extraArgs: string[] = []): ClaudeAgent {
  return new ClaudeAgent(
    'claude',
    { kind: 'claude', path: realAgents().claude, extraArgs, env: claudeSimEnv(DEAD, env) },
    { env: {} },
  );
}

const call = (events: AgentEvent[], extra: Partial<AgentCall<unknown>> = {}): AgentCall<unknown> => ({
  purpose: 'review',
  prompt: 'Review.',
  cwd: repo,
  access: 'read-only',
  schema: Critique,
  idleTimeoutMs: 120_000,
  onEvent: (e) => events.push(e),
  ...extra,
});

describe('no network: a bounded, named failure instead of a silent hang', () => {
  it('codex reconnects forever by itself; the stall watch ends it as unreachable, with its own words', async () => {
    const events: AgentEvent[] = [];
    const started = Date.now();
    const e = await failureOf(codex().run(call(events, { stallTimeoutMs: STALL_MS })));
    const took = Date.now() - started;
    expect(e.failure).toBe('unreachable');
    expect(e.retryable).toBe(true);
    expect(e.message).toMatch(/^codex: no network, or the model API is unreachable: no model progress for \d+ s/);
    expect(e.message).toContain('Reconnecting... waiting for network');
    expect(e.hint).toMatch(/duo resume/);
    expect(took).toBeGreaterThanOrEqual(STALL_MS);
    expect(took).toBeLessThan(STALL_MS + 10_000);
    // The reconnects were reported as they came (they reach the progress line, status and wait from there).
    expect(events.some((x) => x.type === 'error' && !x.fatal && /Reconnecting/.test(x.message))).toBe(true);
  });

  it('without the watch codex is still reconnecting when the call’s time limit stops it', async () => {
    const e = await failureOf(codex().run(call([], { timeoutMs: STALL_MS * 2 })));
    expect(e.failure).toBe('timeout');
  });

  it('claude with its own retries off fails at once, and the message names the cause (ECONNREFUSED)', async () => {
    const started = Date.now();
    const e = await failureOf(claude().run(call([])));
    expect(e.failure).toBe('unreachable');
    expect(e.message).toMatch(/^claude: no network, or the model API is unreachable: .*ECONNREFUSED/);
    expect(Date.now() - started).toBeLessThan(15_000);
  });

  it('claude with its own retries on is ended by the watch, its API retries reported as they come', async () => {
    const events: AgentEvent[] = [];
    const e = await failureOf(
      claude({ CLAUDE_CODE_MAX_RETRIES: '10' }).run(call(events, { stallTimeoutMs: STALL_MS })),
    );
    expect(e.failure).toBe('unreachable');
    expect(e.message).toContain('the API request got no response');
    const retries = events.filter((x) => x.type === 'error' && /retry \d+ of 10/.test(x.message));
    expect(retries.length).toBeGreaterThan(0);
  });
});

describe('failures a retry cannot fix are final, and say why in the CLI’s words', () => {
  it('a flag claude does not know: rejected, with its message, not retryable', async () => {
    const e = await failureOf(claude({}, ['--no-such-flag']).run(call([])));
    expect(e.failure).toBe('rejected');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain("unknown option '--no-such-flag'");
  });

  it('a flag codex does not know: rejected, with its message, not retryable', async () => {
    const e = await failureOf(codex(['--no-such-flag']).run(call([])));
    expect(e.failure).toBe('rejected');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain("unexpected argument '--no-such-flag'");
  });

  it('claude given an id that is no session at all (another agent’s): session-lost, so duo starts a fresh one', async () => {
    const e = await failureOf(claude().run(call([], { resume: 'claude-session-1' })));
    expect(e.failure).toBe('session-lost');
    expect(e.message).toContain('--resume requires a valid session ID');
  });
});

describe('duo review with no network, as the user sees it', () => {
  interface Status {
    status: string;
    agents: { agent: string; doing: string | null; trouble: { message: string; count: number } | null }[];
  }
  interface Summary {
    status: string;
    error: { message: string; hint: string | null; detail?: string | null } | null;
    reportPath: string;
  }

  it('the reconnects show in status and wait; it fails within the bounds, retried once, saying why and how to resume', async () => {
    const work = makeRepo({ 'src/x.js': 'export const x = 1;\n' });
    writeFileSync(join(work, 'src/x.js'), 'export const x = 2;\n');
    const config = realAgentsConfig(DEAD, { networkTimeoutMs: STALL_MS, retries: 1, retryBaseMs: 10 });
    const started = Date.now();
    const d = await runCli(['review', '--detach', '--json', '--config', config, '--verify', 'node --test'], {
      cwd: work,
    });
    expect(d.exitCode, d.stderr).toBe(0);
    const { runId } = parseJson<{ runId: string }>(d.stdout);

    // While codex reconnects, `duo status` says so for the skeptic: the message and how many times.
    let seen: Status | undefined;
    for (let i = 0; i < 100 && !seen; i++) {
      const s = parseJson<Status>((await runCli(['status', runId, '--json'], { cwd: work })).stdout);
      if (s.agents.some((a) => a.trouble && /Reconnecting/.test(a.trouble.message))) seen = s;
      else await new Promise((r) => setTimeout(r, 100));
    }
    expect(seen?.status).toBe('running');
    expect(seen?.agents.find((a) => a.agent === 'codex')).toMatchObject({ doing: 'review' });

    const w = await runCli(['wait', runId], { cwd: work });
    const took = Date.now() - started;
    expect(w.exitCode).toBe(1);
    // Progress on stderr named the trouble; the result on stdout names the cause and what to do.
    expect(w.stderr).toMatch(/codex \(skeptic\): review — ⚠ Reconnecting\.\.\. waiting for network/);
    expect(w.stdout).toContain('error: codex: no network, or the model API is unreachable');
    expect(w.stdout).toContain(`what to do: No network, or the model API cannot be reached`);
    expect(w.stdout).toContain(`duo resume ${runId}`);
    // Two attempts of STALL_MS each and a short backoff: bounded, not the ten minutes and more of before.
    expect(took).toBeLessThan(2 * STALL_MS + 30_000);

    const json = parseJson<Summary>((await runCli(['show', runId, '--json'], { cwd: work })).stdout);
    expect(json.status).toBe('failed');
    expect(json.error?.message).toMatch(/^codex: no network, or the model API is unreachable: no model progress/);
    expect(json.error?.detail).toContain('Reconnecting');
    const report = readFileSync(json.reportPath, 'utf8');
    expect(report).toContain('**Error:** codex: no network, or the model API is unreachable');
    const failures = readFileSync(join(work, '.duo', 'runs', runId, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"agent-failure"'));
    expect(failures.map((l) => JSON.parse(l).failure)).toEqual(['unreachable', 'unreachable']);
  });

  it('a flag the driver refuses: failed at the first attempt, its own message in the terminal, report and --json', async () => {
    const work = makeRepo({ 'src/x.js': 'export const x = 1;\n' });
    const config = realAgentsConfig(DEAD, { retries: 2, retryBaseMs: 10 });
    const raw = JSON.parse(readFileSync(config, 'utf8'));
    raw.agents.claude.extraArgs = ['--no-such-flag'];
    writeFileSync(config, JSON.stringify(raw));
    const r = await runCli(['run', 'make x 2', '--config', config, '--verify', 'node --test', '--yes'], { cwd: work });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain("error: claude: refused the call (exit 1): error: unknown option '--no-such-flag'");
    expect(r.stdout).toMatch(/what to do: The agent CLI refused the call/);
    const runId = /duo (\S+): FAILED/.exec(r.stdout)?.[1] as string;
    const json = parseJson<Summary>((await runCli(['show', runId, '--json'], { cwd: work })).stdout);
    expect(json.error?.message).toContain("unknown option '--no-such-flag'");
    expect(readFileSync(json.reportPath, 'utf8')).toContain("unknown option '--no-such-flag'");
    const failures = readFileSync(join(work, '.duo', 'runs', runId, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('"type":"agent-failure"'));
    expect(failures.map((l) => JSON.parse(l).failure)).toEqual(['rejected']);
  });
});
