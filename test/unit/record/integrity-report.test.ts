import { describe, expect, it } from 'vitest';
import type { RunState, VerifyRecord } from '../../../src/protocol/types.js';
import { renderIntegrity } from '../../../src/record/integrity-report.js';
import { result, runState, verify } from '../../support/state.js';

/** The report's "Test integrity" section, from hand-built verify records. */
type Integrity = NonNullable<VerifyRecord['integrity']>;
type Comparison = Integrity['comparisons'][number];
type Issue = Integrity['issues'][number];

const BASELINE: RunState['baseline'] = { sha: 'abc', durationMs: 1000, results: [result()] };

const comparison = (over: Partial<Comparison> = {}): Comparison => ({
  command: 'npm test',
  kind: 'test',
  base: { exitCode: 0, passed: true, counts: { runner: 'node', passed: 4, failed: 0, skipped: 0 } },
  final: { exitCode: 1, passed: false, counts: { runner: 'node', passed: 3, failed: 1, skipped: 0 } },
  preExisting: 'none',
  ...over,
});
const issue = (over: Partial<Issue> = {}): Issue => ({
  key: 'k',
  kind: 'test-changed',
  path: 'test/a.test.js',
  command: null,
  line: null,
  title: 'test/a.test.js was changed',
  evidence: 'an assertion was loosened',
  blocking: true,
  acceptance: null,
  ...over,
});
const withIntegrity = (integrity: Partial<Integrity>, v: Partial<VerifyRecord> = {}, s: Partial<RunState> = {}) =>
  renderIntegrity(
    runState({
      baseline: BASELINE,
      verify: [
        verify({
          integrity: { comparisons: [], issues: [], unaccepted: [], headline: null, ...integrity },
          ...v,
        }),
      ],
      ...s,
    }),
  );
const text = (lines: string[]) => lines.join('\n');

describe('renderIntegrity: when there is a section at all', () => {
  it('has none before the gate ran', () => {
    expect(
      renderIntegrity(runState({ baseline: BASELINE, reverts: [{ step: 's', agent: 'a', path: 'p', reason: 'r' }] })),
    ).toEqual([]);
  });

  it('has none for a run with no integrity record, no reverts and no baseline (an older record)', () => {
    expect(renderIntegrity(runState({ verify: [verify()] }))).toEqual([]);
  });

  it('opens with what duo compared, and says when no baseline was taken', () => {
    const out = renderIntegrity(
      runState({ verify: [verify()], reverts: [{ step: 'implement/1', agent: 'claude', path: 'p', reason: 'r' }] }),
    );
    expect(out.slice(0, 3)).toEqual(['', '## Test integrity', '']);
    expect(out[3]).toMatch(/^duo ran the checks on the untouched base as well/);
    expect(out).toContain('No baseline was taken.');
  });

  it('does not claim a missing baseline when there was one', () => {
    expect(text(renderIntegrity(runState({ baseline: BASELINE, verify: [verify()] })))).not.toContain('No baseline');
  });
});

describe('renderIntegrity: the base vs final table', () => {
  it.each([
    ['all', ' — already failing at the base (pre-existing)'],
    ['unknown', ' — also failing at the base (cannot tell whether the failures are the same)'],
    ['none', ' — passed at the base: a failure this run introduced'],
    [null, ''],
  ] as const)('labels preExisting %s', (preExisting, label) => {
    const out = withIntegrity({ comparisons: [comparison({ preExisting })] });
    expect(out).toContain(
      `| \`npm test\` | exit 0 · 4 passed, 0 failed, 0 skipped | exit 1 · 3 passed, 1 failed, 0 skipped${label} |`,
    );
  });

  it('names up to five new failures', () => {
    const newFailures = ['t1', 't2', 't3', 't4', 't5', 't6'];
    const out = text(withIntegrity({ comparisons: [comparison({ preExisting: 'some', newFailures })] }));
    expect(out).toContain(' — new failures: t1; t2; t3; t4; t5 |');
    expect(out).not.toContain('t6');
  });

  it('shows a side by its counts, its problem count or its exit code alone, and a base not taken', () => {
    const out = withIntegrity({
      comparisons: [
        comparison({
          command: 'npm run lint',
          kind: 'lint',
          base: null,
          final: { exitCode: 1, passed: false, problems: 3 },
          preExisting: null,
        }),
        comparison({
          command: 'make | tee log',
          kind: 'build',
          base: { exitCode: null, passed: false },
          final: { exitCode: 0, passed: true, counts: { runner: 'x', passed: null, failed: 0, skipped: 2 } },
          preExisting: null,
        }),
      ],
    });
    expect(out).toContain('| `npm run lint` | not taken | exit 1 · 3 problem(s) |');
    expect(out).toContain(
      '| `make \\| tee log` | no exit code (timed out, or did not start) | exit 0 · ? passed, 0 failed, 2 skipped |',
    );
  });
});

