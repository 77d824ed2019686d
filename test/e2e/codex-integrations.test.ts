import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../sim/server.js';
import { parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { codexSimConfig } from '../support/codex-env.js';
import { duoOnPath, pathWith } from '../support/duo-shim.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';
import { realAgents, requestText, simulator } from '../support/sim-agents.js';

/**
 * duo inside the real, pinned `codex` (0.169.0) against the model simulator, with its own CODEX_HOME and HOME: the
 * skills `duo init --codex` installs reach the model's instructions, and `duo mcp`, registered by `duo init --mcp`
 * through `codex mcp add`, answers a scripted MCP tool call with a run's status.
 */
let sim: Simulator;
let repo: string;
let env: Record<string, string>;
let codexArgs: string[];
beforeAll(() => {
  realAgents();
});
beforeEach(async () => {
  sim = await simulator();
  repo = makeRepo(SAMPLE);
  const c = codexSimConfig(sim.url);
  codexArgs = c.extraArgs;
  env = { ...c.env, HOME: tempDir('duo-codex-user-'), PATH: pathWith(duoOnPath(), dirname(realAgents().codex)) };
});
afterEach(async () => {
  await sim.close();
});

const codexExec = (prompt: string) =>
  execa(realAgents().codex, ['exec', '--json', ...codexArgs, '-C', repo, '-'], {
    cwd: repo,
    env,
    input: prompt,
    reject: false,
  });
const posts = () => sim.requests.filter((r) => r.protocol === 'openai' && r.method === 'POST');

describe('duo in the real codex', () => {
  it('the duo and duox skills (user and project scope) are listed in the instructions the model receives', async () => {
    const user = await runCli(['init', '--codex', '--scope', 'user', '--yes', '--json'], { cwd: repo, env });
    expect(user.exitCode, user.stderr).toBe(0);
    sim.push('openai', { kind: 'text', text: 'ok' });
    expect((await codexExec('hello')).exitCode).toBe(0);
    const sent = requestText(posts()[0]?.body);
    expect(sent).toContain('- duo: Pair-program a coding task with duo');
    expect(sent).toContain('- duox: Run a coding task with duox');
    // The prompts for older Codex versions went to its CODEX_HOME.
    expect(readFileSync(join(env.CODEX_HOME as string, 'prompts', 'duox.md'), 'utf8')).toContain('$ARGUMENTS');

    const project = await runCli(['init', '--codex', '--scope', 'project', '--yes'], {
      cwd: repo,
      env: { ...env, HOME: tempDir('duo-codex-other-') },
    });
    expect(project.exitCode, project.stderr).toBe(0);
    sim.push('openai', { kind: 'text', text: 'ok' });
    const r = await execa(realAgents().codex, ['exec', '--json', ...codexArgs, '-C', repo, '-'], {
      cwd: repo,
      env: { ...env, HOME: tempDir('duo-codex-empty-') },
      input: 'hello',
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const fromRepo = requestText(posts()[1]?.body);
    expect(fromRepo).toContain('- duo: Pair-program a coding task with duo');
    expect(fromRepo).toContain(join(repo, '.agents', 'skills'));
  });

  it('a scripted MCP tool call reaches duo mcp (registered by duo init --mcp) and returns the run status', async () => {
    const config = scriptedConfig({
      agents: {
        claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    const run = parseJson<{ runId: string; status: string }>(
      (await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo })).stdout,
    );
    expect(run.status).toBe('green');

    const init = await runCli(['init', '--mcp', '--codex', '--yes', '--json'], { cwd: repo, env });
    expect(init.exitCode, init.stderr).toBe(0);
    expect(readFileSync(join(env.CODEX_HOME as string, 'config.toml'), 'utf8')).toMatch(
      /\[mcp_servers\.duo\]\s*\ncommand = "duo"\s*\nargs = \["mcp"\]/,
    );
    sim.push(
      'openai',
      { kind: 'tools', calls: [{ name: 'status', namespace: 'mcp__duo', input: { runId: run.runId, cwd: repo } }] },
      // `search` is not an argument of runs (its word is `query`): refused, not ignored.
      { kind: 'tools', calls: [{ name: 'runs', namespace: 'mcp__duo', input: { search: 'nothing', cwd: repo } }] },
      { kind: 'text', text: 'The run is green.' },
    );
    const r = await codexExec('What is the status of my duo run?');
    expect(r.exitCode, r.stderr).toBe(0);
    // Codex made the MCP call (a read-only tool: no approval needed) and it completed with duo's answer.
    const items = r.stdout
      .split('\n')
      .filter(Boolean)
      .map(
        (l) =>
          JSON.parse(l) as {
            type: string;
            item?: { type: string; status?: string; server?: string; tool?: string; result?: unknown };
          },
      );
    const call = items.find((e) => e.type === 'item.completed' && e.item?.type === 'mcp_tool_call')?.item;
    expect(call).toMatchObject({ server: 'duo', tool: 'status', status: 'completed' });
    // What the model got back: the run's status, read from the record by duo.
    const fed = requestText(posts()[1]?.body);
    expect(fed).toContain(run.runId);
    expect(fed).toMatch(/\\"status\\": \\"green\\"/);
    // Its next step is said as the MCP tool that takes it, not as a shell command Codex has no use for here.
    expect(fed).toContain('`apply` with {');
    expect(fed).not.toContain('duo apply');
    const runs = items.filter((e) => e.type === 'item.completed' && e.item?.type === 'mcp_tool_call')[1]?.item;
    expect(runs).toMatchObject({ server: 'duo', tool: 'runs' });
    // What the model got back for it: duo's refusal naming the argument, not a list of every run.
    expect(requestText(posts()[2]?.body)).toMatch(
      /Input validation error: Invalid arguments for tool runs: Unrecognized key: \\"search\\"/,
    );
  });
});
