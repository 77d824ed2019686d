import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SimTurn } from '../sim/script.js';
import type { Simulator } from '../sim/server.js';
import { claudeSimEnv } from '../support/claude-env.js';
import { parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { duoOnPath, pathWith } from '../support/duo-shim.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, disputedBlocker, finding, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';
import { realAgents, requestText, simulator } from '../support/sim-agents.js';

/**
 * duo inside the real, pinned `claude` (2.1.330) against the model simulator, in an isolated HOME and
 * CLAUDE_CONFIG_DIR: the plugin validates and installs from the local marketplace in this repository; `/duo:pair`
 * and the bare `/duo` / `/duox` (installed by `duo init --claude`) expand with the task — asserted on what the
 * model received; the model's scripted Bash calls really run `duo` on scripted agents through start → wait →
 * report, and a decision card comes back to the model as a question it can put to the user; and the stop-time
 * review gate blocks once on an open blocker, lets go when stop_hook_active, and fails open when duo is missing.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

let sim: Simulator;
let repo: string;
let duoBin: string;
let env: Record<string, string>;
beforeAll(() => {
  realAgents();
});
beforeEach(async () => {
  sim = await simulator();
  repo = makeRepo(SAMPLE);
  duoBin = duoOnPath();
  env = { ...claudeSimEnv(sim.url), PATH: pathWith(duoBin, dirname(realAgents().claude)) };
});
afterEach(async () => {
  await sim.close();
});

const claude = (args: string[], extra: Record<string, string> = {}) =>
  execa(realAgents().claude, args, { cwd: repo, env: { ...env, ...extra }, reject: false, stdin: 'ignore' });
/** `claude -p <prompt>` as a user would run a slash command headless, streaming its events. */
const ask = (prompt: string, extra: Record<string, string> = {}, flags: string[] = []) =>
  claude(['-p', prompt, '--output-format', 'stream-json', '--verbose', ...flags], extra);
const posts = () => sim.requests.filter((r) => r.protocol === 'anthropic' && r.method === 'POST');
/** The text of the newest tool result the model was sent: what the last Bash call printed. */
const lastToolResult = (request: unknown): string => {
  const messages = (request as { messages?: { content?: unknown }[] }).messages ?? [];
  for (const m of [...messages].reverse()) {
    const blocks = Array.isArray(m.content) ? (m.content as { type?: string; content?: unknown }[]) : [];
    const result = blocks.find((b) => b.type === 'tool_result');
    if (result) return typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
  }
  return '';
};
const bash = (command: string): SimTurn => ({
  kind: 'tools',
  calls: [{ name: 'Bash', input: { command, timeout: 600000 } }],
});
/** A Bash call built from the run id the model read in an earlier tool result, as a model would. */
const bashWithRun = (build: (runId: string) => string): SimTurn => ({
  kind: 'dynamic',
  build: (request) => {
    const id = /\b(\d{8}-\d{6}-[0-9a-f]{4})\b/.exec(JSON.stringify(request))?.[1];
    if (!id) return { kind: 'text', text: 'no run id in sight' };
    return bash(build(id));
  },
});
const startRun = bash("duo run --detach --json - <<'DUO_TASK'\nmake x return 2\nDUO_TASK");

const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};

