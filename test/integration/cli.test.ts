import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunCommandJson } from '../../src/wire/run.js';
import { DUOX_BIN, parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE, tempDir, treeFingerprint } from '../support/harness.js';
import { critique, disputedBlocker, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/** The CLI as a user meets it: a separate process in a temp git repo, scripted agents from a config file. */
const scripted = (_repo: string, scenario: unknown, extra: Record<string, unknown> = {}) =>
  scriptedConfig(scenario, extra);

const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};

describe('duo run', () => {
  it('prints one JSON object with the documented fields and exits 0 on green; the user tree is untouched', async () => {
    const repo = makeRepo(SAMPLE);
    writeFileSync(join(repo, 'src/x.js'), 'export function x() { return "uncommitted"; }\n');
    const before = treeFingerprint(repo);
    const r = await runCli(['run', 'make x return 2', '--config', scripted(repo, happy), '--json'], { cwd: repo });
    expect(r.exitCode).toBe(0);
    // Exactly the fields the wire schema declares: the schema users get as JSON Schema is the writer's own.
    const json = RunCommandJson.parse(parseJson(r.stdout));
    expect(json).toMatchObject({ status: 'green', mode: 'pair', roles: { driver: 'claude', skeptic: 'codex' } });
    expect(json.branch).toBe(`duo/${json.runId}`);
    expect(existsSync(json.reportPath as string)).toBe(true);
    expect(json.verify).toEqual([expect.objectContaining({ command: 'npm test', exitCode: 0, passed: true })]);
    expect(Array.isArray(json.findings) && Array.isArray(json.decisions)).toBe(true);
    expect(treeFingerprint(repo)).toBe(before);
    // The record is kept out of git without touching .gitignore.
    expect(readFileSync(join(repo, '.git', 'info', 'exclude'), 'utf8')).toMatch(/^\/\.duo\/$/m);
    expect(existsSync(join(repo, '.gitignore'))).toBe(false);
    // And the branch really carries the change.
    expect(execFileSync('git', ['show', `${json.branch}:src/x.js`], { cwd: repo }).toString()).toBe(GOOD_X);
  });

  it('duox runs the inverted roles: codex drives, claude dispatches and reports', async () => {
    const repo = makeRepo(SAMPLE);
    const scenario = {
      agents: {
        claude: {
          brief: [{ answer: { task: 'make x return 2', acceptance: ['x() === 2'], risk: 'low' } }],
          report: [{ answer: { summary: 'x now returns 2; verified by npm test.' } }],
        },
        codex: {
          plan: [plan()],
          critique: [critique('approve')],
          implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })],
          review: [critique('approve')],
        },
      },
    };
    const r = await runCli(['make x return 2', '--config', scripted(repo, scenario), '--json'], {
      cwd: repo,
      bin: DUOX_BIN,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const json = parseJson(r.stdout);
    expect(json).toMatchObject({
      status: 'green',
      mode: 'invert',
      roles: { driver: 'codex', skeptic: 'codex', dispatcher: 'claude' },
    });
    const state = JSON.parse(readFileSync(join(repo, '.duo', 'runs', json.runId as string, 'state.json'), 'utf8'));
    // The self-review ran in a fresh session, not the one that wrote the code.
    const events = readFileSync(join(repo, '.duo', 'runs', json.runId as string, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l))
      .filter((e) => e.type === 'agent-call');
    const session = (step: string) => events.find((e) => e.step === step)?.sessionId;
    expect(session('review/r1/review')).not.toBe(session('implement/driver'));
    expect(state.notes.join('\n')).toContain('x now returns 2');
  });

  it('stops with exit 3 on a disputed blocker, then decide + resume finish it', async () => {
    const repo = makeRepo(SAMPLE);
    const scenario = disputedBlocker();
    const config = scripted(repo, scenario);
    const first = await runCli(['run', 'make x return 2', '--config', config, '--yes', '--json'], { cwd: repo });
    expect(first.exitCode).toBe(3);
    const json = parseJson(first.stdout);
    expect(json.status).toBe('awaiting-decision');
    const card = (json.cards as { id: string; stakes: string }[])[0]!;
    expect(card.stakes).toBe('anyone can call it');
    const show = await runCli(['show', json.runId as string], { cwd: repo });
    expect(show.stdout).toContain(`Decision needed: ${card.id}`);

    const bad = await runCli(['decide', json.runId as string, 'card-nope', '--pick', 'driver'], { cwd: repo });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain(card.id);
    const decided = await runCli(['decide', json.runId as string, card.id, '--pick', 'driver'], { cwd: repo });
    expect(decided.exitCode).toBe(0);
    const resumed = await runCli(['resume', json.runId as string, '--config', config, '--json', '--yes'], {
      cwd: repo,
    });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    const done = parseJson(resumed.stdout);
    expect(done.status).toBe('green');
    expect(done.decisions).toEqual([expect.objectContaining({ cardId: card.id, pick: 'driver' })]);

    const log = parseJson<{ runs: { runId: string; status: string; disagreements: number }[] }>(
      (await runCli(['log', '--json'], { cwd: repo })).stdout,
    );
    expect(log.runs).toEqual([expect.objectContaining({ runId: json.runId, status: 'green', disagreements: 1 })]);
    expect(readFileSync(join(repo, '.duo', 'DISAGREEMENTS.md'), 'utf8')).toContain('x is exported without auth');
  });
});

