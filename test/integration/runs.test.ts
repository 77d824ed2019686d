import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, runScenario, SAMPLE, tempDir, treeFingerprint } from '../support/harness.js';
import { answers, critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/** Whole runs on real git: isolation through run and apply, concurrent runs, and parallel sub-tasks. */

const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};

describe('the user tree', () => {
  it('stays byte-identical through a run and through a failed apply; a clean apply keeps their other work', async () => {
    const repo = makeRepo({ ...SAMPLE, 'notes.txt': 'mine\n' });
    // Real uncommitted work, in the very file the run will change, plus an untracked and a staged file.
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 42; // the user is mid-edit\n}\n');
    writeFileSync(join(repo, 'scratch.md'), 'untracked thoughts\n');
    writeFileSync(join(repo, 'notes.txt'), 'mine, staged\n');
    git(repo, 'add', 'notes.txt');
    const before = treeFingerprint(repo);
    const config = scriptedConfig(happy);

    const run = await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo });
    expect(run.exitCode).toBe(0);
    expect(run.stderr).toMatch(/3 uncommitted change\(s\) are not part of this run/);
    const { runId } = parseJson<{ runId: string }>(run.stdout);
    expect(treeFingerprint(repo)).toBe(before);

    const failed = await runCli(['apply', runId, '--config', config], { cwd: repo });
    expect(failed.exitCode).toBe(1);
    expect(failed.stderr).toMatch(/conflicts in src\/x\.js.*nothing was changed/s);
    expect(treeFingerprint(repo)).toBe(before);

    // The user sets their edit aside (keeping the rest); now it applies, and their other work is intact.
    git(repo, 'checkout', '--', 'src/x.js');
    const ok = await runCli(['apply', runId, '--config', config], { cwd: repo });
    expect(ok.exitCode).toBe(0);
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toBe(GOOD_X);
    expect(readFileSync(join(repo, 'test/x.test.js'), 'utf8')).toBe(PASSING_TEST);
    expect(readFileSync(join(repo, 'scratch.md'), 'utf8')).toBe('untracked thoughts\n');
    expect(git(repo, 'diff', '--cached', '--name-only').trim()).toBe('notes.txt');
  });

  it('run --apply brings a green run over; a red run needs --force to apply', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(['run', 'make x return 2', '--config', scriptedConfig(happy), '--apply', '--json'], {
      cwd: repo,
    });
    expect(r.exitCode).toBe(0);
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toBe(GOOD_X);

    const repo2 = makeRepo(SAMPLE);
    const red = {
      agents: {
        claude: {
          plan: [plan()],
          implement: [work({ 'test/x.test.js': PASSING_TEST }, ['all tests pass'])],
          diagnose: [work({}), work({}), work({})],
        },
        codex: { critique: [critique('approve')], review: [critique('approve'), critique('approve')] },
      },
    };
    const cfg = scriptedConfig(red);
    const redRun = await runCli(['run', 'make x return 2', '--config', cfg, '--apply', '--json'], { cwd: repo2 });
    const json = parseJson<{ runId: string; status: string }>(redRun.stdout);
    expect(json.status).toBe('red');
    expect(redRun.exitCode).toBe(1);
    const before = treeFingerprint(repo2);
    expect(treeFingerprint(repo2)).toBe(before);
    const refused = await runCli(['apply', json.runId, '--config', cfg], { cwd: repo2 });
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toMatch(/is red, not green.*--force/s);
    expect(treeFingerprint(repo2)).toBe(before);
    const forced = await runCli(['apply', json.runId, '--config', cfg, '--force'], { cwd: repo2 });
    expect(forced.exitCode).toBe(0);
    expect(forced.stderr).toMatch(/applying a red run because of --force/);
    expect(readFileSync(join(repo2, 'test/x.test.js'), 'utf8')).toBe(PASSING_TEST);
  });
});

describe('concurrent runs', () => {
  it('two runs in one repo at once both finish, each on its own branch', async () => {
    const repo = makeRepo(SAMPLE);
    const slow = JSON.parse(JSON.stringify(happy));
    slow.agents.claude.implement[0].delayMs = 500;
    const config = scriptedConfig(slow);
    const [a, b] = await Promise.all([
      runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo }),
      runCli(['run', 'make x return 2, again', '--config', config, '--json'], { cwd: repo }),
    ]);
    const ja = parseJson<{ runId: string; status: string; branch: string }>(a.stdout);
    const jb = parseJson<{ runId: string; status: string; branch: string }>(b.stdout);
    expect([a.exitCode, b.exitCode]).toEqual([0, 0]);
    expect([ja.status, jb.status]).toEqual(['green', 'green']);
    expect(ja.runId).not.toBe(jb.runId);
    for (const j of [ja, jb]) expect(git(repo, 'show', `${j.branch}:src/x.js`)).toBe(GOOD_X);
    const log = parseJson<{ runs: { runId: string; status: string }[] }>(
      (await runCli(['log', '--json'], { cwd: repo })).stdout,
    );
    expect(log.runs.filter((r) => r.status === 'green')).toHaveLength(2);
  });
});