describe('the Claude Code plugin, in the real claude', () => {
  it('validates, installs from the local marketplace (duo init --claude --mcp), and /duo:pair runs duo start → wait → report', async () => {
    for (const target of [ROOT, join(ROOT, 'plugins', 'duo')]) {
      const v = await claude(['plugin', 'validate', '--strict', target]);
      expect(v.exitCode, v.stdout + v.stderr).toBe(0);
      expect(v.stdout).toContain('Validation passed');
    }
    const init = await runCli(['init', '--claude', '--mcp', '--yes', '--json'], { cwd: repo, env });
    expect(init.exitCode, init.stderr).toBe(0);
    const installed = parseJson<{ installed: { what: string; outcome: string; note?: string }[] }>(init.stdout);
    expect(installed.installed.find((i) => i.what.startsWith('Claude Code plugin'))).toMatchObject({
      outcome: 'written',
    });
    const list = await claude(['plugin', 'list', '--json']);
    expect(JSON.parse(list.stdout)).toEqual([expect.objectContaining({ id: 'duo@duo', enabled: true })]);
    // `claude mcp add duo -- duo mcp`, and claude's own health check connects to it.
    const mcp = await claude(['mcp', 'list']);
    expect(mcp.stdout).toMatch(/duo: duo mcp - ✔ Connected/);

    sim.push(
      'anthropic',
      startRun,
      bashWithRun((id) => `duo wait ${id} --timeout 100`),
      { kind: 'text', text: 'duo finished: green.' },
    );
    const r = await ask('/duo:pair make x return 2', { DUO_CONFIG: scriptedConfig(happy) });
    expect(r.exitCode, r.stderr).toBe(0);
    const [first, second, third] = posts();
    // The command expanded with the task: the plugin's body reached the model, $ARGUMENTS substituted.
    const sent = requestText(first?.body);
    expect(sent).toContain('Run this task through **duo** in pair mode');
    expect(sent).toContain('<task>\\nmake x return 2\\n</task>');
    // Bash(duo:*) in the command's allowed-tools let the call run; it printed the run id at once.
    const printed = lastToolResult(second?.body).split('\n');
    const started = JSON.parse(printed.find((l) => l.startsWith('{')) as string) as { runId: string; status: string };
    expect(started).toMatchObject({ status: 'running' });
    // duo wait reported the result to the model: headline, verify line, next step.
    const report = lastToolResult(third?.body);
    expect(report).toContain(`duo ${started.runId}: GREEN`);
    expect(report).toContain('pass $ npm test (exit 0)');
    expect(report).toContain(`duo apply ${started.runId}`);
    const log = parseJson<{ runs: { runId: string; status: string }[] }>(
      (await runCli(['log', '--json'], { cwd: repo })).stdout,
    );
    expect(log.runs).toEqual([expect.objectContaining({ runId: started.runId, status: 'green' })]);
  });

  it('duo mcp in the real claude: an unknown argument is refused; apply brings a green run in; next steps name tools', async () => {
    const config = scriptedConfig(happy);
    const run = parseJson<{ runId: string; status: string }>(
      (await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo })).stdout,
    );
    expect(run.status).toBe('green');
    expect((await runCli(['init', '--mcp', '--yes'], { cwd: repo, env })).exitCode).toBe(0);
    sim.push(
      'anthropic',
      { kind: 'tools', calls: [{ name: 'mcp__duo__runs', input: { search: 'make x' } }] },
      { kind: 'tools', calls: [{ name: 'mcp__duo__status', input: {} }] },
      { kind: 'tools', calls: [{ name: 'mcp__duo__apply', input: { runId: run.runId.slice(0, -2) } }] },
      { kind: 'text', text: 'Applied.' },
    );
    const r = await ask('Apply my last duo run.', {}, [
      '--allowedTools',
      'mcp__duo__runs,mcp__duo__status,mcp__duo__apply',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    const [, afterRuns, afterStatus, afterApply] = posts();
    expect(lastToolResult(afterRuns?.body)).toMatch(/Unrecognized key: "search"/);
    const status = lastToolResult(afterStatus?.body);
    expect(status).toContain(run.runId);
    expect(status).toContain('`apply` with {');
    expect(status).not.toContain('duo apply');
    const applied = JSON.parse(lastToolResult(afterApply?.body)) as { text: string }[];
    expect(JSON.parse(applied[0]?.text ?? '{}')).toMatchObject({ runId: run.runId, applied: true, exitCode: 0 });
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toBe(GOOD_X);
  });

  it('a decision card comes back to the model as a question; its answer goes through duo decide and duo resume', async () => {
    const dispute = disputedBlocker();
    // The user let Claude answer decision cards unasked: the next turn's decide and resume need no prompt.
    const init = await runCli(['init', '--claude', '--allow-decide', '--yes'], { cwd: repo, env });
    expect(init.exitCode, init.stderr).toBe(0);
    sim.push(
      'anthropic',
      startRun,
      bashWithRun((id) => `duo wait ${id} --timeout 100`),
      {
        kind: 'text',
        text: 'The agents disagree on a blocker: is x exported without auth? Take the driver or the skeptic?',
      },
    );
    const r = await ask('/duo:pair make x return 2', { DUO_CONFIG: scriptedConfig(dispute) });
    expect(r.exitCode, r.stderr).toBe(0);
    const card = lastToolResult(posts()[2]?.body);
    // Everything the model needs to put the question to the user, and the command that records the answer.
    expect(card).toContain('AWAITING-DECISION');
    expect(card).toContain('Decision needed (card-R1): x is exported without auth');
    expect(card).toContain('driver:  x is internal');
    expect(card).toContain('skeptic: evidence for R1 — it is in the public index');
    expect(card).toContain('expensive to get wrong: anyone can call it');
    expect(card).toMatch(/duo decide \S+ card-R1 --pick driver\|skeptic/);
    // The pair command tells the model to ask, and how to answer.
    expect(requestText(posts()[0]?.body)).toContain('A decision is needed (exit code 3');

    // The user answered "the driver": the next turn continues the same session.
    const session = /"session_id":"([^"]+)"/.exec(r.stdout)?.[1] as string;
    sim.push(
      'anthropic',
      bashWithRun((id) => `duo decide ${id} card-R1 --pick driver`),
      bashWithRun((id) => `duo resume ${id} --detach --json`),
      bashWithRun((id) => `duo wait ${id} --timeout 100`),
      { kind: 'text', text: 'green now' },
    );
    const more = await claude(
      ['-p', 'Take the driver side.', '--resume', session, '--output-format', 'stream-json', '--verbose'],
      { DUO_CONFIG: scriptedConfig(dispute) },
    );
    expect(more.exitCode, more.stderr).toBe(0);
    const final = lastToolResult(posts().at(-1)?.body);
    expect(final).toMatch(/duo \S+: GREEN/);
    const run = parseJson<{ runs: { runId: string; status: string }[] }>(
      (await runCli(['log', '--json'], { cwd: repo })).stdout,
    ).runs[0];
    const shown = parseJson<{ decisions: { cardId: string; pick: string; by: string }[] }>(
      (await runCli(['show', run?.runId as string, '--json'], { cwd: repo })).stdout,
    );
    expect(shown.decisions).toEqual([expect.objectContaining({ cardId: 'card-R1', pick: 'driver', by: 'duo decide' })]);
  });

  it('duo init --claude installs the bare /duo (user scope) and /duox (project scope); both expand with the task', async () => {
    expect((await runCli(['init', '--claude', '--scope', 'user', '--yes'], { cwd: repo, env })).exitCode).toBe(0);
    sim.push('anthropic', { kind: 'text', text: 'ok' });
    const user = await ask('/duo add a sum helper');
    expect(user.exitCode, user.stderr).toBe(0);
    const sentUser = requestText(posts()[0]?.body);
    expect(sentUser).toContain('<command-name>/duo</command-name>');
    expect(sentUser).toContain('<task>\\nadd a sum helper\\n</task>');
    expect(sentUser).toContain('duo run --detach --json -');

    const project = await runCli(['init', '--claude', '--scope', 'project', '--yes', '--json'], {
      cwd: repo,
      env: { ...env, HOME: tempDir('duo-other-home-'), CLAUDE_CONFIG_DIR: '' },
    });
    expect(project.exitCode, project.stderr).toBe(0);
    expect(readdirSync(join(repo, '.claude', 'commands')).sort()).toEqual(['duo.md', 'duox.md']);
    sim.push('anthropic', { kind: 'text', text: 'ok' });
    const inverted = await ask('/duox add retry with backoff');
    expect(inverted.exitCode, inverted.stderr).toBe(0);
    const sentProject = requestText(posts()[1]?.body);
    expect(sentProject).toContain('<command-name>/duox</command-name>');
    expect(sentProject).toContain('<task>\\nadd retry with backoff\\n</task>');
    expect(sentProject).toContain('duo run --mode invert --detach --json -');
  });
});

