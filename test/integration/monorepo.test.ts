import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, readFileSync, readlinkSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expectGreenAfterApply, runBent } from '../support/bend.js';
import { git, makeRepo, report, runScenario } from '../support/harness.js';
import { critique, plan, work } from '../support/scenario.js';

/**
 * A workspaces monorepo (issue 21): packages/sum is what the task fixes, packages/app depends on @bb/sum and tests
 * it through `import { sum } from '@bb/sum'`. In every checkout duo runs checks or agents in, workspace packages
 * must resolve to that checkout's own copies — never the user's working tree — while external dependencies stay
 * the user's installed ones, shared.
 */
const SUM = (op: string) => `export const sum = (a, b) => a ${op} b;\n`;
const PKG = (name: string, extra: Record<string, unknown> = {}) =>
  `${JSON.stringify({ name, version: '1.0.0', type: 'module', main: 'src/sum.js', scripts: { test: 'node --test' }, ...extra }, null, 2)}\n`;
const APP_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '@bb/sum';\n" +
  "import pad from 'leftpad';\ntest('app adds through @bb/sum', () => assert.equal(pad(String(sum(2, 3))), '5'));\n";
const SUM_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\n" +
  "test('sum', () => assert.equal(sum(2, 3), 5));\n";

/** The layout, with sum broken (a - b) at the base; `install` makes node_modules as npm (or pnpm) would. */
function monorepo(install: 'npm' | 'pnpm' = 'npm'): string {
  const repo = makeRepo({
    'package.json': `${JSON.stringify({ name: 'bb', private: true, workspaces: ['packages/*'], scripts: { test: 'npm test --workspaces --if-present' } }, null, 2)}\n`,
    '.gitignore': 'node_modules/\n',
    'packages/sum/package.json': PKG('@bb/sum'),
    'packages/sum/src/sum.js': SUM('-'),
    'packages/sum/test/sum.test.js': SUM_TEST,
    'packages/app/package.json': PKG('@bb/app', {
      main: 'index.js',
      dependencies: { '@bb/sum': '1.0.0' },
    }),
    'packages/app/index.js': "export { sum } from '@bb/sum';\n",
    'packages/app/test/app.test.js': APP_TEST,
  });
  if (install === 'npm') {
    // npm's own links: node_modules/@bb/sum -> ../../packages/sum (relative, resolved where the folder really is).
    // Offline: only workspace packages are installed, nothing is fetched.
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], {
      cwd: repo,
      stdio: 'pipe',
    });
    expect(readlinkSync(join(repo, 'node_modules', '@bb', 'sum'))).toBe('../../packages/sum');
  } else {
    // pnpm's layout: each package's own node_modules links workspace packages and the store in the root's .pnpm.
    const appModules = join(repo, 'packages', 'app', 'node_modules');
    mkdirSync(join(appModules, '@bb'), { recursive: true });
    symlinkSync('../../../sum', join(appModules, '@bb', 'sum'));
    symlinkSync('../../../node_modules/.pnpm/leftpad@1.0.0/node_modules/leftpad', join(appModules, 'leftpad'));
    mkdirSync(join(repo, 'node_modules'), { recursive: true });
    writeFileSync(join(repo, 'node_modules', '.modules.yaml'), 'layoutVersion: 5\n');
  }
  // An external dependency, installed in the user's tree as the package manager would (no registry needed).
  const leftpad = join(
    repo,
    'node_modules',
    install === 'pnpm' ? '.pnpm/leftpad@1.0.0/node_modules/leftpad' : 'leftpad',
  );
  mkdirSync(leftpad, { recursive: true });
  writeFileSync(join(leftpad, 'package.json'), '{"name":"leftpad","version":"1.0.0","main":"index.js"}\n');
  writeFileSync(join(leftpad, 'index.js'), 'module.exports = (s) => s;\n');
  return repo;
}