describe('parallel sub-tasks', () => {
  const Y = 'export const y = 1;\n';
  const Z = 'export const z = 1;\n';
  const subtask = (id: string, files: string[]) => ({
    id,
    title: `sub-task ${id}`,
    description: `do ${id}`,
    files,
    independent: true,
  });

  it('really overlap in time, are reviewed before they land, and a conflicting pair is resolved by the driver', async () => {
    const repo = makeRepo({ ...SAMPLE, 'src/y.js': Y, 'src/z.js': Z });
    const agreed = plan();
    agreed.answer.subtasks = [
      subtask('S1', ['src/y.js']),
      subtask('S2', ['src/z.js']),
      subtask('S3', ['src/y.js']), // touches the same line as S1: the 3-way apply conflicts
    ] as never[];
    const DELAY = 800;
    const { state } = await runScenario(
      repo,
      {
        agents: {
          claude: {
            plan: [agreed],
            'review-patch': [critique('approve'), critique('approve'), critique('approve')],
            'resolve-conflict': [work({ 'src/y.js': 'export const y = 2;\nexport const y3 = 3;\n' })],
            implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })],
          },
          codex: {
            critique: [critique('approve')],
            subtask: [
              { ...work({ 'src/y.js': 'export const y = 2;\n' }), delayMs: DELAY },
              { ...work({ 'src/z.js': 'export const z = 2;\n' }), delayMs: DELAY },
              { ...work({ 'src/y.js': 'export const y3 = 3;\n' }), delayMs: DELAY },
            ],
            review: [critique('approve')],
          },
        },
      },
      { config: { parallel: 3 } },
    );
    expect(state.status).toBe('green');

    // Overlap, measured from the journal: every sub-task started before any of them finished.
    const spans = ['S1', 'S2', 'S3'].map((id) => {
      const s = state.steps[`subtask/${id}/work`]!;
      const start = Date.parse(s.at);
      return { start, end: start + s.durationMs };
    });
    const wall = Math.max(...spans.map((s) => s.end)) - Math.min(...spans.map((s) => s.start));
    const serial = spans.reduce((n, s) => n + (s.end - s.start), 0);
    expect(Math.max(...spans.map((s) => s.start))).toBeLessThan(Math.min(...spans.map((s) => s.end)));
    expect(wall).toBeLessThan(serial * 0.67);
    console.info(`fan-out: 3 sub-tasks of ${DELAY} ms each took ${wall} ms wall (${serial} ms if serial)`);

    // Each patch was reviewed by the other agent before it was applied.
    for (const id of ['S1', 'S2', 'S3']) expect(state.steps[`subtask/${id}/review`]).toBeDefined();
    // S1 and S2 landed as their own commits; S3 conflicted and the driver integrated it, recorded.
    const log = git(repo, 'log', '--format=%s', state.worktree!.branch);
    expect(log).toMatch(/sub-task S1/);
    expect(log).toMatch(/sub-task S2/);
    expect(log).toMatch(/integrate sub-task S3 \(conflict resolved by the driver\)/);
    // Each step is a commit, oldest first: the agreed plan (no files), the sub-tasks in plan order, the driver's work.
    expect(
      log
        .trim()
        .split('\n')
        .reverse()
        .map((l) => l.replace(/ —.*| \(.*/, '')),
    ).toEqual([
      'init',
      'duo: plan',
      'duo: sub-task S1',
      'duo: sub-task S2',
      'duo: integrate sub-task S3',
      'duo: implement',
    ]);
    const planCommit = git(repo, 'log', '--format=%H', '--grep', '^duo: plan', state.worktree!.branch).trim();
    expect(git(repo, 'show', '--format=%B', '--stat', planCommit)).toMatch(
      /Plan agreed by both agents\.[\s\S]*Files:\n- src\/x\.js: edit/,
    );
    expect(git(repo, 'diff', '--name-only', `${planCommit}~1`, planCommit)).toBe('');
    expect(state.steps['subtask/S3/resolve']).toBeDefined();
    expect(state.notes.join('\n')).toMatch(/S3's patch conflicted in src\/y\.js; the driver resolved it/);
    expect(git(repo, 'show', `${state.worktree!.branch}:src/y.js`)).toBe('export const y = 2;\nexport const y3 = 3;\n');
    expect(git(repo, 'show', `${state.worktree!.branch}:src/z.js`)).toBe('export const z = 2;\n');
  });

  it('a patch outside its declared files is refused, becomes a finding, and the driver does the work', async () => {
    const repo = makeRepo({ ...SAMPLE, 'src/y.js': Y, 'src/z.js': Z });
    const agreed = plan();
    agreed.answer.subtasks = [subtask('S1', ['src/y.js']), subtask('S2', ['src/z.js'])] as never[];
    const { state } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [agreed],
          'review-patch': [critique('approve')],
          implement: [
            work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST, 'src/y.js': 'export const y = 2;\n' }),
          ],
          'answer-findings': [answers([{ findingId: 'S1-SAFE1', action: 'fix', note: 'S1 redone within its files' }])],
        },
        codex: {
          critique: [critique('approve')],
          subtask: [
            work({ 'src/y.js': 'export const y = 2;\n', 'package.json': '{"scripts":{"test":"true"}}\n' }),
            work({ 'src/z.js': 'export const z = 2;\n' }),
          ],
          review: [critique('approve')],
          recheck: [critique('approve', [], [{ findingId: 'S1-SAFE1', status: 'resolved', note: 'in scope now' }])],
        },
      },
    });
    expect(state.status).toBe('green');
    const safety = state.findings.find((f) => f.id === 'S1-SAFE1');
    expect(safety).toMatchObject({ phase: 'subtask', resolution: 'fixed', finding: { severity: 'blocker' } });
    expect(safety?.finding.claim).toMatch(/package\.json/);
    expect(state.notes.join('\n')).toMatch(/S1's patch was REFUSED/);
    // The refused patch never reached the branch: package.json is the original.
    expect(git(repo, 'show', `${state.worktree!.branch}:package.json`)).toBe(SAMPLE['package.json']);
    expect(git(repo, 'show', `${state.worktree!.branch}:src/z.js`)).toBe('export const z = 2;\n');
  });
});