describe('renderIntegrity: what the run did to the checks', () => {
  it('says which gate files ran as defined at the base', () => {
    const out = text(withIntegrity({}, { baseDefinition: ['package.json', 'vitest.config.ts'] }));
    expect(out).toContain(
      "**The gate ran the checks as defined at the base** for `package.json`, `vitest.config.ts`: the run's change to them was not accepted.",
    );
  });

  it('lists blocking unaccepted issues with their evidence', () => {
    const out = text(withIntegrity({ issues: [issue()] }));
    expect(out).toContain(
      '**Not accepted — the run cannot be green while these stand:**\n- test/a.test.js was changed. an assertion was loosened',
    );
  });

  it('says who accepted each change made on purpose', () => {
    const out = text(
      withIntegrity({
        issues: [
          issue({ title: 'A', acceptance: { by: 'plan', note: 'n1' } }),
          issue({ title: 'B', acceptance: { by: 'skeptic', note: 'n2' } }),
          issue({ title: 'C', acceptance: { by: 'human', note: 'n3' } }),
        ],
      }),
    );
    expect(out).toContain(
      [
        '**Tests changed on purpose:**',
        '- A — declared in the agreed plan, accepted by the skeptic with it: n1',
        '- B — accepted by the skeptic: n2',
        '- C — accepted by the human: n3',
      ].join('\n'),
    );
    expect(out).not.toContain('Not accepted');
  });

  it('lists non-blocking changes, and says when the original of a changed test still passes', () => {
    const original = { restored: ['test/a.test.js'], results: [result({ command: 'npm test' })] };
    const info = [
      issue({ blocking: false }),
      issue({ blocking: false, path: 'test/b.test.js', title: 'test/b.test.js was changed' }),
    ];
    const out = text(withIntegrity({ issues: info }, { original }));
    expect(out).toContain(
      '**Also changed:**\n- test/a.test.js was changed — its original version still passes on the new code\n- test/b.test.js was changed\n',
    );
    expect(out).toContain(
      '**Original tests re-run** (as they are at the base, on the new code):\n- `npm test` with `test/a.test.js`: passed',
    );
  });

  it('does not claim the original still passes when an original-fails issue stands', () => {
    const original = {
      restored: ['test/a.test.js'],
      results: [result({ passed: false, exitCode: 1, reason: undefined })],
    };
    const out = text(
      withIntegrity(
        {
          issues: [
            issue({ blocking: false }),
            issue({ kind: 'original-fails', title: 'the original test/a.test.js fails' }),
          ],
        },
        { original },
      ),
    );
    expect(out).toContain('- test/a.test.js was changed\n');
    expect(out).not.toContain('still passes');
    expect(out).toContain('- `npm test` with `test/a.test.js`: FAILED (exit 1)');
  });

  it('lists what duo reverted, by whom and in which step', () => {
    const out = text(
      withIntegrity(
        {},
        {},
        {
          reverts: [
            { step: 'implement/1', agent: 'claude', path: 'package.json', reason: 'scripts.test: vitest → echo ok' },
          ],
        },
      ),
    );
    expect(out).toContain('**Reverted by duo**');
    expect(out).toContain('- scripts.test: vitest → echo ok (claude, implement/1)');
  });

  it('reports checks re-run alone after failing beside the others', () => {
    const out = text(
      withIntegrity(
        {},
        {
          results: [
            result({ command: 'npm test', firstTry: { exitCode: 1, reason: 'EADDRINUSE', outputPath: '/r/1.log' } }),
            result({ command: 'npm run e2e', passed: false, firstTry: { exitCode: 137, outputPath: '/r/2.log' } }),
            result({ command: 'npm run lint' }),
          ],
        },
      ),
    );
    expect(out).toContain(
      [
        '**Re-run alone:**',
        '- `npm test` failed while other checks ran beside it (EADDRINUSE); alone it passed.',
        '- `npm run e2e` failed while other checks ran beside it (exit 137); alone it failed too.',
      ].join('\n'),
    );
    expect(out).not.toContain('npm run lint');
  });
});
