import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelJson, DetachedJson, StatusJson, WaitJson } from '../../src/wire/run.js';
import { parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE, treeFingerprint } from '../support/harness.js';
import { alive } from '../support/process.js';
import { critique, disputedBlocker, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * Long runs that a chat can drive: `duo run --detach` starts the run in a background process that outlives its
 * caller and prints the id at once; `duo status` / `duo wait` read the record from another process; `duo cancel`
 * stops it resumably. The record never says "running" without a live owner — tested by killing the background
 * process with -9 — and a result is never lost.
 */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already finished
    }
  }
});

/** The happy scenario; `implementDelayMs` keeps the run in its implement call that long (the scripted agent waits). */
const scenario = (implementDelayMs = 0) => ({
  agents: {
    claude: {
      plan: [plan()],
      implement: [
        {
          ...work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST }),
          ...(implementDelayMs ? { delayMs: implementDelayMs } : {}),
        },
      ],
    },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
});

type Detached = DetachedJson;

async function detach(repo: string, config: string, task = 'make x return 2'): Promise<Detached> {
  const r = await runCli(['run', task, '--detach', '--json', '--config', config], { cwd: repo });
  expect(r.exitCode, r.stderr).toBe(0);
  const d = parseWire(DetachedJson, r.stdout);
  started.push(d.pid);
  return d;
}

/** `duo status --json`, parsed strictly by its wire schema: a field the writer does not declare fails the test. */
async function status(repo: string, runId: string): Promise<StatusJson> {
  const r = await runCli(['status', runId, '--json'], { cwd: repo });
  expect(r.exitCode, r.stderr).toBe(0);
  return StatusJson.parse(parseJson(r.stdout));
}