describe('read-only is enforced by duo', () => {
  it('what a skeptic CLI without a sandbox writes during a read-only call is discarded and recorded', async () => {
    const repo = makeRepo(SAMPLE);
    const dir = tempDir('duo-rogue-');
    // A "skeptic" CLI that approves, but scribbles in the worktree while it is at it.
    const rogue = join(dir, 'rogue.mjs');
    writeFileSync(
      rogue,
      "import { writeFileSync } from 'node:fs';\n" +
        "process.stdin.resume(); process.stdin.on('end', () => {\n" +
        "  writeFileSync('src/x.js', 'export function x() { return 99; }\\n');\n" +
        "  writeFileSync('rogue.txt', 'was here\\n');\n" +
        "  console.log(JSON.stringify({ verdict: 'approve', summary: 'ok', findings: [], rechecks: [] }));\n" +
        '});\n',
    );
    const scenario = join(dir, 'scenario.json');
    writeFileSync(scenario, JSON.stringify({ agents: { claude: happy.agents.claude } }));
    const config = join(dir, 'duo.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        roles: { driver: 'claude', skeptic: 'rogue' },
        agents: {
          claude: { kind: 'scripted', scenario },
          rogue: { kind: 'command', argv: ['node', rogue] },
        },
      }),
    );
    const r = await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo });
    const json = parseJson<{ runId: string; status: string; branch: string }>(r.stdout);
    expect(json.status, r.stderr).toBe('green');
    // Neither scribble reached the branch: x is the driver's, rogue.txt does not exist.
    expect(git(repo, 'show', `${json.branch}:src/x.js`)).toBe(GOOD_X);
    expect(git(repo, 'ls-tree', '-r', '--name-only', json.branch)).not.toContain('rogue.txt');
    const state = JSON.parse(readFileSync(join(repo, '.duo', 'runs', json.runId, 'state.json'), 'utf8')) as {
      notes: string[];
    };
    expect(state.notes.join('\n')).toMatch(
      /rogue changed .*rogue\.txt.* during a read-only call \(plan\/r1\/critique\); duo discarded/,
    );
    expect(state.notes.join('\n')).toMatch(/during a read-only call \(review\/r1\/review\)/);
    const events = readFileSync(join(repo, '.duo', 'runs', json.runId, 'events.jsonl'), 'utf8');
    expect(events.match(/"type":"read-only-violation"/g)).toHaveLength(2);
  });
});

describe('what the reviewer could not read', () => {
  it('a binary file in the change is summarised for the skeptic, and the report says so', async () => {
    const repo = makeRepo(SAMPLE);
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [
            work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST, 'assets/logo.bin': '\u0000\u0001\u0002binary' }),
          ],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.status).toBe('green');
    const report = ports.store.readText(state.runId, 'report.md') ?? '';
    expect(report).toMatch(/skeptic saw a summary, not the content — binary file assets\/logo\.bin/);
  });
});
