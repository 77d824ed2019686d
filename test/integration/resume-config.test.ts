import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load.js';
import { Config } from '../../src/config/schema.js';
import { configRecord, resumeConfig } from '../../src/protocol/run-config.js';
import { RunStore } from '../../src/record/store.js';
import { parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';
import { runState } from '../support/state.js';

/**
 * A run keeps the configuration it started with: `duo run --config s.json`, interrupted, then `duo resume <id>`
 * runs on s.json — not on the repository's duo.config.json — without being told again. `resume --config` replaces
 * it on purpose and the record, the report and --json say so; a record from before duo kept one resumes on the
 * current config, with a note. The configs here differ only in their verify command, so the command the gate ran
 * shows which config the resumed run used.
 */
const scenario = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};
const STARTED_WITH = 'node --test';
const REPO_CONFIG = 'node -e "process.exit(7)"';
const OVERRIDE = 'node --test --test-reporter=spec';

interface Summary {
  status: string;
  verify: { command: string }[];
  config: { path: string | null; changes: { why: string; path: string | null }[] } | null;
  reportPath: string;
}

/** A repo whose own duo.config.json would verify with a command that fails, and a run started on another config. */
async function interruptedRun(): Promise<{ repo: string; runId: string; config: string }> {
  const repo = makeRepo(SAMPLE);
  const own = parseJson<Record<string, unknown>>(readFileSync(scriptedConfig(scenario), 'utf8'));
  writeFileSync(join(repo, 'duo.config.json'), JSON.stringify({ ...own, verify: [REPO_CONFIG] }));
  const config = scriptedConfig(scenario, { verify: [STARTED_WITH] });
  // Killed right after its worktree exists: the verify commands are fixed later, from the config in use.
  const r = await runCli(['run', 'make x return 2', '--config', config, '--yes', '--json'], {
    cwd: repo,
    env: { DUO_FAULT_KILL_AFTER: 'workspace' },
  });
  expect(r.signal, r.stderr).toBe('SIGKILL');
  const [run] = new RunStore(repo).list().runs;
  expect(Object.keys(run?.steps ?? {})).toEqual(['workspace']);
  return { repo, runId: run?.runId as string, config };
}

describe('resume runs on the configuration the run started with', () => {
  it('`duo resume <id>` needs no --config: it uses the one the run started with, not the repository’s', async () => {
    const { repo, runId, config } = await interruptedRun();
    const r = await runCli(['resume', runId, '--yes', '--json'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    const s = parseJson<Summary>(r.stdout);
    expect(s.status).toBe('green');
    expect(s.verify.map((v) => v.command)).toEqual([STARTED_WITH]);
    expect(s.config).toEqual({ path: config, changes: [] });
    expect(r.stderr).not.toContain('note: resumed with');
  });

  it('`resume --config` replaces it on purpose: said on stderr, in the report and in --json, and kept for later resumes', async () => {
    const { repo, runId, config } = await interruptedRun();
    const other = scriptedConfig(scenario, { verify: [OVERRIDE] });
    const r = await runCli(['resume', runId, '--yes', '--json', '--config', other], {
      cwd: repo,
      env: { DUO_FAULT_KILL_AFTER: 'verify/commands' },
    });
    expect(r.signal, r.stderr).toBe('SIGKILL');
    expect(r.stderr).toContain(
      `note: resumed with --config ${other} instead of the configuration the run started with (${config})`,
    );
    expect(new RunStore(repo).load(runId).config?.changes).toEqual([
      { at: expect.any(String), path: other, why: 'override' },
    ]);
    // The next resume, with no flag, stays on the override.
    const again = await runCli(['resume', runId, '--yes', '--json'], { cwd: repo });
    expect(again.exitCode, again.stderr).toBe(0);
    const s = parseJson<Summary>(again.stdout);
    expect(s.verify.map((v) => v.command)).toEqual([OVERRIDE]);
    const report = readFileSync(s.reportPath, 'utf8');
    expect(report).toMatch(/^\*\*Configuration:\*\* \S+: resumed with --config (.+) \(replacing/m);
    expect(report).toContain(`resumed with --config ${other} (replacing the configuration it started with)`);
  });

  it('a record from before duo kept its configuration resumes on the current one, says so, and keeps it', async () => {
    const { repo, runId } = await interruptedRun();
    const file = join(repo, '.duo', 'runs', runId, 'state.json');
    const raw = JSON.parse(readFileSync(file, 'utf8'));
    delete raw.config;
    writeFileSync(file, JSON.stringify(raw));
    const r = await runCli(['resume', runId, '--yes', '--json'], { cwd: repo });
    expect(r.stderr).toContain("note: this run's record predates saved configurations: resumed with");
    const s = parseJson<Summary>(r.stdout);
    expect(s.verify.map((v) => v.command)).toEqual([REPO_CONFIG]);
    expect(s.config).toEqual({
      path: join(repo, 'duo.config.json'),
      changes: [{ at: expect.any(String), path: join(repo, 'duo.config.json'), why: 'adopted' }],
    });
  });

  it('a detached run resumes on its own config too (the background process is not handed a --config)', async () => {
    const { repo, runId } = await interruptedRun();
    const r = await runCli(['resume', runId, '--detach', '--json'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    const done = await runCli(['wait', runId, '--json'], { cwd: repo });
    expect(done.exitCode, done.stdout).toBe(0);
    expect(parseJson<Summary>(done.stdout).verify.map((v) => v.command)).toEqual([STARTED_WITH]);
  });
});

describe('secrets in the configuration stay out of the record', () => {
  const withKey = (key: string) =>
    Config.parse({
      agents: { claude: { kind: 'claude', env: { ANTHROPIC_API_KEY: key, ANTHROPIC_BASE_URL: 'http://127.0.0.1:1' } } },
    });

  it('an agent variable named like a secret is masked in the record and taken again from the file on resume', () => {
    const repo = tempDir('duo-cfg-secret-');
    const file = join(repo, 'team.json');
    const key = 'plain-looking-value-1234';
    writeFileSync(file, JSON.stringify({ agents: { claude: { kind: 'claude', env: { ANTHROPIC_API_KEY: key } } } }));
    const store = new RunStore(repo);
    store.save(runState({ runId: '20260101-000000-aaaa', config: configRecord(withKey(key), file, 't0') }));
    const saved = readFileSync(join(store.dir('20260101-000000-aaaa'), 'state.json'), 'utf8');
    expect(saved).not.toContain(key);
    expect(saved).toContain('http://127.0.0.1:1'); // what is not a secret is kept as it was

    const resumed = resumeConfig(store.load('20260101-000000-aaaa'), repo, undefined, 't1');
    const claude = resumed.config.agents.claude;
    expect(claude?.kind === 'claude' && claude.env.ANTHROPIC_API_KEY).toBe(key);
    expect(resumed.note).toBeNull();
  });

  it('a secret its file no longer holds is a clear config error that says to give --config', () => {
    const repo = tempDir('duo-cfg-secret-');
    const state = runState({ config: configRecord(withKey('k-123456789'), join(repo, 'gone.json'), 't0') });
    expect(() => resumeConfig(state, repo, undefined, 't1')).toThrow(ConfigError);
    expect(() => resumeConfig(state, repo, undefined, 't1')).toThrow(
      /agents\.claude\.env\.ANTHROPIC_API_KEY.*resume it with --config <file>/s,
    );
  });
});
