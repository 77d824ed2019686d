import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { worktreesRoot } from '../../src/workspace/index.js';
import type { Simulator } from '../sim/server.js';
import { DUO_BIN, parseJson, runCli } from '../support/cli.js';
import { makeRepo, treeFingerprint } from '../support/harness.js';
import { realAgentsConfig, simulator } from '../support/sim-agents.js';
import { approve, claudeWritesSum, SUM_PKG, sumPlan, sumWork } from '../support/sum-task.js';

/**
 * Faults in the middle of a real agent call: duo itself killed with -9, or interrupted with Ctrl-C, while the
 * real `codex` is waiting on the model. The run must come back through `duo resume` to the same green outcome,
 * and Ctrl-C must take the agent's whole process group down with it.
 */
let sim: Simulator;
let repo: string;
let config: string;
beforeEach(async () => {
  sim = await simulator();
  repo = makeRepo({ 'package.json': SUM_PKG });
  config = realAgentsConfig(sim.url);
  sim.push('anthropic', { kind: 'structured', value: sumPlan }, claudeWritesSum, {
    kind: 'structured',
    value: sumWork,
  });
});

/** The review hangs at the model: that is where the fault hits. */
const hangingReview = () =>
  sim.push(
    'openai',
    { kind: 'structured', value: approve },
    { kind: 'delay', ms: 120_000, answer: { kind: 'structured', value: approve } },
  );
afterEach(async () => {
  await sim.close();
});

async function until(cond: () => boolean, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
const reviewInFlight = () => sim.requests.filter((r) => r.protocol === 'openai' && r.method === 'POST').length >= 2;
const codexProcessesIn = (dir: string) => {
  try {
    return execFileSync('pgrep', ['-f', `codex.*${dir}`], { encoding: 'utf8' })
      .trim()
      .split('\n')
      .filter(Boolean);
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
};

async function onlyRun(): Promise<{ runId: string; status: string }> {
  const log = parseJson<{ runs: { runId: string; status: string }[] }>(
    (await runCli(['log', '--json'], { cwd: repo })).stdout,
  );
  expect(log.runs).toHaveLength(1);
  return log.runs[0]!;
}

describe('faults during a real agent call', () => {
  it('kill -9 of duo while codex reviews: the run shows as interrupted, and resume finishes it green', async () => {
    hangingReview();
    const before = treeFingerprint(repo);
    const duo = execa('node', [DUO_BIN, 'run', 'add sum', '--config', config, '--json'], {
      cwd: repo,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    await until(reviewInFlight, 'the review request');
    duo.kill('SIGKILL');
    const killed = await duo;
    expect(killed.signal).toBe('SIGKILL');
    // SIGKILL cannot be trapped: the codex call it was waiting on is still running, in its own process group.
    expect(codexProcessesIn(worktreesRoot(repo)).length).toBeGreaterThan(0);

    const run = await onlyRun();
    expect(run.status).toBe('interrupted');

    sim.push('openai', { kind: 'structured', value: approve });
    const resumed = await runCli(['resume', run.runId, '--config', config, '--json'], { cwd: repo });
    const json = parseJson<{ status: string; verify: { exitCode: number }[] }>(resumed.stdout);
    expect(json.status, resumed.stderr).toBe('green');
    expect(json.verify[0]?.exitCode).toBe(0);
    // The plan and the implementation were not asked for again: only the interrupted review was redone.
    expect(sim.requests.filter((r) => r.protocol === 'anthropic' && r.method === 'POST')).toHaveLength(3);
    expect(treeFingerprint(repo)).toBe(before);
    // The orphaned codex was stopped by the resume before it could touch the worktree again, and that is recorded.
    expect(codexProcessesIn(worktreesRoot(repo))).toEqual([]);
    expect(readFileSync(join(repo, '.duo', 'runs', run.runId, 'events.jsonl'), 'utf8')).toMatch(
      /"type":"reaped-processes","count":1,"agents":1/,
    );
  });

  it('Ctrl-C while codex reviews: exits 130 within seconds, stops the agent process group, prints how to resume', async () => {
    hangingReview();
    const duo = execa('node', [DUO_BIN, 'run', 'add sum', '--config', config, '--json'], {
      cwd: repo,
      reject: false,
      env: { NO_COLOR: '1' },
    });
    await until(reviewInFlight, 'the review request');
    const worktrees = worktreesRoot(repo); // this repo's run worktrees only
    expect(codexProcessesIn(worktrees).length).toBeGreaterThan(0);
    const sent = Date.now();
    duo.kill('SIGINT');
    const r = await duo;
    const tookMs = Date.now() - sent;
    expect(r.exitCode).toBe(130);
    expect(tookMs).toBeLessThan(10_000);
    expect(r.stderr).toMatch(/duo resume \S+/);
    await until(() => codexProcessesIn(worktrees).length === 0, 'the codex process group to be gone', 5_000);

    const run = await onlyRun();
    expect(run.status).toBe('interrupted');
    sim.push('openai', { kind: 'structured', value: approve });
    const resumed = await runCli(['resume', run.runId, '--config', config, '--json'], { cwd: repo });
    expect(parseJson<{ status: string }>(resumed.stdout).status).toBe('green');
  });

  it('a 429 and a 500 from the model are retried with backoff, recorded, and the run still goes green', async () => {
    sim.push(
      'openai',
      { kind: 'http-error', status: 429, message: 'slow down' },
      { kind: 'http-error', status: 500 },
      { kind: 'structured', value: approve },
      { kind: 'structured', value: approve },
    );
    const r = await runCli(['run', 'add sum', '--config', config, '--json'], { cwd: repo });
    const json = parseJson<{ runId: string; status: string }>(r.stdout);
    expect(json.status, r.stderr).toBe('green');
    const events = readFileSync(join(repo, '.duo', 'runs', json.runId, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step?: string; failure?: string; attempt?: number });
    expect(events.filter((e) => e.type === 'agent-failure').map((e) => [e.step, e.failure, e.attempt])).toEqual([
      ['plan/r1/critique', 'rate-limited', 0],
      ['plan/r1/critique', 'api-error', 1],
    ]);
    expect(events.find((e) => e.type === 'agent-call' && e.step === 'plan/r1/critique')?.attempt).toBe(2);
  });
});
