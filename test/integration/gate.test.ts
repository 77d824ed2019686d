import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createGate } from '../../src/gate/index.js';
import type { GateJob, VerifyCommand } from '../../src/gate/types.js';
import { alive } from '../support/process.js';

const gate = createGate();
const dir = (files: Record<string, string> = {}) => {
  const d = mkdtempSync(join(tmpdir(), 'duo-gate-'));
  for (const [p, c] of Object.entries(files)) {
    mkdirSync(join(d, p, '..'), { recursive: true });
    writeFileSync(join(d, p), c);
  }
  return d;
};
const run = (
  cwd: string,
  commands: GateJob[],
  opts: { timeoutMs?: number; signal?: AbortSignal; parallel?: boolean } = {},
) =>
  gate.run(commands, {
    cwd,
    logDir: join(cwd, '.logs'),
    label: 'verify-1',
    timeoutMs: opts.timeoutMs ?? 60_000,
    ...opts,
  });
const test = (command: string): VerifyCommand => ({ command, kind: 'test', source: 'flag' });

describe('verify command detection', () => {
  it('reads package.json scripts with the package manager of the lockfile', async () => {
    const scripts = JSON.stringify({ scripts: { test: 'vitest run', lint: 'biome check', typecheck: 'tsc' } });
    expect((await gate.detect(dir({ 'package.json': scripts }))).map((c) => c.command)).toEqual([
      'npm run typecheck',
      'npm run lint',
      'npm test',
    ]);
    expect((await gate.detect(dir({ 'package.json': scripts, 'pnpm-lock.yaml': '' }))).map((c) => c.command)).toEqual([
      'pnpm run typecheck',
      'pnpm run lint',
      'pnpm run test',
    ]);
    expect((await gate.detect(dir({ 'package.json': scripts, 'yarn.lock': '' })))[2]?.command).toBe('yarn test');
    expect((await gate.detect(dir({ 'package.json': scripts, 'bun.lock': '' })))[0]?.command).toBe('bun run typecheck');
  });

  it("skips npm init's placeholder test script", async () => {
    const pkg = JSON.stringify({ scripts: { test: 'echo "Error: no test specified" && exit 1' } });
    expect(await gate.detect(dir({ 'package.json': pkg }))).toEqual([]);
  });

  it('reads Makefile targets, Cargo, go and pytest conventions', async () => {
    expect(
      (await gate.detect(dir({ Makefile: 'build:\n\tcc x.c\ntest: build\n\t./t\nlint:\n\tx\nVAR := 1\n' }))).map(
        (c) => [c.command, c.kind, c.source],
      ),
    ).toEqual([
      ['make lint', 'lint', 'Makefile'],
      ['make test', 'test', 'Makefile'],
    ]);
    expect((await gate.detect(dir({ 'Cargo.toml': '[package]\nname="x"\n' }))).map((c) => c.command)).toEqual([
      'cargo test',
    ]);
    expect((await gate.detect(dir({ 'go.mod': 'module x\n' }))).map((c) => c.command)).toEqual([
      'go vet ./...',
      'go test ./...',
    ]);
    for (const files of <Record<string, string>[]>[
      { 'pytest.ini': '[pytest]\n' },
      { 'pyproject.toml': '[tool.pytest.ini_options]\n' },
      { 'setup.cfg': '[tool:pytest]\n' },
      { 'tests/test_x.py': 'def test_x(): pass\n' },
    ]) {
      expect((await gate.detect(dir(files))).map((c) => c.command)).toEqual(['python3 -m pytest']);
    }
  });

  it('finds nothing in a repo without conventions, and never invents a command', async () => {
    expect(await gate.detect(dir({ 'README.md': '# hi\n' }))).toEqual([]);
  });
});

