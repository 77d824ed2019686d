import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ShowJson } from '../../src/wire/run.js';
import { DIRECT_TEST, parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * `duo clean` removes only what cannot be wanted any more (issue 9.8): applied runs and finished ones that cannot be
 * resumed. A failed run (resumable) and a green run never applied keep their branches unless --force, and are listed
 * first. Once a branch is gone, every command says so plainly. A damaged record can be removed too (issue 9.9).
 */
const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};
const failing = {
  agents: { claude: { plan: [plan()], implement: [{ fail: 'api-error' }] }, codex: happy.agents.codex },
};
type Summary = { runId: string; status: string };

async function run(repo: string, scenario: unknown, ...extra: string[]): Promise<Summary> {
  // One verify round: a red run stays red instead of asking the scripted driver for a fix.
  const config = scriptedConfig(scenario, { ...DIRECT_TEST, limits: { retryBaseMs: 1, verifyRounds: 1 } });
  const r = await runCli(['run', 'make x return 2', '--config', config, '--json', ...extra], { cwd: repo });
  return parseJson<Summary>(r.stdout);
}

const branches = (repo: string) =>
  git(repo, 'branch', '--list', 'duo/*', '--format=%(refname:short)').split('\n').filter(Boolean).sort();

describe('duo clean keeps what can still be used', () => {
  it('without ids: removes applied and red runs, keeps a failed and an unapplied green run and lists them', async () => {
    const repo = makeRepo(SAMPLE);
    const applied = await run(repo, happy);
    expect((await runCli(['apply', applied.runId], { cwd: repo })).exitCode).toBe(0);
    git(repo, 'checkout', '--', '.');
    git(repo, 'clean', '-fdq');
    const green = await run(repo, happy);
    const failed = await run(repo, failing);
    const red = await run(repo, happy, '--verify', 'false');
    expect([applied.status, green.status, failed.status]).toEqual(['green', 'green', 'failed']);

    const r = await runCli(['clean'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(branches(repo)).toEqual([`duo/${failed.runId}`, `duo/${green.runId}`].sort());
    const kept = r.stdout.indexOf('kept');
    const removed = r.stdout.indexOf('removed');
    expect(kept).toBeGreaterThanOrEqual(0);
    expect(kept).toBeLessThan(removed);
    expect(r.stdout).toContain(`${failed.runId} failed`);
    expect(r.stdout).toContain(`${green.runId} green, not applied`);
    expect(r.stdout).toContain('--force');
    expect(r.stdout).toContain(red.runId);

    const forced = await runCli(['clean', '--force'], { cwd: repo });
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(forced.stdout).toContain(failed.runId);
    expect(branches(repo)).toEqual([]);
  });

  it('a named run that can still be resumed is kept without --force, and the exit code says so', async () => {
    const repo = makeRepo(SAMPLE);
    const failed = await run(repo, failing);
    const r = await runCli(['clean', failed.runId], { cwd: repo });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain(`${failed.runId} failed`);
    expect(branches(repo)).toEqual([`duo/${failed.runId}`]);
    expect((await runCli(['clean', failed.runId, '--force'], { cwd: repo })).exitCode).toBe(0);
    expect(branches(repo)).toEqual([]);
  });
});

describe('after a branch is gone', () => {
  it('resume, apply and show say so plainly', async () => {
    const repo = makeRepo(SAMPLE);
    const failed = await run(repo, failing);
    const green = await run(repo, happy);
    expect((await runCli(['clean', '--force'], { cwd: repo })).exitCode).toBe(0);

    const resumed = await runCli(['resume', failed.runId, '--config', scriptedConfig(happy, DIRECT_TEST)], {
      cwd: repo,
    });
    const applied = await runCli(['apply', green.runId], { cwd: repo });
    const shown = await runCli(['show', green.runId], { cwd: repo });
    for (const r of [resumed, applied]) {
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toMatch(/branch duo\/\S+ is gone/);
    }
    expect(resumed.stderr).toContain('cannot be resumed');
    expect(applied.stderr).toContain('nothing left to apply');
    expect(shown.stderr).toMatch(/branch duo\/\S+ is gone/);
    expect(shown.stdout).toMatch(/^\*\*Next:\*\* nothing to apply or resume/m);
    expect(shown.stdout).not.toMatch(/duo apply|duo resume/);
    for (const r of [resumed, applied, shown]) {
      const all = r.stdout + r.stderr;
      expect(all).not.toMatch(/RepoError|GitError|fatal:|ambiguous argument/);
      expect(all).not.toMatch(/next: duo resume/);
    }
    expect(
      ShowJson.parse(parseJson((await runCli(['show', green.runId, '--json'], { cwd: repo })).stdout)).branchGone,
    ).toBe(true);
  });
});

describe('a damaged record (issue 9.9)', () => {
  it('duo clean <id> removes its branch and worktree; with --all its record too', async () => {
    const repo = makeRepo(SAMPLE);
    const ok = await run(repo, happy);
    const file = join(repo, '.duo', 'runs', ok.runId, 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 100));
    const r = await runCli(['clean', ok.runId], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(branches(repo)).toEqual([]);
    expect(existsSync(join(repo, '.duo', 'runs', ok.runId))).toBe(true);
    const all = await runCli(['clean', ok.runId, '--all'], { cwd: repo });
    expect(all.exitCode, all.stderr).toBe(0);
    expect(existsSync(join(repo, '.duo', 'runs', ok.runId))).toBe(false);
    expect(parseJson((await runCli(['log', '--json'], { cwd: repo })).stdout)).toEqual({
      runs: [],
      damaged: [],
      total: 0,
      shown: 0,
    });
  });

  it('duo clean --all without ids keeps a damaged record unless --force, and says so', async () => {
    const repo = makeRepo(SAMPLE);
    const ok = await run(repo, happy, '--verify', 'false');
    const file = join(repo, '.duo', 'runs', ok.runId, 'state.json');
    writeFileSync(file, '{');
    const r = await runCli(['clean', '--all'], { cwd: repo });
    expect(r.stdout).toContain(`${ok.runId} damaged record`);
    expect(existsSync(join(repo, '.duo', 'runs', ok.runId))).toBe(true);
    await runCli(['clean', '--all', '--force'], { cwd: repo });
    expect(existsSync(join(repo, '.duo', 'runs', ok.runId))).toBe(false);
    expect(branches(repo)).toEqual([]);
  });
});

describe('apply twice (issue 9.10)', () => {
  it('says already applied, and after run --apply the next step is not to apply again', async () => {
    const repo = makeRepo(SAMPLE);
    const first = await run(repo, happy);
    expect((await runCli(['apply', first.runId], { cwd: repo })).exitCode).toBe(0);
    const again = await runCli(['apply', first.runId], { cwd: repo });
    expect(again.exitCode).toBe(0);
    expect(again.stdout + again.stderr).toContain('already applied');
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toBe(GOOD_X);

    const repo2 = makeRepo(SAMPLE);
    const r = await runCli(['run', 'make x return 2', '--config', scriptedConfig(happy, DIRECT_TEST), '--apply'], {
      cwd: repo2,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const next = r.stdout.split('\n').find((l) => l.startsWith('next:'));
    expect(next).toBeDefined();
    expect(next).not.toContain('duo apply');
    const id = /duo (\S+): /.exec(r.stdout)![1]!;
    const report = readFileSync(join(repo2, '.duo', 'runs', id, 'report.md'), 'utf8');
    expect(report).not.toMatch(/\*\*Next:\*\*.*duo apply/);
  });
});
