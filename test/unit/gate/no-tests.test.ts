import { describe, expect, it } from 'vitest';
import { noTestsRan } from '../../../src/gate/no-tests.js';

/** "No tests ran" is not green: each runner's phrase for it, as the runner prints it. */
describe('noTestsRan', () => {
  it.each([
    [
      'jest',
      'No tests found, exiting with code 1\nRun with `--passWithNoTests` to exit with code 0',
      1,
      'No tests found',
    ],
    ['vitest', '\n RUN  v4.1.12 /repo\n\nNo test files found, exiting with code 1\n', 1, 'No test files found'],
    [
      'pytest (text)',
      '============================ no tests ran in 0.01s =============================',
      0,
      'no tests ran',
    ],
    ['node --test (TAP)', 'TAP version 13\n1..0\n# tests 0\n# suites 0\n# pass 0\n', 0, '# tests 0'],
    ['node --test (spec)', 'ℹ tests 0\nℹ suites 0\nℹ pass 0\nℹ fail 0\n', 0, 'ℹ tests 0'],
    [
      'unittest',
      '\n----------------------------------------------------------------------\nRan 0 tests in 0.000s\n\nOK\n',
      0,
      'Ran 0 tests',
    ],
    ['unittest (Python 3.12+)', 'Ran 0 tests in 0.000s\n\nNO TESTS RAN\n', 5, 'NO TESTS RAN'],
    ['a bare TAP plan', 'TAP version 13\n1..0 # no tests\n', 0, '1..0'],
    ['mocha', '\n\n  0 passing (2ms)\n\n', 0, '0 passing'],
  ])('%s', (_runner, output, exitCode, phrase) => {
    expect(noTestsRan(output, exitCode)).toBe(phrase);
  });

  it('reads pytest exit code 5 as nothing collected', () => {
    const out =
      '============================= test session starts ==============================\ncollected 0 items\n\n============================ no tests ran in 0.01s =============================\n';
    expect(noTestsRan(out, 5)).toBe('pytest exit code 5: no tests collected');
  });

  it('does not read exit code 5 from another tool as pytest', () => {
    expect(noTestsRan('make: *** [all] Error 5', 5)).toBeUndefined();
  });

  it('does not take mocha’s "0 passing" beside failures for an empty run: that run is red', () => {
    const out = '\n  1) x\n       fails:\n     AssertionError\n\n  0 passing (4ms)\n  1 failing\n';
    expect(noTestsRan(out, 1)).toBeUndefined();
  });

  it.each([
    ['node --test with tests', '# tests 10\n# pass 10\n'],
    ['node --test spec with tests', 'ℹ tests 3\nℹ pass 3\n'],
    ['unittest with tests', 'Ran 10 tests in 0.002s\n\nOK\n'],
    ['a TAP plan of ten', '1..10\nok 1\n'],
    ['mocha with ten passing', '  10 passing (9ms)\n'],
    ['vitest with tests', ' Test Files  1 passed (1)\n      Tests  4 passed (4)\n'],
    ['no output at all', ''],
  ])('says nothing for %s', (_what, output) => {
    expect(noTestsRan(output, 0)).toBeUndefined();
  });

  it('go: only when every package line says [no test files]', () => {
    const none = '?   \texample.com/app\t[no test files]\n?   \texample.com/app/internal/x\t[no test files]\n';
    expect(noTestsRan(none, 0)).toBe('[no test files]');
    const some = `${none}ok  \texample.com/app/pkg\t0.012s\n`;
    expect(noTestsRan(some, 0)).toBeUndefined();
    const failing = `${none}FAIL\texample.com/app/pkg\t0.010s\n`;
    expect(noTestsRan(failing, 1)).toBeUndefined();
  });

  it('cargo: only when every "running N tests" has N = 0', () => {
    const crate = (n: number) =>
      `running ${n} test${n === 1 ? '' : 's'}\n\ntest result: ok. ${n} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.00s\n`;
    expect(noTestsRan(`${crate(0)}\n${crate(0)}`, 0)).toBe('running 0 tests');
    expect(noTestsRan(`${crate(0)}\n${crate(1)}`, 0)).toBeUndefined();
    expect(noTestsRan(`${crate(0)}\n${crate(3)}`, 0)).toBeUndefined();
  });
});
