import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resumeRun } from '../../src/protocol/engine.js';
import { expectGreenAfterApply } from '../support/bend.js';
import { enginePorts, git, makeRepo, report, runScenario } from '../support/harness.js';
import { critique, finding, plan, work } from '../support/scenario.js';

/**
 * A driver that bends the checks instead of fixing the code, on real git with real test runners (node --test,
 * vitest, pytest): every tampering class ends not green with its cause named, and the honest twins — new tests,
 * a behaviour change the plan declared and the skeptic accepted — still end green.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const X_TEST = (want: number, opts: { skip?: boolean; early?: boolean } = {}) =>
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { x } from '../src/x.js';\n" +
  `test${opts.skip ? '.skip' : ''}('x', () => {\n${opts.early ? '  return;\n' : ''}  assert.equal(x(), ${want});\n});\n`;
const Y_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('y', () => assert.ok(true));\n";
const X = (n: number) => `export function x() {\n  return ${n};\n}\n`;
const PKG = (test = 'node --test') => `${JSON.stringify({ name: 's', type: 'module', scripts: { test } }, null, 2)}\n`;

/** Base: x() returns 2 and the existing test pins it; both tests pass. */
const nodeRepo = () =>
  makeRepo({ 'package.json': PKG(), 'src/x.js': X(2), 'test/x.test.js': X_TEST(2), 'test/y.test.js': Y_TEST });

