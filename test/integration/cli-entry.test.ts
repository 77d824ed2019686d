import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ErrorJson } from '../../src/wire/run.js';
import { DUO_BIN, DUOX_BIN, parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, GOOD_X, plan, work } from '../support/scenario.js';

/** How duo meets its arguments before any work starts: typos, --version, --help, usage errors, closed pipes. */
const version = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

function nothingCreated(repo: string): void {
  expect(existsSync(join(repo, '.duo'))).toBe(false);
  expect(git(repo, 'branch', '--list', 'duo/*')).toBe('');
  expect(readFileSync(join(repo, '.git', 'info', 'exclude'), 'utf8')).not.toContain('.duo');
}

describe('a typo never starts a paid run (issue 9.2)', () => {
  it.each([
    ['lgo', 'log'],
    ['shwo', 'show'],
    ['LOG', 'log'],
    ['resme', 'resume'],
  ])('duo %s → unknown command, did you mean %s; nothing is created', async (typo, meant) => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli([typo], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`unknown command '${typo}' (did you mean ${meant}?)`);
    nothingCreated(repo);
  });

  it('a typo with arguments after it is caught too: duo shwo <id>', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(['shwo', '20260101-000000-abcd', '--json'], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command 'shwo' (did you mean show?)");
    nothingCreated(repo);
  });

  it('any other single word is not a task either, and the message says how to run one', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(['refactor', '--yes'], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("unknown command 'refactor'");
    expect(r.stderr).toContain('duo run refactor');
    nothingCreated(repo);
  });

  it('duox is guarded the same way', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(['lgo'], { cwd: repo, bin: DUOX_BIN });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("duox: unknown command 'lgo' (did you mean log?)");
    nothingCreated(repo);
  });
});

describe('the command line itself (issue 9.10)', () => {
  it('duo --version and duox --version print the package version', async () => {
    const cwd = tempDir();
    for (const bin of [DUO_BIN, DUOX_BIN]) {
      const r = await runCli(['--version'], { cwd, bin });
      expect(r.exitCode).toBe(0);
      expect(r.stdout.trim()).toBe(version);
    }
  });

  it('duo --help shows the duo "<task>" shorthand', async () => {
    const r = await runCli(['--help'], { cwd: tempDir() });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('duo "<task>"');
    expect(r.stdout).toContain('log');
  });

  it('duo decide without arguments names the missing run id', async () => {
    const r = await runCli(['decide'], { cwd: makeRepo(SAMPLE) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain("missing required argument 'runId'");
  });

  it('with --json a usage error is also one JSON object on stdout', async () => {
    const repo = makeRepo(SAMPLE);
    for (const args of [
      ['show', 'nope', '--json'],
      ['run', ' ', '--json'],
      ['log', '--bogus', '--json'],
      ['lgo', '--json'],
    ]) {
      const r = await runCli(args, { cwd: repo });
      expect(r.exitCode, args.join(' ')).toBe(2);
      const json = ErrorJson.parse(parseJson(r.stdout));
      expect(json.error.message.length, args.join(' ')).toBeGreaterThan(0);
      expect(json.exitCode).toBe(2);
    }
  });

  it('an unknown run id reads the same for every command', async () => {
    const repo = makeRepo(SAMPLE);
    for (const args of [
      ['show', 'nope'],
      ['apply', 'nope'],
      ['resume', 'nope'],
      ['decide', 'nope', 'card-1', '--pick', 'driver'],
      ['clean', 'nope'],
      ['show', '../etc'],
    ]) {
      const r = await runCli(args, { cwd: repo });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(
        /^duo: unknown run "[^"]+"; `duo log` lists the runs of this repository\.$/m,
      );
    }
  });

  it('duo log in a repository with no commits lists nothing', async () => {
    const repo = tempDir();
    git(repo, 'init', '-q');
    const r = await runCli(['log'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('No duo runs');
    const json = await runCli(['log', '--json'], { cwd: repo });
    expect(parseJson(json.stdout)).toEqual({ runs: [], damaged: [], total: 0, shown: 0 });
  });
});

describe('a closed stdout (issue 9.5)', () => {
  it('duo log into a pipe that is already closed ends quietly, with its exit code', async () => {
    const repo = makeRepo(SAMPLE);
    const child = execa('node', [DUO_BIN, 'log'], { cwd: repo, reject: false, stdin: 'ignore', stdout: 'pipe' });
    child.stdout.destroy();
    const r = await child;
    expect(r.stderr).toBe('');
    expect(r.exitCode).toBe(0);
  });
});

describe('verify results on the terminal say why (issue 9.10)', () => {
  const scenario = (writes: Record<string, string>) => ({
    agents: {
      claude: { plan: [plan()], implement: [work(writes)] },
      codex: { critique: [critique('approve')], review: [critique('approve')] },
    },
  });
  const oneRound = (extra: Record<string, unknown> = {}) => ({ limits: { retryBaseMs: 1, verifyRounds: 1, ...extra } });

  it('a verify timeout reads "timed out after N s", not "exit none", on the terminal and in the report', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(scenario({ 'src/x.js': GOOD_X }), oneRound({ verifyTimeoutMs: 500 }));
    const r = await runCli(['run', 'make x return 2', '--config', config, '--verify', 'sleep 30'], { cwd: repo });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('FAIL $ sleep 30 (timed out after 0.5 s)');
    expect(r.stdout).toContain('FAIL $ sleep 30 (timed out after 0.5 s)');
    const id = /duo (\S+): /.exec(r.stdout)![1]!;
    const report = readFileSync(join(repo, '.duo', 'runs', id, 'report.md'), 'utf8');
    for (const text of [r.stdout, r.stderr, report]) expect(text).not.toContain('exit none');
    expect(report).toContain('timed out after 0.5 s');
  });

  it('a test command that ran no tests says so on the terminal, not just FAIL (exit 0)', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(scenario({ 'src/x.js': GOOD_X }), oneRound());
    const r = await runCli(['run', 'make x return 2', '--config', config], { cwd: repo });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/FAIL \$ npm test \(ran no tests/);
    expect(r.stderr).toMatch(/FAIL \$ npm test \(ran no tests/);
    expect(r.stdout).not.toContain('(exit 0)');
  });
});