async function until<T>(probe: () => Promise<T>, ok: (v: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 300; i++) {
    const v = await probe();
    if (ok(v)) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never saw ${what}`);
}

describe('duo run --detach', () => {
  it('prints {runId, status, pid} at once; the run goes on in the background; wait returns its result and exit code', async () => {
    const repo = makeRepo(SAMPLE);
    const before = treeFingerprint(repo);
    const config = scriptedConfig(scenario(3000));
    const d = await detach(repo, config);
    expect(d).toMatchObject({ status: 'running', runId: expect.stringMatching(/^\d{8}-\d{6}-[0-9a-f]{4}$/) });
    expect(d.pid).not.toBe(process.pid);
    // While it implements, another process sees what each agent is doing, from the record.
    const seen = await until(
      () => status(repo, d.runId),
      (p) => p.agents.some((a) => a.doing === 'implement'),
      'the driver implementing',
    );
    expect(seen).toMatchObject({ status: 'running', phase: 'implement', owner: { pid: d.pid, alive: true } });
    expect(seen.agents.find((a) => a.agent === 'codex')?.doing).toBeNull();
    expect(seen.next).toContain(`duo wait ${d.runId}`);

    const waited = await runCli(['wait', d.runId], { cwd: repo });
    expect(waited.exitCode, waited.stderr).toBe(0);
    expect(waited.stdout).toContain(`duo ${d.runId}: GREEN`);
    expect(waited.stdout).toMatch(/pass \$ npm test \(exit 0\)/);
    // Progress went to stderr while it waited; the result is in the record and the branch, the user's tree untouched.
    expect(waited.stderr).toMatch(/^\d\d:\d\d (implement|review|verify)/m);
    expect(git(repo, 'show', `duo/${d.runId}:src/x.js`)).toBe(GOOD_X);
    expect(treeFingerprint(repo)).toBe(before);
    expect(readFileSync(d.log, 'utf8')).toContain('GREEN');
    expect((await status(repo, d.runId)).status).toBe('green');
    // Waiting again on a finished run answers at once with the same result.
    const again = await runCli(['wait', d.runId, '--json'], { cwd: repo });
    expect(again.exitCode).toBe(0);
    expect(WaitJson.parse(parseJson(again.stdout)).status).toBe('green');
  });

  it('wait --timeout on a run still going exits 4 and says so; the run is not disturbed', async () => {
    const repo = makeRepo(SAMPLE);
    const d = await detach(repo, scriptedConfig(scenario(4000)));
    const r = await runCli(['wait', d.runId, '--timeout', '0.3', '--json'], { cwd: repo });
    expect(r.exitCode).toBe(4);
    expect(WaitJson.parse(parseJson(r.stdout))).toMatchObject({ runId: d.runId, status: 'running', timedOut: true });
    const done = await runCli(['wait', d.runId], { cwd: repo });
    expect(done.exitCode, done.stderr).toBe(0);
  });

  it('kill -9 of the background process: status says interrupted at once, wait exits 130, resume --detach finishes it green', async () => {
    const repo = makeRepo(SAMPLE);
    const slow = scriptedConfig(scenario(60_000));
    const d = await detach(repo, slow);
    await until(
      () => status(repo, d.runId),
      (p) => p.agents.some((a) => a.doing === 'implement'),
      'the implement call',
    );
    process.kill(d.pid, 'SIGKILL');
    await until(
      async () => alive(d.pid),
      (a) => !a,
      'the process gone',
    );

    const gone = await status(repo, d.runId);
    expect(gone.status).toBe('interrupted');
    expect(gone.owner).toMatchObject({ pid: d.pid, alive: false });
    expect(gone.next).toContain(`duo resume ${d.runId}`);
    expect(gone.agents.every((a) => a.doing === null)).toBe(true);
    const log = parseJson<{ runs: { runId: string; status: string }[] }>(
      (await runCli(['log', '--json'], { cwd: repo })).stdout,
    );
    expect(log.runs).toEqual([expect.objectContaining({ runId: d.runId, status: 'interrupted' })]);
    const waited = await runCli(['wait', d.runId], { cwd: repo });
    expect(waited.exitCode).toBe(130);

    // Resumed in the background with a driver that answers at once: the plan is not asked for again.
    const fast = scriptedConfig(scenario(0));
    const r = await runCli(['resume', d.runId, '--detach', '--json', '--config', fast], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    const resumed = parseWire(DetachedJson, r.stdout);
    started.push(resumed.pid);
    expect(resumed).toMatchObject({ runId: d.runId, status: 'running' });
    expect(resumed.pid).not.toBe(d.pid);
    const done = await runCli(['wait', d.runId, '--json'], { cwd: repo });
    expect(done.exitCode, done.stdout).toBe(0);
    expect(parseJson<{ status: string }>(done.stdout).status).toBe('green');
    const events = readFileSync(join(repo, '.duo', 'runs', d.runId, 'events.jsonl'), 'utf8');
    const plans = events.split('\n').filter((l) => l.includes('"type":"agent-call"') && l.includes('"purpose":"plan"'));
    expect(plans).toHaveLength(1);
  });

  it('two detached runs at once in one repository each finish green in their own worktree and record', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(scenario(800));
    const [a, b] = await Promise.all([detach(repo, config, 'first'), detach(repo, config, 'second')]);
    expect(a?.runId).not.toBe(b?.runId);
    expect(a?.pid).not.toBe(b?.pid);
    const [wa, wb] = await Promise.all([
      runCli(['wait', a?.runId as string, '--json'], { cwd: repo }),
      runCli(['wait', b?.runId as string, '--json'], { cwd: repo }),
    ]);
    expect([wa.exitCode, wb.exitCode]).toEqual([0, 0]);
    const ja = parseJson<{ task: string; branch: string; status: string }>(wa.stdout);
    const jb = parseJson<{ task: string; branch: string; status: string }>(wb.stdout);
    expect([ja.task, jb.task]).toEqual(['first', 'second']);
    expect(ja.branch).not.toBe(jb.branch);
    expect(git(repo, 'show', `${ja.branch}:src/x.js`)).toBe(GOOD_X);
    expect(git(repo, 'show', `${jb.branch}:src/x.js`)).toBe(GOOD_X);
  });

  it('duo clean leaves it alone and names it; duo cancel stops it cleanly (interrupted, the process gone), and resume continues it', async () => {
    const repo = makeRepo(SAMPLE);
    const d = await detach(repo, scriptedConfig(scenario(60_000)));
    await until(
      () => status(repo, d.runId),
      (p) => p.agents.some((a) => a.doing === 'implement'),
      'the implement call',
    );
    // duo clean never touches a running run, and says which it left alone instead of skipping it in silence.
    const cleaned = await runCli(['clean', '--force'], { cwd: repo });
    expect(cleaned.exitCode, cleaned.stderr).toBe(0);
    expect(cleaned.stdout).toContain(`left 1 running run(s) alone (\`duo cancel <runId>\` stops one): ${d.runId}`);
    expect(git(repo, 'branch', '--list', `duo/${d.runId}`)).toContain(d.runId);
    const c = await runCli(['cancel', d.runId, '--json'], { cwd: repo });
    expect(c.exitCode, c.stderr).toBe(0);
    expect(parseWire(CancelJson, c.stdout)).toEqual({ runId: d.runId, cancelled: true, status: 'interrupted' });
    expect(alive(d.pid)).toBe(false);
    // Saved by its own process on the way out (not merely an owner found dead), with the log saying so.
    const state = JSON.parse(readFileSync(join(repo, '.duo', 'runs', d.runId, 'state.json'), 'utf8'));
    expect(state.status).toBe('interrupted');
    const log = readFileSync(d.log, 'utf8');
    expect(log).toContain(`next: duo resume ${d.runId}`);
    // Stopped by `duo cancel`, with no keyboard to press Ctrl-C on: the log does not offer one.
    expect(log).toContain('stopping the agents and saving the run…');
    expect(log).not.toContain('Ctrl-C');
    // status and wait say the next step once (the background log's own copy of it is not repeated).
    for (const args of [
      ['status', d.runId],
      ['wait', d.runId],
    ]) {
      const shown = await runCli(args, { cwd: repo });
      expect(shown.stdout.split(`duo resume ${d.runId}`).length - 1, `${args[0]}:\n${shown.stdout}`).toBe(1);
    }
    const nothing = await runCli(['cancel', d.runId], { cwd: repo });
    expect(nothing.exitCode).toBe(0);
    expect(nothing.stdout).toContain('not running (interrupted)');

    const fast = scriptedConfig(scenario(0));
    const r = await runCli(['resume', d.runId, '--config', fast, '--json'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(parseJson<{ status: string }>(r.stdout).status).toBe('green');
  });

  it('a decision card: wait exits 3 and prints the question, both positions and the commands to answer it', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(disputedBlocker());
    const d = await detach(repo, config);
    const w = await runCli(['wait', d.runId], { cwd: repo });
    expect(w.exitCode).toBe(3);
    expect(w.stdout).toContain('Decision needed (card-R1): x is exported without auth');
    expect(w.stdout).toContain('driver:  x is internal');
    expect(w.stdout).toContain('expensive to get wrong: anyone can call it');
    expect(w.stdout).toContain(`duo decide ${d.runId} card-R1 --pick driver|skeptic`);
    const decided = await runCli(['decide', d.runId, 'card-R1', '--pick', 'driver'], { cwd: repo });
    expect(decided.exitCode).toBe(0);
    // The `next:` hint is enough: the run resumes on the config it started with, without being told again.
    const r = await runCli(['resume', d.runId, '--detach', '--json'], { cwd: repo });
    started.push(parseWire(DetachedJson, r.stdout).pid);
    const done = await runCli(['wait', d.runId], { cwd: repo });
    expect(done.exitCode, done.stdout).toBe(0);
  });

  it('the task can come on stdin ("-"), so no shell ever interprets it', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(scenario(0));
    const { execa } = await import('execa');
    const { DUO_BIN } = await import('../support/cli.js');
    const task = `make x return 2 — "quoted" $(not run) 'single' \`tick\``;
    const r = await execa('node', [DUO_BIN, 'run', '--detach', '--json', '--config', config, '-'], {
      cwd: repo,
      input: task,
      reject: false,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const d = parseWire(DetachedJson, r.stdout);
    started.push(d.pid);
    const done = await runCli(['wait', d.runId, '--json'], { cwd: repo });
    expect(parseJson<{ task: string }>(done.stdout).task).toBe(task);
  });
});
