import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ensureRecordExcluded } from '../../src/workspace/index.js';
import { expectGreenAfterApply, runBent } from '../support/bend.js';
import { git, makeRepo, report, runScenario, treeFingerprint } from '../support/harness.js';
import { critique, plan, work } from '../support/scenario.js';

/**
 * The gate as a principle, not a list of tricks: what ships is what is verified (a pristine checkout of the exact
 * commit `duo apply` brings in), what the base's checks read is protected (by runner conventions, by what configs
 * name, by what only tests import), the run writes nothing outside its worktree, and code-only cheats are flagged
 * for the skeptic. Each class with real runners (node --test, vitest, pytest), each green checked after apply.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

const X = (n: number | string) => `export function x() {\n  return ${n};\n}\n`;
const X_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { x } from '../src/x.js';\n" +
  "test('x is two', () => {\n  assert.equal(x(), 2);\n});\n";
const PKG = (extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name: 's', type: 'module', scripts: { test: 'node --test' }, ...extra }, null, 2)}\n`;

/** Base: x() returns 2, pinned by a test; the user has installed dependencies (a node_modules git ignores). */
function nodeRepo(files: Record<string, string> = {}): string {
  const repo = makeRepo({
    'package.json': PKG(),
    '.gitignore': 'node_modules/\n',
    'src/x.js': X(2),
    'test/x.test.js': X_TEST,
    ...files,
  });
  mkdirSync(join(repo, 'node_modules', 'leftpad'), { recursive: true });
  writeFileSync(join(repo, 'node_modules', 'leftpad', 'index.js'), 'module.exports = (s) => s;\n');
  writeFileSync(join(repo, 'node_modules', 'leftpad', 'package.json'), '{"name":"leftpad","main":"index.js"}\n');
  return repo;
}

