import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterEach, describe, expect, it } from 'vitest';
import { DUO_BIN, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, treeFingerprint } from '../support/harness.js';
import { critique, disputedBlocker, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * `duo mcp` as an MCP client sees it: the SDK's own Client over stdio, spawning the built `duo mcp` in a repository
 * whose agents are scripted (DUO_CONFIG). Every tool is driven through a run's whole life: start → wait (bounded)
 * → report, list/search, a decision card → decide → resume, cancel, and a review. Each tool checks its command's
 * output against that command's wire schema (src/wire), so these runs also show every tool's output matches it.
 */
let client: Client | undefined;
afterEach(async () => {
  await client?.close();
  client = undefined;
});

async function connect(repo: string, scenario: unknown): Promise<Client> {
  const transport = new StdioClientTransport({
    command: process.execPath,
    args: [DUO_BIN, 'mcp'],
    cwd: repo,
    env: {
      ...(process.env as Record<string, string>),
      DUO_CONFIG: scriptedConfig(scenario),
      NO_COLOR: '1',
    },
    stderr: 'pipe',
  });
  const c = new Client({ name: 'duo-test', version: '0' });
  await c.connect(transport);
  client = c;
  return c;
}

type Json = Record<string, unknown> & { exitCode?: number; status?: string; runId?: string };

async function call(
  c: Client,
  name: string,
  args: Record<string, unknown> = {},
): Promise<{ json: Json; text: string; isError: boolean }> {
  const r = (await c.callTool({ name, arguments: args })) as {
    content: { type: string; text: string }[];
    isError?: boolean;
  };
  const text = r.content.map((x) => x.text).join('');
  // Each tool parses its command's --json with that command's wire schema: a mismatch is a defect, said as it is.
  if (r.isError && text.includes('does not match its declared schema')) throw new Error(text);
  let json: Json = {};
  try {
    json = JSON.parse(text) as Json;
  } catch {
    // a report (markdown) or an error message
  }
  return { json, text, isError: !!r.isError };
}

async function waitDone(c: Client, runId: string): Promise<Json> {
  for (let i = 0; i < 60; i++) {
    const w = await call(c, 'wait', { runId, timeoutSeconds: 2 });
    if (w.json.exitCode !== 4) return w.json;
  }
  throw new Error('the run never finished');
}

const happy = (delayMs = 0) => ({
  agents: {
    claude: {
      plan: [plan()],
      implement: [{ ...work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST }), ...(delayMs ? { delayMs } : {}) }],
    },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
});