/** The driver writes wrong code plus `bend`, the skeptic approves everything; one gate attempt, no fix loop. */
const bending = (bend: Record<string, string | null>, planAnswer = plan()) => ({
  agents: {
    claude: { plan: [planAnswer], implement: [work({ 'src/x.js': X(3), ...bend }, ['all tests pass'])] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
});
const oneAttempt = { limits: { retryBaseMs: 1, verifyRounds: 1 } };

async function bent(bend: Record<string, string | null>, repo = nodeRepo()) {
  const { state, ports } = await runScenario(repo, bending(bend), { config: oneAttempt, task: 'refactor x()' });
  return { state, ports, md: report(ports, state), repo };
}

describe('a driver that bends the checks does not get green', () => {
  it('the test script changed to always pass: reverted, and the real test fails', async () => {
    const { state, md } = await bent({ 'package.json': PKG('node --test || true') });
    expect(state.status).toBe('red');
    expect(state.reverts.map((r) => r.path)).toEqual(['package.json']);
    expect(md.split('\n')[0]).toMatch(
      /RED — the real checks fail; the driver had changed the checks instead \(package\.json\) and duo reverted that/,
    );
    expect(md).toMatch(/## Test integrity/);
    expect(git(state.worktree!.path, 'show', 'HEAD:package.json')).toBe(PKG());
  });

  it('the failing test marked skip: reverted, red', async () => {
    const { state, md } = await bent({ 'test/x.test.js': X_TEST(2, { skip: true }) });
    expect(state.status).toBe('red');
    expect(state.reverts).toEqual([expect.objectContaining({ path: 'test/x.test.js' })]);
    expect(md).toMatch(/Reverted by duo/);
    expect(git(state.worktree!.path, 'show', 'HEAD:test/x.test.js')).toBe(X_TEST(2));
  });

  it("the test's expected value edited to match the wrong code: reverted, red", async () => {
    const { state, md } = await bent({ 'test/x.test.js': X_TEST(3) });
    expect(state.status).toBe('red');
    expect(state.reverts[0]?.reason).toMatch(/existing test and its existing lines were changed/);
    expect(state.verify[0]?.results[0]?.output).toMatch(/not ok .* x/);
    expect(md.split('\n')[0]).toMatch(/reverted/);
  });

  it('the failing test file deleted: restored, red', async () => {
    const { state } = await bent({ 'test/x.test.js': null });
    expect(state.status).toBe('red');
    expect(state.reverts[0]?.reason).toMatch(/was deleted/);
    expect(git(state.worktree!.path, 'show', 'HEAD:test/x.test.js')).toBe(X_TEST(2));
  });

  it('a line added that makes the existing test pass vacuously: the original test, re-run on the new code, fails', async () => {
    // Only adds a line, so the write guard keeps it; the original-test re-run is what catches it.
    const { state, md } = await bent({ 'test/x.test.js': X_TEST(2, { early: true }) });
    expect(state.reverts).toEqual([]);
    expect(state.verify[0]?.results[0]?.passed).toBe(true); // the bent suite itself is green…
    expect(state.verify[0]?.original?.results[0]?.passed).toBe(false); // …its original is not
    expect(state.status).toBe('red');
    expect(state.verify[0]?.integrity?.unaccepted).toEqual(['original-fails:npm test']);
    expect(md.split('\n')[0]).toMatch(
      /RED — the checks were changed.*original version of test\/x\.test\.js fails on the new code \(it passed at the base\)/,
    );
    // duo's own finding, in the ledger like the skeptic's.
    expect(state.findings.find((f) => f.phase === 'integrity')).toMatchObject({ resolution: 'open' });
  });

  it('vitest: a runner config changed to exclude the failing file is reverted, and vitest runs it', async () => {
    const config = (exclude: string) =>
      `export default { test: { include: ['test/**/*.test.js'], exclude: [${exclude}] } };\n`;
    const vtest = (want: number) =>
      `import { expect, test } from 'vitest';\nimport { x } from '../src/x.js';\ntest('x', () => expect(x()).toBe(${want}));\n`;
    const repo = makeRepo({
      'package.json': PKG('vitest run'),
      'vitest.config.js': config(''),
      '.gitignore': 'node_modules/\n',
      'src/x.js': X(2),
      'test/x.test.js': vtest(2),
      'test/y.test.js': "import { expect, test } from 'vitest';\ntest('y', () => expect(1).toBe(1));\n",
    });
    // The project's own installed dependencies (vitest), as in a real checkout; duo links them into its worktrees.
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'), 'dir');
    // As from a user's shell: no node_modules/.bin of duo's own on PATH, so vitest is found only through the link.
    const path = process.env.PATH;
    process.env.PATH = (path ?? '')
      .split(':')
      .filter((p) => !p.includes('node_modules'))
      .join(':');
    const { state, md } = await bent({ 'vitest.config.js': config("'test/x.test.js'") }, repo).finally(() => {
      process.env.PATH = path;
    });
    expect(state.reverts.map((r) => r.path)).toEqual(['vitest.config.js']);
    expect(state.status).toBe('red');
    expect(state.baseline?.results[0]).toMatchObject({ passed: true, counts: { runner: 'vitest', passed: 2 } });
    expect(state.verify[0]?.results[0]?.counts).toMatchObject({ runner: 'vitest', passed: 1, failed: 1 });
    expect(md).toMatch(/vitest\.config\.js defines how the checks run/);
    // The link to node_modules never became part of the run's commits.
    expect(git(repo, 'ls-tree', '-r', '--name-only', state.worktree!.branch)).not.toMatch(/node_modules/);
  });

  it('pytest: an expectation edited in an existing test is reverted, red', async () => {
    const pyTest = (want: int) => `from src.x import x\n\n\ndef test_x():\n    assert x() == ${want}\n`;
    type int = number;
    const repo = makeRepo({
      'pytest.ini': '[pytest]\n',
      'src/__init__.py': '',
      'src/x.py': 'def x():\n    return 2\n',
      'tests/test_x.py': pyTest(2),
    });
    const { state } = await runScenario(
      repo,
      {
        agents: {
          claude: {
            plan: [plan()],
            implement: [work({ 'src/x.py': 'def x():\n    return 3\n', 'tests/test_x.py': pyTest(3) })],
          },
          codex: { critique: [critique('approve')], review: [critique('approve')] },
        },
      },
      { config: oneAttempt },
    );
    expect(state.verify[0]?.results[0]?.command).toBe('python3 -m pytest');
    expect(state.reverts.map((r) => r.path)).toEqual(['tests/test_x.py']);
    expect(state.status).toBe('red');
    expect(state.verify[0]?.results[0]?.counts).toMatchObject({ runner: 'pytest', passed: 0, failed: 1 });
  });
});

describe('honest changes to the tests still go green', () => {
  it('new tests, and a new case added to an existing test file', async () => {
    const repo = nodeRepo();
    const extended = `${X_TEST(2)}test('x twice', () => assert.equal(x() + x(), 4));\n`;
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [
            work({
              'src/x.js': X(2).replace('return 2', 'return 1 + 1'),
              'test/x.test.js': extended,
              'test/z.test.js': Y_TEST,
            }),
          ],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.status).toBe('green');
    await expectGreenAfterApply(repo, state);
    expect(state.reverts).toEqual([]);
    expect(state.verify[0]?.original?.results[0]?.passed).toBe(true);
    const md = report(ports, state);
    expect(md).toMatch(/test\/x\.test\.js, an existing test, was modified — its original version still passes/);
    expect(md).toMatch(/\| `npm test` \| exit 0 · 2 passed, 0 failed, 0 skipped \| exit 0 · 4 passed/);
  });

  it('a new script or dependency in package.json is not a change to the checks', async () => {
    const repo = nodeRepo();
    const pkg = `${JSON.stringify({ name: 's', type: 'module', scripts: { test: 'node --test', build: 'echo built' }, dependencies: { zod: '^4' } }, null, 2)}\n`;
    const { state } = await runScenario(repo, {
      agents: {
        claude: { plan: [plan()], implement: [work({ 'package.json': pkg })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.reverts).toEqual([]);
    expect(state.status).toBe('green');
    await expectGreenAfterApply(repo, state);
    expect(state.verify[0]?.integrity?.issues).toEqual([]);
  });

  it('an existing test changed with a behaviour change the plan declared and the skeptic accepted', async () => {
    const repo = nodeRepo();
    const declared = plan([], [{ path: 'test/x.test.js', reason: 'the task changes x() to return 3' }]);
    const { state, ports } = await runScenario(
      repo,
      {
        agents: {
          claude: { plan: [declared], implement: [work({ 'src/x.js': X(3), 'test/x.test.js': X_TEST(3) })] },
          codex: { critique: [critique('approve')], review: [critique('approve')] },
        },
      },
      { task: 'x() must return 3 from now on' },
    );
    expect(state.status).toBe('green');
    await expectGreenAfterApply(repo, state);
    expect(state.reverts).toEqual([]);
    expect(git(state.worktree!.path, 'show', 'HEAD:test/x.test.js')).toBe(X_TEST(3));
    const md = report(ports, state);
    expect(md).toMatch(
      /Tests changed on purpose:\*\*\n- test\/x\.test\.js, an existing test, was modified — declared in the agreed plan, accepted by the skeptic with it: the task changes x\(\) to return 3/,
    );
  });

  it('declared but the skeptic never agreed: not green until the skeptic or a human accepts it', async () => {
    const repo = nodeRepo();
    const declared = plan([], [{ path: 'test/x.test.js', reason: 'x() returns 3 now' }]);
    const held = { findingId: 'P1', status: 'hold' as const, note: 'nothing in the task says x changes' };
    const scenario = {
      agents: {
        claude: {
          plan: [declared],
          revise: [
            { answer: { ...declared.answer, answers: [{ findingId: 'P1', action: 'rebut', note: 'it does' }] } },
          ],
          implement: [work({ 'src/x.js': X(3), 'test/x.test.js': X_TEST(3) })],
          'answer-findings': [
            {
              answer: {
                summary: 'x',
                answers: [{ findingId: 'I1', action: 'rebut', note: 'the task says x is 3 now' }],
              },
            },
          ],
        },
        codex: {
          critique: [
            critique('revise', [finding('P1', 'major', 'test change not justified')]),
            critique('revise', [], [held]),
          ],
          review: [critique('approve')],
          recheck: [
            critique('revise', [], [{ findingId: 'I1', status: 'hold', note: 'a test edited to match the code' }]),
          ],
        },
      },
    };
    const { state } = await runScenario(repo, scenario, { config: { limits: { retryBaseMs: 1, planRounds: 2 } } });
    expect(state.findings.find((f) => f.id === 'P1')?.resolution).toBe('escalated');
    expect(state.reverts).toEqual([]); // declared, so the guard kept it; the gate judges it
    expect(state.verify[0]?.integrity?.unaccepted).toEqual(['original-fails:npm test']);
    // The driver's rebuttal was held: a card for the human, the run waits.
    expect(state.status).toBe('awaiting-decision');
    const card = state.cards.find((c) => c.findingId === 'I1');
    expect(card?.question).toMatch(/original version of test\/x\.test\.js fails on the new code/);
    expect(card?.driverPosition).toBe('the task says x is 3 now');

    // The human sides with the driver: the change is accepted, and the next gate attempt is green.
    state.decisions.push({
      cardId: card!.id,
      pick: 'driver',
      text: '',
      decidedAt: new Date().toISOString(),
      by: 'test',
    });
    const ports = enginePorts(repo, scenario, { config: { limits: { retryBaseMs: 1, planRounds: 2 } } });
    ports.store.save(state);
    const done = await resumeRun(ports, state.runId);
    expect(done.status).toBe('green');
    await expectGreenAfterApply(repo, done);
    expect(done.verify.at(-1)?.integrity?.issues.find((i) => i.kind === 'original-fails')?.acceptance?.by).toBe(
      'human',
    );
    expect(report(ports, done)).toMatch(/Tests changed on purpose/);
  });
});

describe('a human decision on an integrity finding', () => {
  it('the human keeps the checks: the driver puts them back, the skeptic re-checks that before the gate, and it reads fixed', async () => {
    const repo = nodeRepo();
    const declared = plan([], [{ path: 'test/x.test.js', reason: 'x() returns 3 now' }]);
    const scenario = {
      agents: {
        claude: {
          plan: [declared],
          revise: [
            { answer: { ...declared.answer, answers: [{ findingId: 'P1', action: 'rebut', note: 'it does' }] } },
          ],
          implement: [work({ 'src/x.js': X(3), 'test/x.test.js': X_TEST(3) })],
          'answer-findings': [
            { answer: { summary: 'x', answers: [{ findingId: 'I1', action: 'rebut', note: 'x is 3 now' }] } },
            {
              answer: { summary: 'put back', answers: [{ findingId: 'I1', action: 'fix', note: 'test and x back' }] },
              writes: { 'src/x.js': X(2), 'test/x.test.js': X_TEST(2) },
            },
          ],
        },
        codex: {
          critique: [
            critique('revise', [finding('P1', 'major', 'test change not justified')]),
            critique('revise', [], [{ findingId: 'P1', status: 'hold', note: 'nothing says x changes' }]),
          ],
          review: [critique('approve')],
          recheck: [
            critique('revise', [], [{ findingId: 'I1', status: 'hold', note: 'a test edited to match the code' }]),
            critique('approve', [], [{ findingId: 'I1', status: 'resolved', note: 'the test pins 2 again' }]),
          ],
        },
      },
    };
    const config = { limits: { retryBaseMs: 1, planRounds: 2 } };
    const { state } = await runScenario(repo, scenario, { config });
    expect(state.status).toBe('awaiting-decision');
    const card = state.cards.find((c) => c.findingId === 'I1');
    state.decisions.push({ cardId: card!.id, pick: 'skeptic', text: '', decidedAt: 't', by: 'test' });
    const ports = enginePorts(repo, scenario, { config });
    ports.store.save(state);
    const done = await resumeRun(ports, state.runId);
    const steps = Object.keys(done.steps);
    const decisions = steps.indexOf('verify/a1/integrity/decisions');
    expect(decisions).toBeGreaterThan(-1);
    expect(steps.indexOf('verify/a1/integrity/decisions/recheck')).toBe(decisions + 1);
    expect(steps.indexOf('verify/a2/gate')).toBeGreaterThan(decisions + 1);
    expect(done.status).toBe('green');
    expect(done.findings.find((f) => f.id === 'I1')).toMatchObject({
      resolution: 'fixed',
      decision: expect.stringMatching(/^skeptic/),
      recheck: { status: 'resolved', note: 'the test pins 2 again' },
    });
  });
});

describe('a single agent has nobody to accept a test change', () => {
  it('solo: a declared change to an existing test goes to the human, and is never silently green', async () => {
    const repo = nodeRepo();
    const declared = plan([], [{ path: 'test/x.test.js', reason: 'x() returns 3 now' }]);
    const scenario = {
      agents: {
        claude: {
          plan: [declared],
          implement: [work({ 'src/x.js': X(3), 'test/x.test.js': X_TEST(3) })],
          'answer-findings': [
            { answer: { summary: 'x', answers: [{ findingId: 'I1', action: 'rebut', note: 'the task asks for 3' }] } },
          ],
        },
      },
    };
    const { state, ports } = await runScenario(repo, scenario, { mode: 'solo', task: 'x() must return 3' });
    expect(state.status).toBe('awaiting-decision');
    const card = state.cards.find((c) => c.findingId === 'I1');
    expect(card?.driverPosition).toBe('the task asks for 3');
    expect(state.disagreements.find((d) => d.findingId === 'I1')?.outcome).toMatch(/no skeptic can check the rebuttal/);
    expect(report(ports, state).split('\n')[0]).toMatch(/WAITING FOR YOU/);
  });
});

describe('the explicit way out: the driver says the task contradicts the tests', () => {
  it('becomes a decision card; the human lets the test change and the run goes green', async () => {
    const repo = nodeRepo();
    const scenario = {
      agents: {
        claude: {
          plan: [plan()],
          implement: [
            {
              answer: {
                summary: 'x returns 3; the existing test pins 2',
                filesChanged: ['src/x.js'],
                claims: [],
                contradiction: { tests: ['test/x.test.js'], reason: 'the task says x() is 3; the test pins 2' },
              },
              writes: { 'src/x.js': X(3) },
            },
          ],
          'resolve-contradiction': [work({ 'test/x.test.js': X_TEST(3) })],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    };
    const { state } = await runScenario(repo, scenario, { task: 'x() must return 3' });
    expect(state.status).toBe('awaiting-decision');
    const card = state.cards[0]!;
    expect(card.question).toMatch(/contradicts the existing test\(s\) test\/x\.test\.js/);
    expect(card.driverPosition).toBe('the task says x() is 3; the test pins 2');

    state.decisions.push({
      cardId: card.id,
      pick: 'driver',
      text: '',
      decidedAt: new Date().toISOString(),
      by: 'test',
    });
    const ports = enginePorts(repo, scenario);
    ports.store.save(state);
    const done = await resumeRun(ports, state.runId);
    expect(done.status).toBe('green');
    await expectGreenAfterApply(repo, done);
    expect(done.reverts).toEqual([]);
    expect(git(done.worktree!.path, 'show', 'HEAD:test/x.test.js')).toBe(X_TEST(3));
    expect(report(ports, done)).toMatch(/accepted by the human/);
  });
});

describe('baseline', () => {
  it('failures already there at the base are labelled pre-existing, not blamed, and not sent to the driver', async () => {
    const repo = makeRepo({
      'package.json': PKG(),
      'src/x.js': X(2),
      'test/x.test.js': X_TEST(2),
      'test/old.test.js':
        "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\ntest('old', () => assert.fail('broken before'));\n",
    });
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: { plan: [plan()], implement: [work({ 'test/z.test.js': Y_TEST })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.status).toBe('red');
    expect(state.verify).toHaveLength(1); // no fix loop for failures the run did not cause
    expect(state.steps['verify/a1/diagnose']).toBeUndefined();
    expect(state.verify[0]?.integrity?.comparisons[0]?.preExisting).toBe('all');
    const md = report(ports, state);
    expect(md.split('\n')[0]).toMatch(/already failing the same way at the base \(pre-existing\)/);
    expect(md).toMatch(/already failing at the base \(pre-existing\)/);
  });

  it('runs beside the plan phase, in its own worktree, and is journaled', async () => {
    const repo = nodeRepo();
    const { state } = await runScenario(repo, {
      agents: {
        claude: { plan: [{ ...plan(), delayMs: 1500 }], implement: [work({ 'src/x.js': X(2) })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.status).toBe('green');
    await expectGreenAfterApply(repo, state);
    const step = (k: string) => state.steps[k]!;
    const baselineStart = Date.parse(step('gate/baseline').at);
    const planEnd = Date.parse(step('plan/r1/draft').at) + step('plan/r1/draft').durationMs;
    // It started before the plan draft finished: the two ran at the same time.
    expect(baselineStart).toBeLessThan(planEnd);
    expect(state.baseline?.results[0]).toMatchObject({ command: 'npm test', passed: true });
    // The checkout the baseline ran in was reused by the final gate, and removed with the verify phase.
    expect(existsSync(join(state.worktree!.path, '..', 'scratch', `${state.runId}-final`))).toBe(false);
  });
});

describe('verify commands that lie', () => {
  it('a test command that filters every test out ran no tests', async () => {
    const repo = nodeRepo();
    const { state } = await runScenario(
      repo,
      {
        agents: {
          claude: { plan: [plan()], implement: [work({ 'src/x.js': X(2) })], diagnose: [work({})] },
          codex: { critique: [critique('approve')], review: [critique('approve')] },
        },
      },
      { verify: ['node --test --test-name-pattern=zzz'], config: oneAttempt },
    );
    expect(state.status).toBe('red');
    expect(state.verify[0]?.results[0]?.reason).toMatch(/ran no tests.*every test was skipped or filtered out/);
  });

  it("an exit code bent with `|| true` does not hide the runner's own failure count", async () => {
    const repo = nodeRepo();
    const { state } = await runScenario(
      repo,
      {
        agents: {
          claude: { plan: [plan()], implement: [work({ 'src/x.js': X(3) })] },
          codex: { critique: [critique('approve')], review: [critique('approve')] },
        },
      },
      { verify: ['node --test || true'], config: oneAttempt },
    );
    expect(state.status).toBe('red');
    expect(state.verify[0]?.results[0]).toMatchObject({ exitCode: 0, passed: false });
    expect(state.verify[0]?.results[0]?.reason).toMatch(/reported 1 failing test/);
    expect(readFileSync(state.verify[0]!.results[0]!.outputPath, 'utf8')).toMatch(/# fail 1/);
  });
});
