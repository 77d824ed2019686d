import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { VerifyCommand, VerifyKind } from './types.js';

/**
 * Finds the project's own verify commands from the usual conventions. It never invents one: a repo with none of
 * these gets an empty list, and the run is `unverified`.
 */
export function detectCommands(cwd: string): VerifyCommand[] {
  const found: VerifyCommand[] = [];
  const have = new Set<VerifyKind>();
  const add = (command: string, kind: VerifyKind, source: string) => {
    found.push({ command, kind, source });
    have.add(kind);
  };

  const pkg = readJson(join(cwd, 'package.json'));
  if (pkg) {
    const scripts = (pkg.scripts ?? {}) as Record<string, unknown>;
    const pm = packageManager(cwd);
    const script = (name: string) =>
      name === 'test' && pm === 'npm' ? 'npm test' : `${pm} ${pm === 'yarn' ? '' : 'run '}${name}`;
    const typecheck = ['typecheck', 'type-check', 'tsc'].find((s) => typeof scripts[s] === 'string');
    if (typecheck) add(script(typecheck), 'typecheck', 'package.json');
    if (typeof scripts.lint === 'string') add(script('lint'), 'lint', 'package.json');
    const test = scripts.test;
    // npm init's placeholder fails on purpose; it is not a test suite.
    if (typeof test === 'string' && !/no test specified/.test(test)) add(script('test'), 'test', 'package.json');
  }

  const makefile = ['GNUmakefile', 'makefile', 'Makefile'].map((f) => join(cwd, f)).find((f) => existsSync(f));
  if (makefile) {
    const targets = new Set(
      [...readFileSync(makefile, 'utf8').matchAll(/^([A-Za-z0-9_.-]+)\s*:(?!=)/gm)].map((m) => m[1] as string),
    );
    const wanted: [string, VerifyKind][] = [
      ['typecheck', 'typecheck'],
      ['lint', 'lint'],
      ['check', 'other'],
      ['test', 'test'],
    ];
    for (const [target, kind] of wanted) {
      if (targets.has(target) && !have.has(kind)) add(`make ${target}`, kind, 'Makefile');
    }
  }

  if (existsSync(join(cwd, 'Cargo.toml')) && !have.has('test')) add('cargo test', 'test', 'Cargo.toml');
  if (existsSync(join(cwd, 'go.mod'))) {
    if (!have.has('lint')) add('go vet ./...', 'lint', 'go.mod');
    if (!have.has('test')) add('go test ./...', 'test', 'go.mod');
  }
  const py = pytestSource(cwd);
  if (py && !have.has('test')) add('python3 -m pytest', 'test', py);
  return found;
}

function packageManager(cwd: string): 'npm' | 'pnpm' | 'yarn' | 'bun' {
  if (existsSync(join(cwd, 'pnpm-lock.yaml'))) return 'pnpm';
  if (existsSync(join(cwd, 'yarn.lock'))) return 'yarn';
  if (existsSync(join(cwd, 'bun.lockb')) || existsSync(join(cwd, 'bun.lock'))) return 'bun';
  return 'npm';
}

function pytestSource(cwd: string): string | undefined {
  const text = (f: string) => (existsSync(join(cwd, f)) ? readFileSync(join(cwd, f), 'utf8') : '');
  if (existsSync(join(cwd, 'pytest.ini'))) return 'pytest.ini';
  if (/\[tool\.pytest|\bpytest\b/.test(text('pyproject.toml'))) return 'pyproject.toml';
  if (/\[tool:pytest\]/.test(text('setup.cfg'))) return 'setup.cfg';
  if (/\[pytest\]/.test(text('tox.ini'))) return 'tox.ini';
  const tests = join(cwd, 'tests');
  if (existsSync(tests) && readdirSync(tests).some((f) => /^test_.*\.py$|_test\.py$/.test(f))) return 'tests/';
  return undefined;
}

function readJson(file: string): Record<string, unknown> | undefined {
  if (!existsSync(file)) return undefined;
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
