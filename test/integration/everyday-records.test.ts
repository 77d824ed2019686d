import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BudgetJson } from '../../src/wire/user.js';
import { DIRECT_TEST, parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, disputedBlocker, plan, work } from '../support/scenario.js';

/**
 * Reading the record as a new user does: filters that reject what no run can match, reports in local time, a red
 * run that names its failing tests, `duo stats` in plain words, and a budget that does not count scripted calls.
 */
describe('duo log filters', () => {
  it('an unknown status or mode, or a date not on the calendar, is a usage error naming the valid values', async () => {
    const repo = makeRepo(SAMPLE);
    const status = await runCli(['log', '--status', 'gren'], { cwd: repo });
    expect(status.exitCode).toBe(2);
    expect(status.stderr).toContain('--status "gren": not a status a run can have (did you mean green?)');
    expect(status.stderr).toContain('Valid: running, green, red, unverified, awaiting-decision');
    const mode = await runCli(['log', '--mode', 'pair,bogus'], { cwd: repo });
    expect(mode.exitCode).toBe(2);
    expect(mode.stderr).toContain('--mode "bogus"');
    expect(mode.stderr).toContain('Valid: pair, invert, solo, answer, review, auto');
    const since = await runCli(['log', '--since', '2026-02-30', '--json'], { cwd: repo });
    expect(since.exitCode).toBe(2);
    expect(parseJson<{ error: { message: string } }>(since.stdout).error.message).toContain('no such date');
    // Valid values still filter.
    const ok = await runCli(['log', '--status', 'green,red', '--mode', 'auto', '--since', '2026-02-28'], { cwd: repo });
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('No runs match.');
  });
});

describe('times, red runs and the budget', () => {
  it('the report and duo log show local time with the zone; a red run names its failing tests; scripted calls are not spend', async () => {
    const repo = makeRepo(SAMPLE);
    const env = { DUO_HOME: tempDir('duo-home-'), TZ: 'Asia/Kolkata' };
    const failing =
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\n" +
      "test('shares add up to the total', () => assert.equal(1, 2));\ntest('rounds half even', () => assert.equal(3, 4));\n";
    const red = {
      agents: {
        claude: { plan: [plan()], implement: [work({ 'test/y.test.js': failing })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    };
    const config = scriptedConfig(red, { ...DIRECT_TEST, limits: { verifyRounds: 1 } });
    const human = await runCli(['run', 'add y', '--config', config], { cwd: repo, env });
    expect(human.exitCode).toBe(1);
    // The headline names them (in the runner's order), and each has a line under its command.
    expect(human.stdout).toMatch(/^the verify gate ran and a command failed: failing tests "[^"]+" and "[^"]+"$/m);
    expect(human.stdout).toContain('"shares add up to the total"');
    expect(human.stdout).toMatch(/^ {6}✗ shares add up to the total$/m);
    expect(human.stdout).toMatch(/^ {6}✗ rounds half even$/m);
    const json = parseJson<{
      runId: string;
      failingTests: string[];
      verify: { failingTests: string[] }[];
      reportPath: string;
      createdAt: string;
    }>((await runCli(['show', '--json'], { cwd: repo, env })).stdout);
    expect([...json.failingTests].sort()).toEqual(['rounds half even', 'shares add up to the total']);
    expect(json.verify[0]?.failingTests).toEqual(json.failingTests);

    // Local time (+05:30 in Kolkata), with the zone; not the record's raw UTC.
    const report = readFileSync(json.reportPath, 'utf8');
    const local = new Date(Date.parse(json.createdAt) + 5.5 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    expect(report).toContain(`**Started:** ${local}`);
    expect(report).toMatch(/\*\*Started:\*\* \S+ \S+ UTC\+05:30/);
    expect(report).not.toContain(json.createdAt);
    expect((await runCli(['log'], { cwd: repo, env })).stdout).toContain(local);

    // Four scripted calls were made; none is duo's real spend.
    const budget = parseWire(
      BudgetJson,
      (await runCli(['budget', '--json', '--config', config], { cwd: repo, env })).stdout,
    );
    expect(budget.spend.week.all).toEqual({});
    expect(budget.simulatedCalls).toBeGreaterThan(0);
    const text = (await runCli(['budget', '--config', config], { cwd: repo, env })).stdout;
    expect(text).toMatch(/\d+ scripted call\(s\) this week — the demo, tests — are not counted/);
  });
});

describe('duo stats in plain words', () => {
  it('"1 repository", and a confidence band with nothing settled says so instead of "– (0/0 of 1)"', async () => {
    const repo = makeRepo(SAMPLE);
    const env = { DUO_HOME: tempDir('duo-home-') };
    const r = await runCli(
      ['run', 'make x return 2', '--config', scriptedConfig(disputedBlocker(), DIRECT_TEST), '--yes'],
      {
        cwd: repo,
        env,
      },
    );
    expect(r.exitCode).toBe(3);
    const all = await runCli(['stats', '--all-repos'], { cwd: repo, env });
    expect(all.exitCode, all.stderr).toBe(0);
    expect(all.stdout).toContain('1 run in 1 repository');
    expect(all.stdout).not.toMatch(/1 repositories|1 run\(s\)/);
    expect(all.stdout).toContain('precision by confidence: no confidence given: 1 finding, none settled yet');
    expect(all.stdout).not.toContain('(0/0');
  });
});
