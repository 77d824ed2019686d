import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIRECT_TEST, parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE, treeFingerprint } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * Odd and hostile input, and the agent-failure policies that are settings: each must end in a clear outcome,
 * never a crash, with the user's files intact.
 */
const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};
type Summary = { runId: string; status: string; error: { message: string; hint: string | null } | null };

function allFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? allFiles(p) : [p];
  });
}

describe('odd repositories and input', () => {
  it('a detached HEAD: the run bases on it and leaves the user detached where they were', async () => {
    const repo = makeRepo(SAMPLE);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    git(repo, 'checkout', '-q', '--detach', head);
    const before = treeFingerprint(repo);
    const r = await runCli(['run', 'make x return 2', '--config', scriptedConfig(happy, DIRECT_TEST), '--json'], {
      cwd: repo,
    });
    expect(parseJson<Summary>(r.stdout).status, r.stderr).toBe('green');
    expect(git(repo, 'rev-parse', '--abbrev-ref', 'HEAD').trim()).toBe('HEAD');
    expect(treeFingerprint(repo)).toBe(before);
  });

  it('a repo with no commits: exit 2 with the command that fixes it', async () => {
    const repo = makeRepo(SAMPLE);
    execFileSync('rm', ['-rf', join(repo, '.git')]);
    git(repo, 'init', '-q');
    const r = await runCli(['run', 'x', '--config', scriptedConfig(happy, DIRECT_TEST)], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/no commits yet.*git commit/);
  });

  it('a 100 KB task runs, is recorded whole, and is shortened only where it is listed', async () => {
    const repo = makeRepo(SAMPLE);
    const task = `make x return 2. ${'Context line about the invoice module. '.repeat(2700)}`;
    expect(Buffer.byteLength(task)).toBeGreaterThan(100_000);
    const r = await runCli(['run', task, '--config', scriptedConfig(happy, DIRECT_TEST), '--json'], { cwd: repo });
    const { runId, status } = parseJson<Summary>(r.stdout);
    expect(status, r.stderr).toBe('green');
    const state = JSON.parse(readFileSync(join(repo, '.duo', 'runs', runId, 'state.json'), 'utf8')) as { task: string };
    expect(state.task).toBe(task.trim());
    const log = await runCli(['log'], { cwd: repo });
    expect(log.stdout.length).toBeLessThan(2_000);
  });
});

describe('policies for an agent that is gone for good', () => {
  const skepticGone = {
    agents: {
      claude: happy.agents.claude,
      codex: { critique: [{ fail: 'not-logged-in' }], review: [{ fail: 'not-logged-in' }] },
    },
  };

  it('by default the run stops with a clear message naming the agent and what to do', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(['run', 'make x return 2', '--config', scriptedConfig(skepticGone, DIRECT_TEST), '--json'], {
      cwd: repo,
    });
    const s = parseJson<Summary>(r.stdout);
    expect(r.exitCode).toBe(1);
    expect(s.status).toBe('failed');
    expect(s.error?.message).toMatch(/^codex: /);
    expect(s.error?.hint).toMatch(/log the agent CLI in/i);
  });

  it('with onSkepticUnavailable "solo" it finishes, and the report says UNREVIEWED in its first line', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(skepticGone, { ...DIRECT_TEST, onSkepticUnavailable: 'solo' });
    const r = await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo });
    const s = parseJson<Summary & { reportPath: string }>(r.stdout);
    expect(s.status, r.stderr).toBe('green');
    expect(readFileSync(s.reportPath, 'utf8').split('\n')[0]).toMatch(/UNREVIEWED/);
  });
});

describe('budget caps', () => {
  const costly = (usd: number) => ({ inputTokens: 1000, outputTokens: 1000, cachedInputTokens: 0, costUsd: usd });
  const pricey = {
    agents: {
      claude: {
        plan: [{ ...plan(), usage: costly(3) }],
        implement: [{ ...work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST }), usage: costly(3) }],
      },
      codex: { critique: [critique('approve')], review: [critique('approve')] },
    },
  };

  it('a cost cap stops the run before the next step, says so, and resume after raising it finishes', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(
      [
        'run',
        'make x return 2',
        '--config',
        scriptedConfig(pricey, { ...DIRECT_TEST, limits: { retryBaseMs: 1, maxCostUsd: 5 } }),
        '--json',
      ],
      { cwd: repo },
    );
    const s = parseJson<Summary>(r.stdout);
    expect(s.status).toBe('failed');
    expect(s.error?.message).toMatch(/cost|budget/i);
    const resumed = await runCli(
      [
        'resume',
        s.runId,
        '--config',
        scriptedConfig(pricey, { ...DIRECT_TEST, limits: { retryBaseMs: 1, maxCostUsd: 50 } }),
        '--json',
      ],
      { cwd: repo },
    );
    expect(parseJson<Summary>(resumed.stdout).status, resumed.stderr).toBe('green');
  });

  it('a token cap does the same', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(
      [
        'run',
        'make x return 2',
        '--config',
        scriptedConfig(pricey, { ...DIRECT_TEST, limits: { retryBaseMs: 1, maxTokens: 3000 } }),
        '--json',
      ],
      { cwd: repo },
    );
    const s = parseJson<Summary>(r.stdout);
    expect(s.status).toBe('failed');
    expect(s.error?.message).toMatch(/token/i);
  });
});

describe('secrets', () => {
  it('keys in the task, the environment and agent output never reach the record or the terminal', async () => {
    const repo = makeRepo(SAMPLE);
    const inTask = 'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
    const inEnv = 'ghp_0123456789abcdefghijABCDEFGHIJklmnop';
    const inOutput = 'sk-proj-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210';
    const leaky = {
      agents: {
        claude: {
          plan: [{ ...plan(), text: `using key ${inOutput}` }],
          implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST }, [`deployed with ${inOutput}`])],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    };
    const r = await runCli(
      [
        'run',
        `make x return 2 (the staging key is ${inTask})`,
        '--config',
        scriptedConfig(leaky, DIRECT_TEST),
        '--verify',
        'echo token=$GITHUB_TOKEN && npm test',
      ],
      { cwd: repo, env: { GITHUB_TOKEN: inEnv } },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const written = allFiles(join(repo, '.duo')).map((f) => readFileSync(f, 'utf8'));
    expect(written.length).toBeGreaterThan(3);
    for (const text of [r.stdout, r.stderr, ...written]) {
      expect(text).not.toContain(inTask);
      expect(text).not.toContain(inEnv);
      expect(text).not.toContain(inOutput);
    }
    // What was redacted is still visibly there, as a marker.
    expect(written.join('\n')).toMatch(/REDACTED/);
  });
});