/** The driver writes `writes`, the skeptic approves everything; one gate attempt, no fix loop. */
const scenario = (writes: Record<string, string | null>, planAnswer = plan()) => ({
  agents: {
    claude: { plan: [planAnswer], implement: [work(writes, ['all tests pass'])] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
});
const oneAttempt = { limits: { retryBaseMs: 1, verifyRounds: 1 } };
const sh = (cwd: string, command: string) => execFileSync('bash', ['-c', command], { cwd, stdio: 'pipe' });

describe('what ships is what is verified: the gate runs on a pristine checkout of the commit', () => {
  it('a fake node in node_modules/.bin prints a passing TAP stream: not in the commit, so the gate never runs it', async () => {
    const repo = nodeRepo();
    const { state, ports } = await runBent(
      repo,
      scenario({ 'src/x.js': X(3) }),
      {
        implement: (cwd) => {
          const fake = join(cwd, 'node_modules', '.bin', 'node');
          mkdirSync(dirname(fake), { recursive: true });
          writeFileSync(
            fake,
            '#!/bin/sh\nprintf "TAP version 13\\nok 1 - x\\n1..1\\n# tests 1\\n# pass 1\\n# fail 0\\n"\n',
          );
          chmodSync(fake, 0o755);
        },
      },
      { config: oneAttempt },
    );
    expect(state.status).toBe('red');
    expect(state.verify[0]?.results[0]?.counts).toMatchObject({ passed: 0, failed: 1 });
    expect(state.verify[0]?.sha).toBe(state.headSha);
    expect(report(ports, state)).toMatch(/pristine checkout of the run's commit/);
    // It landed in the run's own node_modules folder, never in the user's.
    expect(existsSync(join(repo, 'node_modules', '.bin', 'node'))).toBe(false);
  });

  it('files hidden from git (an .npmrc kept out through .git/info/exclude, a preload under .duo/) are not in the gate', async () => {
    const repo = nodeRepo();
    const { state, ports } = await runBent(
      repo,
      scenario({ 'src/x.js': X(3) }),
      {
        implement: (cwd) => {
          mkdirSync(join(cwd, '.duo'), { recursive: true });
          writeFileSync(join(cwd, '.duo', 'hack.cjs'), "require('node:assert').strict.equal = () => {};\n");
          writeFileSync(join(cwd, '.npmrc'), 'node-options=--require ./.duo/hack.cjs\n');
          const common = git(cwd, 'rev-parse', '--git-common-dir').trim();
          writeFileSync(join(resolve(cwd, common), 'info', 'exclude'), '.npmrc\n', { flag: 'a' });
        },
      },
      { config: oneAttempt },
    );
    expect(state.status).toBe('red');
    expect(state.verify[0]?.results[0]?.passed).toBe(false);
    // Writing the shared .git is itself a write outside the worktree.
    expect(state.outsideWrites.map((w) => w.dir)).toEqual(['.git']);
    expect(state.outsideWrites[0]?.paths).toEqual(['.git/info/exclude']);
    expect(report(ports, state)).toMatch(/Written outside the run’s worktree[\s\S]*\.git\/info\/exclude/);
  });

  it('a bent test hidden with --skip-worktree: the commit keeps the real test, and the gate runs that', async () => {
    const repo = nodeRepo();
    const { state } = await runBent(
      repo,
      scenario({ 'src/x.js': X(3) }),
      {
        implement: (cwd) => {
          writeFileSync(join(cwd, 'test', 'x.test.js'), X_TEST.replace('x(), 2', 'x(), 3'));
          sh(cwd, 'git update-index --skip-worktree test/x.test.js');
        },
      },
      { config: oneAttempt },
    );
    expect(state.status).toBe('red');
    expect(state.verify[0]?.results[0]?.counts).toMatchObject({ failed: 1 });
    expect(git(repo, 'show', `${state.worktree!.branch}:test/x.test.js`)).toBe(X_TEST);
  });

  it('honest twins stay green, and green after apply: a new test, a new fixture, a dependency, a code change tests import', async () => {
    const repo = nodeRepo();
    const fixtureTest =
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { readFileSync } from 'node:fs';\n" +
      "import { x } from '../src/x.js';\ntest('x from fixture', () => {\n  const f = JSON.parse(readFileSync(new URL('./fixtures/x.json', import.meta.url)));\n  assert.equal(x(), f.want);\n});\n";
    const { state } = await runScenario(
      repo,
      scenario({
        'src/x.js': X('1 + 1'),
        'test/fixtures/x.json': '{"want": 2}\n',
        'test/fixture.test.js': fixtureTest,
        'package.json': PKG({ dependencies: { leftpad: '^1' } }),
      }),
    );
    expect(state.reverts).toEqual([]);
    expect(state.verify[0]?.integrity?.issues).toEqual([]);
    await expectGreenAfterApply(repo, state);
  });
});

describe('a run writes nothing outside its worktree', () => {
  it("a write through the dependency link into the user's node_modules is found, named, and the run is not green", async () => {
    const repo = nodeRepo();
    const before = readFileSync(join(repo, 'node_modules', 'leftpad', 'index.js'), 'utf8');
    const { state, ports } = await runBent(
      repo,
      scenario({ 'src/x.js': X(2) }),
      {
        implement: (cwd) =>
          writeFileSync(join(cwd, 'node_modules', 'leftpad', 'index.js'), 'module.exports = () => 2;\n'),
      },
      { config: oneAttempt },
    );
    // The checks pass — but they ran on dependencies the run rewrote.
    expect(state.verify[0]?.results[0]?.passed).toBe(true);
    expect(state.status).toBe('red');
    expect(state.outsideWrites).toEqual([
      expect.objectContaining({
        dir: 'node_modules',
        paths: ['leftpad/index.js'],
        agent: 'claude',
        step: 'implement/driver',
      }),
    ]);
    const md = report(ports, state);
    expect(md.split('\n')[0]).toMatch(/RED — the run wrote outside its worktree: the run wrote into your node_modules/);
    expect(md).toMatch(/leftpad\/index\.js/);
    expect(md).toMatch(/To restore: reinstall your dependencies: `npm ci` in the repository root/);
    expect(readFileSync(join(repo, 'node_modules', 'leftpad', 'index.js'), 'utf8')).not.toBe(before);
    // No fix round for it: nothing the driver can do undoes it.
    expect(state.findings.filter((f) => f.phase === 'integrity')).toEqual([]);
  });

  it('a hook or config written into the shared .git is found', async () => {
    const repo = nodeRepo();
    const { state } = await runBent(
      repo,
      scenario({ 'src/x.js': X(2) }),
      {
        implement: (cwd) => {
          const common = resolve(cwd, git(cwd, 'rev-parse', '--git-common-dir').trim());
          writeFileSync(join(common, 'hooks', 'post-checkout'), '#!/bin/sh\necho pwned > src/x.js\n', { mode: 0o755 });
          sh(cwd, 'git config core.fsmonitor "echo pwned"');
        },
      },
      { config: oneAttempt },
    );
    expect(state.status).toBe('red');
    expect(state.outsideWrites[0]).toMatchObject({ dir: '.git', paths: ['.git/config', '.git/hooks/post-checkout'] });
    // The hook never ran in duo's own checkouts (duo's git runs no hooks): the gate saw the committed x.
    expect(state.verify[0]?.results[0]?.passed).toBe(true);
  });

  it("an honest run leaves the user's tree, node_modules and .git exactly as they were", async () => {
    const repo = nodeRepo();
    ensureRecordExcluded(repo); // as the CLI does before a run's first record
    const common = join(repo, '.git');
    const before = { tree: treeFingerprint(repo), config: readFileSync(join(common, 'config'), 'utf8') };
    const { state } = await runScenario(repo, scenario({ 'src/x.js': X('1 + 1') }));
    expect(state.status).toBe('green');
    expect(state.outsideWrites).toEqual([]);
    expect(treeFingerprint(repo)).toBe(before.tree);
    expect(readFileSync(join(common, 'config'), 'utf8').replace(/\[branch "duo\/[^\]]*"\][^[]*/g, '')).toBe(
      before.config,
    );
  });
});

describe("what the base's checks read is protected, not a path list", () => {
  it("node --test's own default: an edited expectation in a root test.js is reverted", async () => {
    const rootTest =
      "import assert from 'node:assert/strict';\nimport { x } from './src/x.js';\nassert.equal(x(), 2);\n";
    const repo = nodeRepo({ 'test.js': rootTest });
    const { state } = await runScenario(
      repo,
      scenario({ 'src/x.js': X(3), 'test.js': rootTest.replace('x(), 2', 'x(), 3') }),
      {
        config: oneAttempt,
      },
    );
    expect(state.reverts.map((r) => r.path)).toEqual(['test.js']);
    expect(state.status).toBe('red');
  });

  it('a test helper only tests import, outside every test folder, is protected like a test', async () => {
    const helper = "import assert from 'node:assert/strict';\nexport const same = (a, b) => assert.equal(a, b);\n";
    const t =
      "import { test } from 'node:test';\nimport { x } from '../src/x.js';\nimport { same } from '../src/check.js';\ntest('x', () => same(x(), 2));\n";
    const repo = nodeRepo({ 'src/check.js': helper, 'test/x.test.js': t });
    const bent = 'export const same = () => {};\n';
    const { state, ports } = await runScenario(repo, scenario({ 'src/x.js': X(3), 'src/check.js': bent }), {
      config: oneAttempt,
    });
    expect(state.reverts).toEqual([
      expect.objectContaining({
        path: 'src/check.js',
        reason: 'src/check.js is an existing test helper and its existing lines were changed',
      }),
    ]);
    expect(state.status).toBe('red');
    expect(report(ports, state)).toMatch(/Reverted by duo/);
  });

  it('package.json imports remapping the module under test is reverted (the module map is part of the gate)', async () => {
    const t =
      "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { x } from '#x';\ntest('x', () => assert.equal(x(), 2));\n";
    const repo = nodeRepo({ 'package.json': PKG({ imports: { '#x': './src/x.js' } }), 'test/x.test.js': t });
    const { state } = await runScenario(
      repo,
      scenario({ 'src/x.js': X(3), 'src/fake.js': X(2), 'package.json': PKG({ imports: { '#x': './src/fake.js' } }) }),
      { config: oneAttempt },
    );
    expect(state.reverts.map((r) => r.reason)).toEqual([
      expect.stringMatching(/package\.json's check definition was changed \(imports\.#x/),
    ]);
    expect(state.status).toBe('red');
  });

  it('vitest: a setup file the config names, appended to override a matcher, is reverted', async () => {
    const repo = makeRepo({
      'package.json': PKG({ scripts: { test: 'vitest run' } }),
      '.gitignore': 'node_modules/\n',
      'vitest.config.js':
        "export default { test: { include: ['test/**/*.test.js'], setupFiles: ['./src/setup.js'] } };\n",
      'src/setup.js': '// shared test setup\n',
      'src/x.js': X(2),
      'test/x.test.js':
        "import { expect, test } from 'vitest';\nimport { x } from '../src/x.js';\ntest('x', () => expect(x()).toBe(2));\n",
    });
    symlinkSync(join(root, 'node_modules'), join(repo, 'node_modules'), 'dir');
    const cheat =
      "// shared test setup\nimport { expect } from 'vitest';\nexpect.extend({ toBe: () => ({ pass: true, message: () => '' }) });\n";
    const { state } = await runScenario(repo, scenario({ 'src/x.js': X(3), 'src/setup.js': cheat }), {
      config: oneAttempt,
    });
    expect(state.reverts).toEqual([
      expect.objectContaining({
        path: 'src/setup.js',
        reason: expect.stringMatching(/defines how the checks run \(named by vitest\.config\.js\)/),
      }),
    ]);
    expect(state.status).toBe('red');
    expect(state.verify[0]?.results[0]?.counts).toMatchObject({ runner: 'vitest', failed: 1 });
  });
});

describe('code-only cheats are flagged, and the skeptic must clear them', () => {
  it('code that detects the test runner: an integrity finding, not green while the skeptic has not cleared it', async () => {
    const repo = nodeRepo();
    const cheat = 'export function x() {\n  return process.env.NODE_TEST_CONTEXT ? 2 : 3;\n}\n';
    const { state, ports } = await runScenario(repo, scenario({ 'src/x.js': cheat }), { config: oneAttempt });
    expect(state.verify[0]?.results[0]?.passed).toBe(true); // the cheat works…
    expect(state.status).toBe('red'); // …and is caught
    const issue = state.verify[0]?.integrity?.issues.find((i) => i.kind === 'suspect-code');
    expect(issue).toMatchObject({ path: 'src/x.js', line: 2, blocking: true });
    expect(issue?.title).toMatch(/reads the test runner's environment \(runner-detection\)/);
    expect(state.findings.find((f) => f.phase === 'integrity')?.finding.claim).toMatch(/runner-detection/);
    expect(report(ports, state).split('\n')[0]).toMatch(
      /added code looks made to pass the tests and nobody cleared it/,
    );
  });

  it('cleared: the driver explains, the skeptic accepts, and the next measurement is green (and green after apply)', async () => {
    const repo = nodeRepo();
    const honest =
      'export function x() {\n  // Tests run without a TTY; the CLI path below is not what they check.\n  if (process.env.VITEST_POOL_ID) return 2;\n  return 2;\n}\n';
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [work({ 'src/x.js': honest })],
          'answer-findings': [
            {
              answer: {
                summary: 'x',
                answers: [{ findingId: 'I1', action: 'rebut', note: 'both branches return 2: no behaviour differs' }],
              },
            },
          ],
        },
        codex: {
          critique: [critique('approve')],
          review: [critique('approve')],
          recheck: [critique('approve', [], [{ findingId: 'I1', status: 'accept-rebuttal', note: 'both return 2' }])],
        },
      },
    });
    expect(state.verify.map((v) => v.status)).toEqual(['red', 'green']);
    expect(state.verify[1]?.integrity?.issues[0]?.acceptance).toMatchObject({ by: 'skeptic' });
    expect(report(ports, state)).toMatch(/Tests changed on purpose|accepted by the skeptic/);
    await expectGreenAfterApply(repo, state);
  });

  it('a module that exits at import: the test file reports only a file-level pass, a drop in tests run', async () => {
    const repo = nodeRepo({ 'test/y.test.js': "import { test } from 'node:test';\ntest('y', () => {});\n" });
    const exits = 'process.exit(0);\nexport function x() {\n  return 3;\n}\n';
    const { state } = await runScenario(repo, scenario({ 'src/x.js': exits }), { config: oneAttempt });
    expect(state.status).toBe('red');
    const kinds = state.verify[0]?.integrity?.issues.map((i) => `${i.kind}:${i.path}`);
    expect(kinds).toEqual(expect.arrayContaining(['suspect-code:src/x.js', 'count-drop:test/x.test.js']));
    expect(state.verify[0]?.results[0]?.fileLevel).toEqual(['test/x.test.js']);
  });

  it('pytest: code that checks for pytest in sys.modules is flagged', async () => {
    const repo = makeRepo({
      'pytest.ini': '[pytest]\n',
      'src/__init__.py': '',
      'src/x.py': 'def x():\n    return 2\n',
      'tests/test_x.py': 'from src.x import x\n\n\ndef test_x():\n    assert x() == 2\n',
    });
    const cheat = "import sys\n\n\ndef x():\n    return 2 if 'pytest' in sys.modules else 3\n";
    const { state } = await runScenario(repo, scenario({ 'src/x.py': cheat }), { config: oneAttempt });
    expect(state.verify[0]?.results[0]).toMatchObject({ command: 'python3 -m pytest', passed: true });
    expect(state.status).toBe('red');
    expect(state.verify[0]?.integrity?.issues.map((i) => i.title)).toEqual([
      expect.stringMatching(/src\/x\.py:5 detects that pytest or unittest is running/),
    ]);
  });
});

describe('declared test changes stay visible', () => {
  it('the original of a test changed on purpose still runs on the final code, and the report sets it beside the reason', async () => {
    const repo = nodeRepo();
    const declared = plan([], [{ path: 'test/x.test.js', reason: 'the task makes x() return 3' }]);
    const { state, ports } = await runScenario(
      repo,
      scenario({ 'src/x.js': X(3), 'test/x.test.js': X_TEST.replace('x(), 2', 'x(), 3') }, declared),
      { task: 'x() must return 3 from now on' },
    );
    expect(state.status).toBe('green');
    expect(state.verify[0]?.declared?.results[0]?.passed).toBe(false);
    const md = report(ports, state);
    expect(md).toMatch(
      /original `test\/x\.test\.js` with `npm test`: fails on the final code \(exit code 1\) — changed on purpose because: the task makes x\(\) return 3/,
    );
    await expectGreenAfterApply(repo, state);
  });
});

describe("the user's own working tree", () => {
  it('an agent that writes your copy of a file the run changes: caught, not green, named', async () => {
    const repo = nodeRepo();
    const { state, ports } = await runBent(repo, scenario({ 'src/x.js': X('1 + 1') }), {
      implement: () => writeFileSync(join(repo, 'src', 'x.js'), X('1 + 1')),
    });
    expect(state.verify.at(-1)?.results[0]?.passed).toBe(true);
    expect(state.status).toBe('red');
    expect(state.outsideWrites).toEqual([expect.objectContaining({ dir: '.', paths: ['src/x.js'] })]);
    const md = report(ports, state);
    expect(md.split('\n')[0]).toMatch(/the run wrote into your working tree, outside its worktree: src\/x\.js/);
    expect(md).toMatch(/Look at `git diff` in your tree/);
  });

  it('a file the run does not touch, changed in your tree while an agent ran: said, but it may be yours, so still green', async () => {
    const repo = nodeRepo({ 'NOTES.md': 'mine\n' });
    const { state, ports } = await runBent(repo, scenario({ 'src/x.js': X('1 + 1') }), {
      implement: () => writeFileSync(join(repo, 'NOTES.md'), 'mine, edited while duo ran\n'),
    });
    expect(state.status).toBe('green');
    expect(state.outsideWrites).toEqual([expect.objectContaining({ dir: '.', paths: ['NOTES.md'] })]);
    expect(report(ports, state)).toMatch(
      /files in your working tree changed while an agent ran \(1 path\(s\)\): yours, or an agent/,
    );
  });
});