describe('running verify commands', () => {
  it('passing → green with the exit code and output', async () => {
    const cwd = dir();
    const out = await run(cwd, [{ command: 'echo all good', kind: 'other', source: 'flag' }]);
    expect(out.status).toBe('green');
    expect(out.results[0]).toMatchObject({ exitCode: 0, passed: true, timedOut: false, noTestsRan: false });
    expect(out.results[0]?.output).toContain('all good');
    expect(readFileSync(out.results[0]?.outputPath ?? '', 'utf8')).toBe('all good\n');
  });

  it('failing → red, and every command still runs and is reported', async () => {
    const cwd = dir();
    const out = await run(cwd, [
      { command: 'echo "expected 2, got 3" >&2; exit 1', kind: 'test', source: 'flag' },
      { command: 'echo second ran', kind: 'lint', source: 'flag' },
    ]);
    expect(out.status).toBe('red');
    expect(out.results).toHaveLength(2);
    expect(out.results[0]).toMatchObject({ exitCode: 1, passed: false, reason: 'exit code 1' });
    expect(out.results[0]?.output).toContain('expected 2, got 3');
    expect(out.results[1]).toMatchObject({ exitCode: 0, passed: true });
  });

  it('a real node --test run with no tests is not green; with one passing test it is', async () => {
    const empty = await run(dir({ 'package.json': '{"type":"module"}' }), [test('node --test')]);
    expect(empty.status).toBe('red');
    expect(empty.results[0]?.exitCode).toBe(0);
    expect(empty.results[0]?.noTestsRan).toBe(true);
    expect(empty.results[0]?.reason).toContain('ran no tests');

    const one = await run(dir({ 'x.test.mjs': "import { test } from 'node:test';\ntest('x', () => {});\n" }), [
      test('node --test'),
    ]);
    expect(one.status).toBe('green');
    expect(one.results[0]?.noTestsRan).toBe(false);
  });

  it('recognises other runners\' "no tests" output, but not real results', async () => {
    const cwd = dir();
    const empties = [
      'printf "No tests found, exiting with code 0\\n"',
      'printf "No test files found, exiting with code 0\\n"',
      'printf "collected 0 items\\n\\n==== no tests ran in 0.01s ====\\n"',
      'printf "?   \\texample.com/a\\t[no test files]\\n?   \\texample.com/b\\t[no test files]\\n"',
      'printf "running 0 tests\\n\\ntest result: ok. 0 passed\\n"',
      'printf "Ran 0 tests in 0.000s\\n\\nOK\\n"',
      'printf "\\n  0 passing (1ms)\\n"',
    ];
    for (const command of empties) {
      const r = (await run(cwd, [test(command)])).results[0];
      expect(r?.noTestsRan, command).toBe(true);
      expect(r?.passed, command).toBe(false);
    }
    const real = [
      'printf "# tests 10\\n# pass 10\\n"',
      'printf "ok  \\texample.com/a\\t0.01s\\n?   \\texample.com/b\\t[no test files]\\n"',
      'printf "running 3 tests\\ntest result: ok. 3 passed\\n"',
      'printf "  10 passing\\n  0 failing\\n"',
    ];
    for (const command of real) {
      const r = (await run(cwd, [test(command)])).results[0];
      expect(r?.noTestsRan, command).toBe(false);
      expect(r?.passed, command).toBe(true);
    }
    // Only test commands are judged on "no tests": a lint that prints the phrase passes.
    const lint = (await run(cwd, [{ command: 'echo "No tests found"', kind: 'lint', source: 'flag' }])).results[0];
    expect(lint?.passed).toBe(true);
  });

  it('kills a hanging command and its whole process group at the timeout', async () => {
    const cwd = dir();
    const out = await run(cwd, [test('sleep 60 & echo $! > child.pid; wait')], { timeoutMs: 500 });
    const r = out.results[0];
    expect(out.status).toBe('red');
    expect(r).toMatchObject({ timedOut: true, exitCode: null, passed: false });
    expect(r?.reason).toContain('timed out');
    const pid = Number(readFileSync(join(cwd, 'child.pid'), 'utf8'));
    await new Promise((res) => setTimeout(res, 300));
    expect(alive(pid)).toBe(false);
  });

  it('keeps megabytes of output whole on disk and only a tail in the result', async () => {
    const cwd = dir();
    const r = (
      await run(cwd, [{ command: 'yes "line of output" | head -c 5000000; echo END', kind: 'other', source: 'flag' }])
    ).results[0];
    expect(r?.outputBytes).toBe(5_000_004);
    expect(statSync(r?.outputPath ?? '').size).toBe(5_000_004);
    expect(r?.truncated).toBe(true);
    expect(r?.output.length).toBeLessThanOrEqual(16 * 1024);
    expect(r?.output.trimEnd().endsWith('END')).toBe(true);
  });

  it('strips ANSI and replaces invalid UTF-8 in the tail, keeping the raw bytes on disk', async () => {
    const cwd = dir();
    const r = (
      await run(cwd, [
        { command: "printf '\\033[31mred\\033[0m bad:\\377\\376 end\\n'", kind: 'other', source: 'flag' },
      ])
    ).results[0];
    expect(r?.output).toBe('red bad:\uFFFD\uFFFD end\n');
    const raw = readFileSync(r?.outputPath ?? '');
    expect(raw.includes(Buffer.from([0x1b, 0x5b, 0x33, 0x31, 0x6d]))).toBe(true);
    expect(raw.includes(Buffer.from([0xff, 0xfe]))).toBe(true);
  });

  it('says when a command cannot start: not found, or a missing folder', async () => {
    const cwd = dir();
    const missing = (await run(cwd, [test('no-such-tool-xyz --all')])).results[0];
    expect(missing?.exitCode).toBe(127);
    expect(missing?.startError).toContain('could not start');
    expect(missing?.passed).toBe(false);
    const gone = await gate.run([test('true')], {
      cwd: join(cwd, 'nope'),
      logDir: join(cwd, '.logs'),
      label: 'v',
      timeoutMs: 5_000,
    });
    expect(gone.status).toBe('red');
    expect(gone.results[0]?.startError).toContain('does not exist');
  });

  it('on abort kills the command and rejects instead of reporting a result', async () => {
    const cwd = dir();
    const ac = new AbortController();
    const p = run(cwd, [test('sleep 60 & echo $! > child.pid; wait')], { signal: ac.signal });
    for (let i = 0; i < 50 && !existsSync(join(cwd, 'child.pid')); i++) await new Promise((r) => setTimeout(r, 50));
    ac.abort();
    await expect(p).rejects.toMatchObject({ name: 'AbortError' });
    const pid = Number(readFileSync(join(cwd, 'child.pid'), 'utf8'));
    await new Promise((res) => setTimeout(res, 300));
    expect(alive(pid)).toBe(false);
  });

  it('no commands → unverified, never green', async () => {
    expect(await run(dir(), [])).toEqual({ status: 'unverified', results: [] });
  });
});