describe('bad input gets a clear error that says what to do (exit 2)', () => {
  it('not a git repository', async () => {
    const r = await runCli(['run', 'do it'], { cwd: tempDir() });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/git/i);
  });

  it('an empty task', async () => {
    const r = await runCli(['run', '   '], { cwd: makeRepo(SAMPLE) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('duo needs a task');
  });

  it('an unknown agent name', async () => {
    const r = await runCli(['run', 'do it', '--driver', 'gpt9'], { cwd: makeRepo(SAMPLE) });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown agent "gpt9"');
    expect(r.stderr).toContain('duo.config.json');
  });

  it('an invalid config names the path and the expected shape', async () => {
    const repo = makeRepo({ ...SAMPLE, 'duo.config.json': JSON.stringify({ limits: { planRounds: 'three' } }) });
    const r = await runCli(['run', 'do it'], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('limits.planRounds');
    expect(r.stderr).toContain('Expected shape');
  });

  it('a misspelt spending cap is an error, not an uncapped run (issue 9.3)', async () => {
    const repo = makeRepo({ ...SAMPLE, 'duo.config.json': JSON.stringify({ limits: { maxCostUSD: 0.001 } }) });
    const r = await runCli(['run', 'do it'], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('unknown key "limits.maxCostUSD" (did you mean "maxCostUsd"?)');
    expect(existsSync(join(repo, '.duo'))).toBe(false);
    expect(git(repo, 'branch', '--list', 'duo/*')).toBe('');
  });

  it('a verify command that cannot start', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(['run', 'do it', '--verify', 'no-such-tool-xyz --all', '--config', scripted(repo, happy)], {
      cwd: repo,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no-such-tool-xyz');
    expect(r.stderr).toContain('--verify');
  });

  it('a damaged run record', async () => {
    const repo = makeRepo(SAMPLE);
    const ok = parseJson(
      (await runCli(['run', 'x', '--config', scripted(repo, happy), '--json'], { cwd: repo })).stdout,
    );
    const file = join(repo, '.duo', 'runs', ok.runId as string, 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8').slice(0, 200));
    const r = await runCli(['show', ok.runId as string], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('damaged');
    expect(r.stderr).not.toMatch(/at .*\.js:\d+/);
    // duo may have written it itself: the message does not blame the user, and says how to remove it.
    expect(r.stderr).not.toMatch(/by hand/);
    expect(r.stderr).toContain(`duo clean ${ok.runId} --all`);
  });
});

describe('a record with a key in it (issue 9.1)', () => {
  it('a verify command with ?api_key= ends green, and show, apply and resume all work on the masked record', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scripted(repo, happy);
    const verify = 'echo "GET /v1/items?api_key=abcd1234" && npm test';
    const r = await runCli(['run', 'make x return 2', '--config', config, '--verify', verify, '--json'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    const json = parseJson(r.stdout);
    const runId = json.runId as string;
    expect(JSON.stringify(json)).not.toContain('abcd1234');
    expect((json.verify as { command: string }[])[0]!.command).toBe(
      'echo "GET /v1/items?api_key=[REDACTED]" && npm test',
    );
    const show = await runCli(['show', runId, '--json'], { cwd: repo });
    expect(show.exitCode, show.stderr).toBe(0);
    expect(parseJson(show.stdout).status).toBe('green');
    const human = await runCli(['show', runId], { cwd: repo });
    expect(human.exitCode, human.stderr).toBe(0);
    expect(human.stdout).toContain('api_key=[REDACTED]');
    const resumed = await runCli(['resume', runId, '--config', config, '--json'], { cwd: repo });
    expect(resumed.exitCode, resumed.stderr).toBe(0);
    expect(parseJson(resumed.stdout).status).toBe('green');
    const applied = await runCli(['apply', runId], { cwd: repo });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toBe(GOOD_X);
    for (const f of ['state.json', 'events.jsonl', 'report.md'])
      expect(readFileSync(join(repo, '.duo', 'runs', runId, f), 'utf8')).not.toContain('abcd1234');
  });
});
