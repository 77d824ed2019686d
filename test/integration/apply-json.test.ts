import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CleanJson } from '../../src/wire/records.js';
import { ApplyCommandJson } from '../../src/wire/run.js';
import { DIRECT_TEST, parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * Bringing a run's change into the working tree, as a script sees it: `run --apply --json` carries the apply's own
 * outcome (a green run that could not be applied is not a success), `duo apply --json` and `duo clean --json` say
 * what they did, and a conflict's message names its real cause.
 */
const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};

type ApplyJson = ApplyCommandJson;

describe('run --apply --json', () => {
  it('a green run whose change conflicts with a local edit: exit 1, and `apply` says it was not applied and why', async () => {
    const repo = makeRepo(SAMPLE);
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 7; // mine\n}\n');
    const r = await runCli(
      ['run', 'make x return 2', '--config', scriptedConfig(happy, DIRECT_TEST), '--apply', '--json'],
      {
        cwd: repo,
      },
    );
    expect(r.exitCode).toBe(1);
    const json = parseJson<{ status: string; error: unknown; apply: Omit<ApplyJson, 'runId'> }>(r.stdout);
    expect(json.status).toBe('green');
    expect(json.apply).toMatchObject({ applied: false, files: [], conflicts: ['src/x.js'] });
    expect(json.apply.message).toContain('does not apply cleanly');
    // The user's edit is untouched.
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toContain('return 7; // mine');

    // Without the conflict, the same run applies: duo apply --json says which files.
    git(repo, 'checkout', '--', 'src/x.js');
    const applied = await runCli(['apply', '--json'], { cwd: repo });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(parseWire(ApplyCommandJson, applied.stdout)).toMatchObject({
      applied: true,
      files: ['src/x.js', 'test/x.test.js'],
      conflicts: [],
    });
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toBe(GOOD_X);
    const again = parseWire(ApplyCommandJson, (await runCli(['apply', '--json'], { cwd: repo })).stdout);
    expect(again).toMatchObject({ applied: false, conflicts: [] });
    expect(again.message).toContain('already applied');
  });

  it('a run that applied cleanly carries apply.applied true; a red run with --apply says why it was not applied', async () => {
    const repo = makeRepo(SAMPLE);
    const ok = await runCli(
      ['run', 'make x return 2', '--config', scriptedConfig(happy, DIRECT_TEST), '--apply', '--json'],
      {
        cwd: repo,
      },
    );
    expect(ok.exitCode, ok.stderr).toBe(0);
    expect(parseJson<{ apply: Omit<ApplyJson, 'runId'> }>(ok.stdout).apply).toMatchObject({
      applied: true,
      files: ['src/x.js', 'test/x.test.js'],
    });
    const failing = `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('always fails', () => assert.equal(1, 2));\n`;
    const red = {
      agents: {
        claude: { plan: [plan()], implement: [work({ 'test/y.test.js': failing })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    };
    const r = await runCli(
      [
        'run',
        'add y',
        '--config',
        scriptedConfig(red, { ...DIRECT_TEST, limits: { verifyRounds: 1 } }),
        '--apply',
        '--json',
      ],
      { cwd: makeRepo(SAMPLE) },
    );
    const json = parseJson<{ status: string; apply: Omit<ApplyJson, 'runId'> }>(r.stdout);
    expect(json.status).toBe('red');
    expect(json.apply).toMatchObject({ applied: false, conflicts: [] });
    expect(json.apply.message).toContain('the run is red');
  });
});

describe('a conflict after --include-uncommitted', () => {
  it('blames the snapshot the run started from, not "your own changes"', async () => {
    const repo = makeRepo(SAMPLE);
    // The run starts from the user's uncommitted edit of x…
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 5;\n}\n');
    const r = await runCli(
      ['run', 'make x return 2', '--config', scriptedConfig(happy, DIRECT_TEST), '--include-uncommitted', '--json'],
      { cwd: repo },
    );
    const { runId } = parseJson<{ runId: string; status: string }>(r.stdout);
    // …and the user has since thrown that edit away: the snapshot the change was made on is gone from the tree.
    git(repo, 'checkout', '--', 'src/x.js');
    const applied = await runCli(['apply', runId, '--json'], { cwd: repo });
    expect(applied.exitCode).toBe(1);
    const json = parseWire(ApplyCommandJson, applied.stdout);
    expect(json).toMatchObject({ applied: false, conflicts: ['src/x.js'] });
    expect(json.message).toContain(
      'started from a snapshot duo took of your uncommitted changes (--include-uncommitted)',
    );
    expect(json.message).toContain('no longer matches that snapshot in src/x.js');
    expect(json.message).not.toContain('Commit or stash your own changes');
    const human = await runCli(['apply', runId], { cwd: repo });
    expect(human.exitCode).toBe(1);
    expect(human.stderr).toContain(`git merge duo/${runId}`);
  });
});

describe('duo clean --json', () => {
  it('says what it removed and what it kept, and why', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(happy, DIRECT_TEST);
    const green = parseJson<{ runId: string }>(
      (await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo })).stdout,
    ).runId;
    const kept = parseWire(CleanJson, (await runCli(['clean', '--json'], { cwd: repo })).stdout);
    expect(kept.removed).toEqual([]);
    expect(kept.kept).toEqual([{ runId: green, why: expect.stringContaining('green, not applied') }]);
    expect(kept.running).toEqual([]);
    const forced = await runCli(['clean', '--force', '--json'], { cwd: repo });
    expect(forced.exitCode).toBe(0);
    expect(parseWire(CleanJson, forced.stdout)).toEqual({ removed: [green], records: false, kept: [], running: [] });
    expect(git(repo, 'branch', '--list', 'duo/*')).toBe('');
  });
});
