import { describe, expect, it } from 'vitest';
import type { TestCounts } from '../../../../src/gate/counts.js';
import { assessIntegrity, type IntegrityInput, type ProtectedChange } from '../../../../src/gate/integrity/index.js';
import type { VerifyCommand, VerifyResult } from '../../../../src/gate/types.js';

const TEST: VerifyCommand = { command: 'npm test', kind: 'test', source: 'package.json' };
const LINT: VerifyCommand = { command: 'npm run lint', kind: 'lint', source: 'package.json' };

function result(
  command: VerifyCommand,
  exitCode: number,
  extra: { counts?: Partial<TestCounts>; failing?: string[]; problems?: number } = {},
): VerifyResult {
  return {
    command: command.command,
    kind: command.kind,
    exitCode,
    durationMs: 1,
    output: '',
    outputPath: '/dev/null',
    outputBytes: 0,
    truncated: false,
    timedOut: false,
    noTestsRan: false,
    passed: exitCode === 0,
    ...(exitCode === 0 ? {} : { reason: `exit code ${exitCode}` }),
    ...(extra.counts ? { counts: { runner: 'node --test', passed: 0, failed: 0, skipped: 0, ...extra.counts } } : {}),
    ...(extra.failing ? { failingTests: extra.failing } : {}),
    ...(extra.problems !== undefined ? { problems: extra.problems } : {}),
  };
}

const input = (over: Partial<IntegrityInput>): IntegrityInput => ({
  commands: [TEST],
  baseline: [result(TEST, 0, { counts: { passed: 3 } })],
  final: [result(TEST, 0, { counts: { passed: 4 } })],
  original: null,
  declared: null,
  changes: [],
  markers: [],
  suspects: [],
  outside: [],
  accepted: {},
  ...over,
});

const change = (over: Partial<ProtectedChange>): ProtectedChange => ({
  path: 'test/x.test.js',
  status: 'M',
  kind: 'test',
  preExisting: true,
  detail: 'modified',
  acceptance: null,
  ...over,
});

describe('test integrity verdict', () => {
  it('an honest run with new tests has nothing to accept', () => {
    const v = assessIntegrity(
      input({ changes: [change({ path: 'test/new.test.js', status: 'A', preExisting: false })] }),
    );
    expect(v.unaccepted).toEqual([]);
    expect(v.headline).toBeNull();
    expect(v.comparisons[0]).toMatchObject({ base: { exitCode: 0 }, final: { exitCode: 0 }, preExisting: null });
  });

  it('a changed gate definition blocks until someone accepts it', () => {
    const ch = change({ path: 'package.json', kind: 'manifest', detail: '- scripts.test: "node --test"' });
    const v = assessIntegrity(input({ changes: [ch] }));
    expect(v.unaccepted).toEqual(['gate-definition:package.json']);
    expect(v.headline).toMatch(/checks were changed.*package\.json/);
    const ok = assessIntegrity(
      input({
        changes: [ch],
        accepted: { 'gate-definition:package.json': { by: 'skeptic', note: 'task asks for it' } },
      }),
    );
    expect(ok.unaccepted).toEqual([]);
    expect(ok.issues[0]?.acceptance).toEqual({ by: 'skeptic', note: 'task asks for it' });
  });

  it('an original test that passed at the base and fails now blocks; one that still passes does not', () => {
    const changes = [change({})];
    const failing = assessIntegrity(
      input({
        changes,
        original: { restored: ['test/x.test.js'], commandIndexes: [0], results: [result(TEST, 1, { failing: ['x'] })] },
      }),
    );
    expect(failing.unaccepted).toEqual(['original-fails:npm test']);
    expect(failing.issues.find((i) => i.kind === 'original-fails')?.title).toMatch(
      /original version of test\/x\.test\.js fails on the new code \(it passed at the base\)/,
    );
    const passing = assessIntegrity(
      input({ changes, original: { restored: ['test/x.test.js'], commandIndexes: [0], results: [result(TEST, 0)] } }),
    );
    expect(passing.unaccepted).toEqual([]);
    expect(passing.issues.map((i) => i.kind)).toEqual(['test-changed']);
  });

  it('original failures that were already there at the base are not blamed on the run', () => {
    const v = assessIntegrity(
      input({
        baseline: [result(TEST, 1, { failing: ['old'] })],
        changes: [change({})],
        original: {
          restored: ['test/x.test.js'],
          commandIndexes: [0],
          results: [result(TEST, 1, { failing: ['old'] })],
        },
      }),
    );
    expect(v.unaccepted).toEqual([]);
  });

  it('labels failures that were already there at the base, and new ones beside them', () => {
    const v = assessIntegrity(
      input({
        commands: [TEST, LINT],
        baseline: [result(TEST, 1, { failing: ['a'] }), result(LINT, 1, { problems: 2 })],
        final: [result(TEST, 1, { failing: ['a', 'b'] }), result(LINT, 1, { problems: 2 })],
      }),
    );
    expect(v.comparisons.map((c) => c.preExisting)).toEqual(['some', 'all']);
    expect(v.comparisons[0]?.newFailures).toEqual(['b']);
    const fresh = assessIntegrity(input({ final: [result(TEST, 1)] }));
    expect(fresh.comparisons[0]?.preExisting).toBe('none');
  });

  it('fewer tests ran than at the base: blocking unless an accepted test change explains it', () => {
    const final = [result(TEST, 0, { counts: { passed: 2, skipped: 1 } })];
    const v = assessIntegrity(input({ final }));
    expect(v.unaccepted).toEqual(['count-drop:npm test']);
    expect(v.issues[0]?.title).toMatch(/ran 1 fewer test\(s\) than at the base \(3 → 2\)/);
    const explained = assessIntegrity(
      input({ final, changes: [change({ status: 'D', acceptance: { by: 'plan', note: 'feature removed' } })] }),
    );
    expect(explained.unaccepted).toEqual([]);
  });

  it('a skip added to an existing test blocks; one in a new test file is only reported', () => {
    const marker = { path: 'test/x.test.js', line: 3, marker: '.skip', added: 1, acceptance: null };
    expect(assessIntegrity(input({ markers: [{ ...marker, preExisting: true }] })).unaccepted).toEqual([
      'skip-added:test/x.test.js:.skip',
    ]);
    const fresh = assessIntegrity(input({ markers: [{ ...marker, path: 'test/new.test.js', preExisting: false }] }));
    expect(fresh.unaccepted).toEqual([]);
    expect(fresh.issues).toHaveLength(1);
  });

  it('without a baseline the original re-run still judges, and says it had nothing to compare with', () => {
    const v = assessIntegrity(
      input({
        baseline: null,
        changes: [change({})],
        original: { restored: ['test/x.test.js'], commandIndexes: [0], results: [result(TEST, 1)] },
      }),
    );
    expect(v.unaccepted).toEqual(['original-fails:npm test']);
    expect(v.issues.find((i) => i.kind === 'original-fails')?.title).toMatch(/no baseline/);
  });
});