describe('duo mcp (the SDK client over stdio)', () => {
  it('lists its tools with read-only hints on the ones that only read', async () => {
    const c = await connect(makeRepo(SAMPLE), happy());
    const { tools } = await c.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(
      ['apply', 'cancel', 'decide', 'report', 'resume', 'review', 'run', 'runs', 'status', 'wait'].sort(),
    );
    const readOnly = tools.filter((t) => t.annotations?.readOnlyHint).map((t) => t.name);
    expect(readOnly.sort()).toEqual(['report', 'runs', 'status', 'wait']);
    expect(tools.find((t) => t.name === 'run')?.inputSchema.required).toEqual(['task']);
    // Strict arguments, said in the schema the client sees.
    for (const t of tools) expect(t.inputSchema.additionalProperties, t.name).toBe(false);
  });

  it('an unknown argument is an error, never silently ignored (runs {search} is not runs {query})', async () => {
    const repo = makeRepo(SAMPLE);
    const c = await connect(repo, happy());
    const runId = (await call(c, 'run', { task: 'make x return 2' })).json.runId as string;
    await waitDone(c, runId);
    const wrong = await call(c, 'runs', { search: 'nothing like it' });
    expect(wrong.isError).toBe(true);
    expect(wrong.text).toMatch(/search/);
    const typo = await call(c, 'status', { runID: runId });
    expect(typo.isError).toBe(true);
    expect((await call(c, 'runs', { query: 'nothing like it' })).json.total).toBe(0);
  });

  it('next steps name the MCP tools; run takes a config; apply brings a green run in and says what it did', async () => {
    const repo = makeRepo(SAMPLE);
    // The server's own config would fail every call: the run's `config` is what it runs with.
    const c = await connect(repo, { agents: {} });
    const started = await call(c, 'run', { task: 'make x return 2', config: scriptedConfig(happy()) });
    expect(started.isError, started.text).toBe(false);
    expect(started.json.next).toMatch(/^call `wait`/);
    const runId = started.json.runId as string;
    const done = await waitDone(c, runId);
    expect(done).toMatchObject({ exitCode: 0, status: 'green' });
    const next = (done.progress as { next: string }).next;
    expect(next).toContain(`\`apply\` with {"runId": "${runId}"}`);
    expect(next).not.toContain('duo apply');
    const status = await call(c, 'status', {});
    expect(status.json.runId).toBe(runId);
    expect(status.json.next).not.toMatch(/`duo /);
    expect((await call(c, 'runs')).json.next).toContain('`report`');

    const applied = await call(c, 'apply', { runId: runId.slice(0, -1) });
    expect(applied.isError, applied.text).toBe(false);
    expect(applied.json).toMatchObject({ runId, applied: true, files: ['src/x.js', 'test/x.test.js'], exitCode: 0 });
    const again = await call(c, 'apply', {});
    expect(again.json).toMatchObject({ applied: false, exitCode: 0 });
    expect(again.json.message).toContain('already applied');
  });

  it('run → wait (bounded, exit 4 while running) → status → report → runs (search)', async () => {
    const repo = makeRepo(SAMPLE);
    const before = treeFingerprint(repo);
    const c = await connect(repo, happy(2500));
    const started = await call(c, 'run', { task: 'make x return 2' });
    expect(started.isError, started.text).toBe(false);
    expect(started.json).toMatchObject({ status: 'running', exitCode: 0 });
    const runId = started.json.runId as string;

    const early = await call(c, 'wait', { runId, timeoutSeconds: 0.2 });
    expect(early.json).toMatchObject({ exitCode: 4, status: 'running', timedOut: true });
    const status = await call(c, 'status', { runId });
    expect(status.json).toMatchObject({ runId, status: 'running' });

    const done = await waitDone(c, runId);
    expect(done).toMatchObject({ exitCode: 0, status: 'green', runId });
    const report = await call(c, 'report', { runId });
    expect(report.text).toMatch(new RegExp(`^# duo ${runId}: GREEN`));
    expect(report.text).toContain('npm test');
    const page = /The same report as a page \(open it in a browser\): (\S+)\n$/.exec(report.text)?.[1];
    expect(page).toBe(join(repo, '.duo', 'runs', runId, 'report.html'));
    expect(readFileSync(page as string, 'utf8')).toContain('<!doctype html>');

    const all = await call(c, 'runs');
    expect(all.json).toMatchObject({ total: 1, runs: [expect.objectContaining({ runId, status: 'green' })] });
    expect((await call(c, 'runs', { query: 'return 2' })).json.total).toBe(1);
    expect((await call(c, 'runs', { query: 'nothing like it' })).json.total).toBe(0);
    expect((await call(c, 'runs', { status: 'red' })).json.total).toBe(0);
    expect(treeFingerprint(repo)).toBe(before);
  });

  it('a decision card: wait returns exit 3 with the card; decide + resume finish the run', async () => {
    const repo = makeRepo(SAMPLE);
    const c = await connect(repo, disputedBlocker());
    const runId = (await call(c, 'run', { task: 'make x return 2' })).json.runId as string;
    const waiting = await waitDone(c, runId);
    expect(waiting).toMatchObject({ exitCode: 3, status: 'awaiting-decision' });
    expect(waiting.cards).toEqual([
      expect.objectContaining({ id: 'card-R1', question: expect.stringContaining('x is exported without auth') }),
    ]);
    const bad = await call(c, 'decide', { runId, cardId: 'card-nope', pick: 'driver' });
    expect(bad.isError).toBe(true);
    expect(bad.text).toContain('card-R1');
    const decided = await call(c, 'decide', { runId, cardId: 'card-R1', pick: 'Skeptic' });
    expect(decided.isError, decided.text).toBe(false);
    expect(decided.json).toMatchObject({
      decision: { pick: 'skeptic' },
      next: `\`resume\` with {"runId": "${runId}"}`,
    });
    const amended = await call(c, 'decide', { runId, cardId: 'card-R1', pick: 'driver', amend: true });
    expect(amended.json).toMatchObject({ decision: { pick: 'driver' }, amended: { pick: 'skeptic' } });
    const resumed = await call(c, 'resume', { runId });
    expect(resumed.json).toMatchObject({ runId, status: 'running' });
    expect(await waitDone(c, runId)).toMatchObject({ exitCode: 0, status: 'green' });
  });

  it('cancel stops a running run (interrupted, resumable); review runs on the uncommitted changes', async () => {
    const repo = makeRepo(SAMPLE);
    const c = await connect(repo, happy(60_000));
    const runId = (await call(c, 'run', { task: 'make x return 2' })).json.runId as string;
    for (let i = 0; i < 100; i++) {
      const s = await call(c, 'status', { runId });
      if ((s.json.agents as { doing: string | null }[]).some((a) => a.doing === 'implement')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const cancelled = await call(c, 'cancel', { runId });
    expect(cancelled.json).toMatchObject({ runId, cancelled: true, status: 'interrupted' });
    expect((await call(c, 'status', { runId })).json.status).toBe('interrupted');

    writeFileSync(join(repo, 'README.md'), '# changed\n');
    const review = await call(c, 'review', {});
    expect(review.json).toMatchObject({ status: 'running' });
    const reviewed = await waitDone(c, review.json.runId as string);
    expect(reviewed).toMatchObject({ mode: 'review', review: expect.objectContaining({ scope: 'uncommitted' }) });
    const usage = await call(c, 'review', { scope: 'base' });
    expect(usage.isError).toBe(true);
  });

  it('a bad request is a tool error that says what is wrong, not a crash', async () => {
    const c = await connect(makeRepo(SAMPLE), happy());
    const r = await call(c, 'status', { runId: 'no-such-run' });
    expect(r.isError).toBe(true);
    expect(r.text).toContain('unknown run "no-such-run"');
    const outside = await call(c, 'runs', { cwd: '/' });
    expect(outside.isError).toBe(true);
    expect(outside.text).toMatch(/not inside a git repository/);
  });
});
