import { describe, expect, it } from 'vitest';
import { failingTests, parseTestCounts, problemCount, ranCount } from '../../../src/gate/counts.js';

/** Summary lines as each runner really prints them (captured from node 20, vitest 4, jest 29, mocha 10, pytest 9, cargo 1.95). */
const NODE_TAP = `TAP version 13
# Subtest: one
ok 1 - one
  ---
  duration_ms: 0.5
  ...
# Subtest: two
not ok 2 - two
  ---
  duration_ms: 0.8
  ...
# Subtest: three
ok 3 - three # SKIP
1..4
# tests 4
# suites 0
# pass 1
# fail 1
# cancelled 0
# skipped 1
# todo 1
# duration_ms 91.8
`;
const NODE_SPEC = `✔ one (0.5ms)
✖ two (0.8ms)
ℹ tests 2
ℹ suites 0
ℹ pass 1
ℹ fail 1
ℹ cancelled 0
ℹ skipped 0
ℹ todo 0
`;
const VITEST = ` ❯ test/a.test.js (4 tests | 1 failed | 1 skipped | 1 todo) 8ms
     ✓ one 2ms
     × two 5ms

 FAIL  test/a.test.js > suite > two
AssertionError: expected 1 to be 2

 Test Files  1 failed (1)
      Tests  1 failed | 1 passed | 1 skipped | 1 todo (4)
   Start at  08:35:13
`;
const JEST = `FAIL test/a.test.js
  suite
    ✓ one (1 ms)
    ✕ two (1 ms)
    ○ skipped three

  ● suite › two

    one is not two

Test Suites: 1 failed, 1 total
Tests:       1 failed, 1 skipped, 1 passed, 3 total
Snapshots:   0 total
`;
const MOCHA = `  suite
    ✔ one
    1) two
    - three


  1 passing (3ms)
  1 pending
  1 failing

  1) suite
       two:
     Error: one is not two
`;
const PYTEST = `tests/test_a.py:3: AssertionError
=========================== short test summary info ============================
FAILED tests/test_a.py::test_two - assert 1 == 2
============== 1 failed, 1 passed, 1 skipped, 1 xfailed in 0.63s ===============
`;
const CARGO = `running 3 tests
test tests::three ... ignored
test tests::one ... ok
test tests::two ... FAILED

failures:
    tests::two

test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out; finished in 0.08s

running 2 tests
test it_works ... ok
test also ... ok

test result: ok. 2 passed; 0 failed; 0 ignored; 0 measured; 1 filtered out; finished in 0.00s
`;
const GO_VERBOSE = `=== RUN   TestOne
--- PASS: TestOne (0.00s)
=== RUN   TestTwo
    x_test.go:9: want 2
--- FAIL: TestTwo (0.00s)
=== RUN   TestThree
    x_test.go:12: later
--- SKIP: TestThree (0.00s)
FAIL
FAIL\texample.com/x\t0.002s
`;
const GO_QUIET = `ok  \texample.com/x\t0.002s
ok  \texample.com/y\t0.003s
`;
const UNITTEST = `..F
======================================================================
FAIL: test_two (test_a.T.test_two)
----------------------------------------------------------------------
Ran 4 tests in 0.001s

FAILED (failures=1, skipped=1)
`;

describe('test counts from each runner', () => {
  it.each([
    ['node --test (TAP)', NODE_TAP, { runner: 'node --test', passed: 1, failed: 1, skipped: 2 }],
    ['node --test (spec)', NODE_SPEC, { runner: 'node --test', passed: 1, failed: 1, skipped: 0 }],
    ['vitest', VITEST, { runner: 'vitest', passed: 1, failed: 1, skipped: 2 }],
    ['jest', JEST, { runner: 'jest', passed: 1, failed: 1, skipped: 1 }],
    ['mocha', MOCHA, { runner: 'mocha', passed: 1, failed: 1, skipped: 1 }],
    ['pytest', PYTEST, { runner: 'pytest', passed: 1, failed: 1, skipped: 2 }],
    ['cargo test (two binaries, summed)', CARGO, { runner: 'cargo test', passed: 3, failed: 1, skipped: 2 }],
    ['go test -v', GO_VERBOSE, { runner: 'go test', passed: 1, failed: 1, skipped: 1 }],
    ['unittest', UNITTEST, { runner: 'unittest', passed: 2, failed: 1, skipped: 1 }],
  ])('%s', (_name, output, want) => {
    expect(parseTestCounts(output)).toEqual(want);
  });

  it('go test without -v: passes are unknown, not zero', () => {
    const c = parseTestCounts(GO_QUIET);
    expect(c).toEqual({ runner: 'go test', passed: null, failed: 0, skipped: 0 });
    expect(ranCount(c!)).toBeNull();
  });

  it('adds up two runners in one command', () => {
    expect(parseTestCounts(`${NODE_SPEC}\n${VITEST}`)).toEqual({
      runner: 'node --test + vitest',
      passed: 2,
      failed: 2,
      skipped: 2,
    });
  });

  it('everything filtered out is zero run', () => {
    const c = parseTestCounts('1..4\n# tests 4\n# pass 0\n# fail 0\n# skipped 4\n');
    expect(c).toMatchObject({ passed: 0, failed: 0, skipped: 4 });
    expect(ranCount(c!)).toBe(0);
  });

  it('output no runner prints gives no counts (the gate falls back to exit codes)', () => {
    expect(parseTestCounts('all good\nok then\n')).toBeUndefined();
    expect(parseTestCounts('')).toBeUndefined();
  });
});

describe('failing test names', () => {
  it.each([
    ['node TAP', NODE_TAP, ['two']],
    ['node spec', NODE_SPEC, ['two']],
    ['vitest', VITEST, ['test/a.test.js > suite > two']],
    ['jest', JEST, ['suite › two']],
    ['mocha', MOCHA, ['suite', 'two']],
    ['pytest', PYTEST, ['tests/test_a.py::test_two']],
    ['cargo', CARGO, ['tests::two']],
    ['go', GO_VERBOSE, ['TestTwo']],
    ['unittest', UNITTEST, ['test_two (test_a.T.test_two)']],
  ])('%s', (_name, output, want) => {
    expect(failingTests(output)).toEqual(expect.arrayContaining(want));
  });

  it('none recognised: undefined', () => {
    expect(failingTests('# tests 1\n# pass 1\n')).toBeUndefined();
  });
});

describe('problem counts of typecheck and lint', () => {
  it('reads tsc, eslint, biome and error lines', () => {
    expect(problemCount('src/a.ts(3,1): error TS2322: x\nFound 2 errors in 1 file.')).toBe(2);
    expect(problemCount('\n✖ 5 problems (3 errors, 2 warnings)\n')).toBe(5);
    expect(problemCount('Checked 10 files in 3ms. No fixes applied.\nFound 1 error.')).toBe(1);
    expect(problemCount('src/a.ts(3,1): error TS2322: x\nsrc/b.ts(1,1): error TS1005: y\n')).toBe(2);
    expect(problemCount('all clean')).toBeUndefined();
  });
});