const fixSum = (writes: Record<string, string>) => ({
  agents: {
    claude: { plan: [plan()], implement: [work(writes)] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
});
const oneAttempt = { limits: { retryBaseMs: 1, verifyRounds: 1 } };
const SUM_FILE = 'packages/sum/src/sum.js';

describe('npm workspaces: every checkout tests its own packages', () => {
  it('an honest cross-package fix is green, and green after apply', async () => {
    const repo = monorepo();
    const { state } = await runScenario(repo, fixSum({ [SUM_FILE]: SUM('+') }));
    expect(state.baseline?.results[0]?.passed).toBe(false); // the base's sum is broken, in both packages' tests
    expect(state.verify[0]?.results[0]?.counts).toMatchObject({ passed: 2, failed: 0 });
    await expectGreenAfterApply(repo, state);
  });

  it("the run's workspace links point into the run's own checkout; external packages are the user's", async () => {
    const repo = monorepo();
    const { state } = await runScenario(repo, fixSum({ [SUM_FILE]: SUM('+') }));
    const wt = state.worktree!.path;
    expect(lstatSync(join(wt, 'node_modules')).isSymbolicLink()).toBe(false);
    expect(realpathSync(join(wt, 'node_modules', '@bb', 'sum'))).toBe(realpathSync(join(wt, 'packages', 'sum')));
    expect(realpathSync(join(wt, 'node_modules', 'leftpad'))).toBe(realpathSync(join(repo, 'node_modules', 'leftpad')));
    // Nothing of it was ever committed.
    expect(git(repo, 'ls-tree', '-r', '--name-only', state.worktree!.branch)).not.toMatch(/node_modules/);
  });

  it('the baseline measures the base’s packages, not the user’s uncommitted version of them', async () => {
    const repo = monorepo();
    // The user has fixed sum in their own tree, uncommitted: the run's base is still the broken commit.
    writeFileSync(join(repo, SUM_FILE), SUM('+'));
    const { state } = await runScenario(repo, fixSum({ 'packages/app/README.md': 'app\n' }), { config: oneAttempt });
    expect(state.baseline?.results[0]).toMatchObject({ passed: false });
    expect(state.baseline?.results[0]?.failingTests).toEqual(
      expect.arrayContaining(['app adds through @bb/sum', 'sum']),
    );
    // And the run's own gate tests the committed sum too: no fix, still red, whatever the user has locally.
    expect(state.status).toBe('red');
    expect(readFileSync(join(repo, SUM_FILE), 'utf8')).toBe(SUM('+'));
  });

  it("a fix written through node_modules/@bb/sum lands in the run's own package, never the user's tree", async () => {
    const repo = monorepo();
    const before = readFileSync(join(repo, SUM_FILE), 'utf8');
    const { state } = await runBent(repo, fixSum({}), {
      implement: (cwd) => writeFileSync(join(cwd, 'node_modules', '@bb', 'sum', 'src', 'sum.js'), SUM('+')),
    });
    expect(readFileSync(join(repo, SUM_FILE), 'utf8')).toBe(before);
    expect(state.outsideWrites).toEqual([]);
    expect(git(repo, 'show', `${state.worktree!.branch}:${SUM_FILE}`)).toBe(SUM('+'));
    await expectGreenAfterApply(repo, state);
  });

  it("a write through a link into the user's installed packages is caught, not green, and named", async () => {
    const repo = monorepo();
    const { state, ports } = await runBent(
      repo,
      fixSum({ [SUM_FILE]: SUM('+') }),
      {
        implement: (cwd) =>
          writeFileSync(join(cwd, 'node_modules', 'leftpad', 'index.js'), 'module.exports = () => "5";\n'),
      },
      { config: oneAttempt },
    );
    expect(state.status).toBe('red');
    expect(state.outsideWrites).toEqual([
      expect.objectContaining({ dir: 'node_modules', paths: ['leftpad/index.js'] }),
    ]);
    expect(report(ports, state)).toMatch(
      /your `node_modules`, by claude during `implement\/driver`: 1 path\(s\): `leftpad\/index\.js`/,
    );
  });
});

describe('pnpm workspaces (its layout made by hand, offline): package-level node_modules resolve in the checkout', () => {
  it('an honest cross-package fix is green, and green after apply', async () => {
    const repo = monorepo('pnpm');
    const { state } = await runScenario(repo, fixSum({ [SUM_FILE]: SUM('+') }));
    const wt = state.worktree!.path;
    expect(realpathSync(join(wt, 'packages', 'app', 'node_modules', '@bb', 'sum'))).toBe(
      realpathSync(join(wt, 'packages', 'sum')),
    );
    expect(realpathSync(join(wt, 'packages', 'app', 'node_modules', 'leftpad'))).toBe(
      realpathSync(join(repo, 'node_modules', '.pnpm', 'leftpad@1.0.0', 'node_modules', 'leftpad')),
    );
    await expectGreenAfterApply(repo, state);
  });
});