describe('running verify commands in parallel', () => {
  const other = (command: string, cwd?: string) => ({
    command,
    kind: 'other' as const,
    source: 'flag',
    ...(cwd ? { cwd } : {}),
  });
  const stamp = (name: string) => `date +%s%N > ${name}.start; sleep 0.4; date +%s%N > ${name}.end`;

  it('starts every command at once, and reports them in their own order', async () => {
    const cwd = dir();
    const out = await run(cwd, [other(stamp('a')), other(stamp('b')), other(stamp('c'))], { parallel: true });
    expect(out.status).toBe('green');
    expect(out.results.map((r) => r.command)).toEqual([stamp('a'), stamp('b'), stamp('c')]);
    const t = (f: string) => BigInt(readFileSync(join(cwd, f), 'utf8').trim());
    const starts = ['a', 'b', 'c'].map((n) => t(`${n}.start`));
    const ends = ['a', 'b', 'c'].map((n) => t(`${n}.end`));
    // Every command started before any of them ended: they ran at the same time.
    expect(starts.every((start) => ends.every((end) => start < end))).toBe(true);
  });

  it('a command that fails only because another ran beside it is re-run alone and passes; both results are kept', async () => {
    const cwd = dir();
    // Both want the same lock: run together, one of them fails; alone, it passes.
    const locked = (name: string) => `mkdir lock || exit 7; echo ${name} > ${name}.done; sleep 0.3; rmdir lock`;
    const out = await run(cwd, [other(locked('a')), other(locked('b'))], { parallel: true });
    expect(out.status).toBe('green');
    const rerun = out.results.find((r) => r.firstTry);
    expect(rerun?.firstTry).toMatchObject({ exitCode: 7, reason: 'exit code 7' });
    expect(rerun?.outputPath).toMatch(/-alone\.log$/);
    expect(existsSync(rerun?.firstTry?.outputPath ?? '')).toBe(true);
    expect(out.results.filter((r) => r.firstTry)).toHaveLength(1);
  });

  it('a real failure stays red after its run alone', async () => {
    const out = await run(dir(), [other('exit 3'), other('true')], { parallel: true });
    expect(out.status).toBe('red');
    expect(out.results[0]).toMatchObject({ exitCode: 3, passed: false, firstTry: { exitCode: 3 } });
  });

  it('runs each job in its own folder when it names one', async () => {
    const a = dir({ 'where.txt': 'a' });
    const b = dir({ 'where.txt': 'b' });
    const out = await run(a, [other('cat where.txt'), other('cat where.txt', b)], { parallel: true });
    expect(out.results.map((r) => r.output.trim())).toEqual(['a', 'b']);
  });
});
