import { describe, expect, it } from 'vitest';
import { classify, grade, type Observation, observe, passes, passingTests } from '../../../src/eval/test-ids.js';
import type { VerifyResult } from '../../../src/gate/types.js';

/** node --test's TAP output for a file that passes one test, fails one, skips one. */
const TAP = `TAP version 13
# Subtest: adds
ok 1 - adds
# Subtest: fails here
not ok 2 - fails here
# Subtest: suite
    ok 1 - inner ok
    ok 3 - skipped one # SKIP
ok 3 - suite
# Subtest: /work/x/test/b.test.js
not ok 4 - /work/x/test/b.test.js
1..4
# tests 4
# pass 3
# fail 1
`;

const result = (over: Partial<VerifyResult> = {}): VerifyResult => ({
  command: 'npm test',
  kind: 'test',
  exitCode: 1,
  durationMs: 1,
  output: '',
  outputPath: '/dev/null',
  outputBytes: 0,
  truncated: false,
  timedOut: false,
  noTestsRan: false,
  passed: false,
  counts: { runner: 'node --test', passed: 3, failed: 1, skipped: 0 },
  ...over,
});

const obs = (over: Partial<Observation>): Observation => ({
  command: 'npm test',
  passed: true,
  readable: true,
  passing: [],
  failing: [],
  ...over,
});

describe('reading test names', () => {
  it('lists the passing tests of each runner that prints them, never a skipped one', () => {
    expect(passingTests(TAP)).toEqual(['adds', 'inner ok', 'suite']);
    expect(passingTests('✔ adds (0.5ms)\n﹣ later (0.1ms) # SKIP\n')).toEqual(['adds']);
    expect(passingTests(' ✓ test/a.test.ts > math > adds 2ms\n')).toEqual(['test/a.test.ts > math > adds']);
    expect(passingTests('PASSED tests/test_a.py::test_b\ntests/test_a.py::test_c PASSED [ 50%]\n')).toEqual([
      'tests/test_a.py::test_b',
      'tests/test_a.py::test_c',
    ]);
    expect(passingTests('--- PASS: TestAdd (0.00s)\ntest add ... ok\n')).toEqual(['TestAdd', 'add']);
  });

  it("observes a command: failing and passing names, the checkout's path made relative", () => {
    expect(observe(result(), TAP, '/work/x')).toEqual({
      command: 'npm test',
      passed: false,
      readable: true,
      passing: ['adds', 'inner ok', 'suite'],
      failing: ['fails here', 'test/b.test.js'],
    });
  });
});

describe('what passes', () => {
  it('takes a listed failure over anything, then a listed pass, then a green readable run', () => {
    const run = [obs({ passed: false, passing: ['a'], failing: ['b'] })];
    expect(passes('a', run)).toBe(true);
    expect(passes('b', run)).toBe(false);
    // Not seen, and the run was red: no evidence it passed.
    expect(passes('c', run)).toBe(false);
    // A runner that lists no passes (vitest's default): a green run means every test in it passed.
    expect(passes('c', [obs({ passed: true })])).toBe(true);
    // Nothing readable: no test name can be vouched for.
    expect(passes('c', [obs({ passed: true, readable: false })])).toBe(false);
  });

  it('judges a command id by the command', () => {
    const run = [obs({ command: 'npm run typecheck', readable: false, passed: false }), obs({ passed: true })];
    expect(passes('npm run typecheck', run)).toBe(false);
    expect(passes('npm test', run)).toBe(true);
  });
});

describe('FAIL_TO_PASS and PASS_TO_PASS', () => {
  it('per test when the runner names them; a test file that crashed at the base is no test of its own', () => {
    const before = [obs({ passed: false, passing: ['old'], failing: ['test/new.test.js'] })];
    const after = [obs({ passed: true, passing: ['new one', 'new two', 'old'] })];
    expect(classify(before, after)).toEqual({
      failToPass: ['new one', 'new two'],
      passToPass: ['old'],
      failingAtFix: [],
    });
  });

  it('from failing names alone when the runner lists no passes', () => {
    const before = [obs({ passed: false, failing: ['x > fixed'] })];
    const after = [obs({ passed: true })];
    expect(classify(before, after)).toMatchObject({ failToPass: ['x > fixed'], passToPass: [] });
  });

  it('per command when the runner names nothing; a test the fix leaves failing is in neither list', () => {
    const before = [
      obs({ command: 'tsc', readable: false, passed: false }),
      obs({ command: 'lint', readable: false, passed: true }),
      obs({ passed: false, failing: ['broken', 'fixed'] }),
    ];
    const after = [
      obs({ command: 'tsc', readable: false, passed: true }),
      obs({ command: 'lint', readable: false, passed: true }),
      obs({ passed: false, passing: ['fixed'], failing: ['broken'] }),
    ];
    expect(classify(before, after)).toEqual({
      failToPass: ['tsc', 'fixed'],
      passToPass: ['lint'],
      failingAtFix: ['broken'],
    });
  });

  it('grades: resolved only when every id passes', () => {
    const run = [obs({ passed: false, passing: ['a'], failing: ['b'] })];
    expect(grade(['a'], [], run)).toEqual({ f2p: [{ id: 'a', passed: true }], p2p: [], resolved: true });
    expect(grade(['a'], ['b'], run).resolved).toBe(false);
  });
});