describe('the stop-time review gate, in the real claude', () => {
  const blocker = {
    agents: {
      codex: { review: [critique('revise', [finding('R1', 'blocker', 'x() now returns 3; callers expect 1')])] },
    },
  };
  /** Claude edits a file with its own Write tool, then stops; the hook reviews that. */
  const editsThenStops: SimTurn[] = [
    {
      kind: 'tools',
      calls: [
        { name: 'Write', input: { file_path: '{cwd}/src/x.js', content: 'export function x() {\n  return 3;\n}\n' } },
      ],
    },
    { kind: 'text', text: 'Done: x returns 3.' },
  ];

  it('blocks once with the open blocker, then lets Claude stop when stop_hook_active', async () => {
    const init = await runCli(['init', '--claude', '--review-gate', '--yes', '--json'], { cwd: repo, env });
    expect(init.exitCode, init.stderr).toBe(0);
    sim.push('anthropic', ...editsThenStops, { kind: 'text', text: 'I will leave it for the user to decide.' });
    const r = await ask('make x return 3', { DUO_CONFIG: scriptedConfig(blocker) }, [
      '--permission-mode',
      'acceptEdits',
    ]);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toContain('return 3');
    // Three model turns: the edit, the first stop (blocked), the second stop (stop_hook_active: let go).
    expect(posts()).toHaveLength(3);
    const fed = requestText(posts()[2]?.body);
    expect(fed).toContain('Stop hook feedback');
    expect(fed).toContain('[R1] blocker: x() now returns 3; callers expect 1');
    expect(sim.pending('anthropic')).toBe(0);
    // One review ran, on Claude's uncommitted edit, and its record says why it blocked.
    const log = parseJson<{ runs: { runId: string; mode: string; status: string }[] }>(
      (await runCli(['log', '--json'], { cwd: repo })).stdout,
    );
    expect(log.runs).toEqual([expect.objectContaining({ mode: 'review', status: 'red' })]);
  });

  it('fails open when duo is missing: Claude stops, and the user sees a note', async () => {
    expect((await runCli(['init', '--claude', '--review-gate', '--yes'], { cwd: repo, env })).exitCode).toBe(0);
    sim.push('anthropic', ...editsThenStops);
    const r = await ask(
      'make x return 3',
      { DUO_CONFIG: scriptedConfig(blocker), PATH: pathWith(dirname(realAgents().claude)) },
      ['--permission-mode', 'acceptEdits'],
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(posts()).toHaveLength(2);
    const notes = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as { type: string; subtype?: string; content?: string })
      .filter((e) => e.type === 'system' && e.subtype === 'informational');
    expect(notes.map((n) => n.content).join('\n')).toContain('duo review gate: duo is not installed here');
    expect(() => readdirSync(join(repo, '.duo', 'runs'))).toThrow();
  });
});
