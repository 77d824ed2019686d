import { describe, expect, it } from 'vitest';
import { gateScope } from '../../../../src/gate/integrity/config-refs.js';
import { gateFileKind } from '../../../../src/gate/integrity/definition.js';
import type { VerifyCommand } from '../../../../src/gate/types.js';

const NPM_TEST: VerifyCommand = { command: 'npm test', kind: 'test', source: 'package.json' };

/** The scope of a base holding `files`, whose texts are the configs given. */
function scope(texts: Record<string, string>, extra: string[] = [], commands = [NPM_TEST]) {
  const files = new Set([...Object.keys(texts), ...extra]);
  return gateScope(commands, { files, texts: new Map(Object.entries(texts)) });
}

describe('files a runner config names are part of the gate', () => {
  it('jest: setupFilesAfterEach, globalSetup, moduleNameMapper targets, snapshotResolver, testEnvironment', () => {
    const jest = `module.exports = {
      setupFilesAfterEach: ['<rootDir>/test/setup.js'],
      globalSetup: './tools/global-setup.js',
      moduleNameMapper: { '\\\\.css$': '<rootDir>/tools/style-mock', '^@/(.*)$': '<rootDir>/src/$1' },
      snapshotResolver: './tools/snapshots.js',
      testEnvironment: './tools/env.js',
      testMatch: ['**/*.test.js'],
    };`;
    const s = scope({ 'jest.config.js': jest, 'package.json': '{"scripts":{"test":"jest"}}' }, [
      'test/setup.js',
      'tools/global-setup.js',
      'tools/style-mock.js',
      'tools/snapshots.js',
      'tools/env.js',
      'src/index.js',
    ]);
    expect([...s.namedFiles.keys()]).toEqual([
      'test/setup.js',
      'tools/env.js',
      'tools/global-setup.js',
      'tools/snapshots.js',
      'tools/style-mock.js',
    ]);
    expect(s.namedFiles.get('tools/global-setup.js')).toBe('named by jest.config.js');
    expect(gateFileKind('tools/env.js', s)).toBe('file');
    expect(gateFileKind('src/index.js', s)).toBeUndefined();
  });

  it("vitest: setupFiles in vitest.config, and only the `test` block of vite.config (the app's entry is not the gate)", () => {
    const vitest =
      "export default defineConfig({ test: { setupFiles: ['./src/setup.ts'], globalSetup: 'tools/gs.ts' } });";
    const vite =
      "export default { build: { lib: { entry: 'src/index.ts' } }, test: { setupFiles: ['src/matchers.ts'] } };";
    const s = scope({ 'vitest.config.ts': vitest, 'web/vite.config.ts': vite }, [
      'src/setup.ts',
      'tools/gs.ts',
      'src/index.ts',
      'web/src/matchers.ts',
      'web/src/index.ts',
    ]);
    expect([...s.namedFiles.keys()]).toEqual(['src/setup.ts', 'tools/gs.ts', 'web/src/matchers.ts']);
  });

  it('package.json jest key, and the scripts each workspace package runs for `npm test --workspaces`', () => {
    const root = JSON.stringify({
      scripts: { test: 'npm test --workspaces --if-present' },
      jest: { setupFiles: ['./jest/setup.js'] },
    });
    const app = JSON.stringify({ scripts: { test: 'node --import ./test/register.js --test', build: 'tsc' } });
    const s = scope({ 'package.json': root, 'packages/app/package.json': app }, [
      'jest/setup.js',
      'packages/app/test/register.js',
    ]);
    expect([...s.namedFiles.keys()]).toEqual(['jest/setup.js', 'packages/app/test/register.js']);
    expect(s.namedFiles.get('packages/app/test/register.js')).toBe(
      'named by the "test" script of packages/app/package.json',
    );
  });

  it('pytest: plugins loaded by -p in addopts and by pytest_plugins in a conftest.py', () => {
    const ini = '[pytest]\naddopts = -p tests.plugins.fake_ok --strict-markers\n';
    const conftest = 'pytest_plugins = [\'tests.helpers.db\', "tests.helpers.http"]\n';
    const pyproject = '[project]\nname = "x"\n[tool.pytest.ini_options]\naddopts = "-p myplug"\n';
    const s = scope({ 'pytest.ini': ini, 'tests/conftest.py': conftest, 'pyproject.toml': pyproject }, [
      'tests/plugins/fake_ok.py',
      'tests/helpers/db.py',
      'tests/helpers/http/__init__.py',
      'myplug.py',
    ]);
    expect([...s.namedFiles.keys()]).toEqual([
      'myplug.py',
      'tests/helpers/db.py',
      'tests/helpers/http/__init__.py',
      'tests/plugins/fake_ok.py',
    ]);
  });

  it('tsconfig extends and babel plugins by path; globs, URLs and folders name nothing', () => {
    const ts = '{ "extends": "./tsconfig.base.json", // comment\n "include": ["src/**/*"] }';
    const babel = "module.exports = { plugins: ['./tools/rewrite-asserts.js', 'https://example.com/x.js'] };";
    const s = scope({ 'tsconfig.json': ts, 'babel.config.js': babel }, [
      'tsconfig.base.json',
      'tools/rewrite-asserts.js',
      'src/a.ts',
    ]);
    expect([...s.namedFiles.keys()]).toEqual(['tools/rewrite-asserts.js', 'tsconfig.base.json']);
  });
});
