import { describe, expect, it } from 'vitest';
import type { RunState, VerifyRecord } from '../../../src/protocol/types.js';
import { nextStep, renderReport, statusLine } from '../../../src/record/report.js';
import { localTime } from '../../../src/sys/time.js';
import { entry, result, runState, verify, WORKTREE } from '../../support/state.js';

/** report.md from hand-built run records: outcome and next step first, the verify output verbatim. */
type Integrity = NonNullable<VerifyRecord['integrity']>;
type Comparison = Integrity['comparisons'][number];

const comparison = (over: Partial<Comparison> = {}): Comparison => ({
  command: 'npm test',
  kind: 'test',
  base: { exitCode: 0, passed: true },
  final: { exitCode: 1, passed: false },
  preExisting: 'none',
  ...over,
});
const integrity = (over: Partial<Integrity> = {}): Integrity => ({
  comparisons: [],
  issues: [],
  unaccepted: [],
  headline: null,
  ...over,
});
const red = (over: Partial<RunState> = {}, v: Partial<VerifyRecord> = {}) =>
  runState({
    status: 'red',
    worktree: WORKTREE,
    verify: [verify({ status: 'red', results: [result({ exitCode: 1, passed: false, output: 'not ok 1\n' })], ...v })],
    ...over,
  });
const revert = (path: string) => ({
  step: 'implement/1',
  agent: 'claude',
  path,
  reason: `${path} is an existing test`,
});

describe('statusLine', () => {
  it.each([
    ['green', 'GREEN — the verify gate ran and every command passed'],
    ['red', 'RED — the verify gate ran and a command failed'],
    ['unverified', 'UNVERIFIED — no verify command ran, so nothing is proven'],
    ['awaiting-decision', 'WAITING FOR YOU — a disputed blocker needs a human decision'],
    ['failed', 'FAILED — the run stopped before finishing'],
    ['interrupted', 'INTERRUPTED — the run was stopped; resume it to continue'],
    ['running', 'RUNNING'],
    ['answered', 'ANSWERED — a direct answer, no code changed'],
  ] as const)('%s', (status, line) => {
    expect(statusLine(runState({ status }))).toBe(line);
  });

  it('leads a red run with the integrity headline when the checks were bent', () => {
    const state = red(
      { reverts: [revert('test/a.test.js')] },
      { integrity: integrity({ headline: 'the run changed test/a.test.js' }) },
    );
    expect(statusLine(state)).toBe('RED — the run changed test/a.test.js');
  });

  it('says a red run’s protected files were reverted, each path once, at most three', () => {
    expect(
      statusLine(red({ reverts: [revert('test/a.test.js'), revert('test/a.test.js'), revert('package.json')] })),
    ).toBe(
      'RED — the real checks fail; the driver had changed the checks instead (test/a.test.js, package.json) and duo reverted that',
    );
    const many = red({ reverts: ['a', 'b', 'c', 'd'].map((p) => revert(`test/${p}.js`)) });
    expect(statusLine(many)).toContain('(test/a.js, test/b.js, test/c.js, …) and duo reverted that');
  });

  it('says so when every failing check was already failing at the base', () => {
    const state = red(
      {},
      {
        results: [result(), result({ command: 'npm run lint', kind: 'lint', exitCode: 1, passed: false })],
        integrity: integrity({
          comparisons: [comparison({ final: { exitCode: 0, passed: true } }), comparison({ preExisting: 'all' })],
        }),
      },
    );
    expect(statusLine(state)).toBe(
      'RED — every failing check was already failing the same way at the base (pre-existing); this run added no new failure',
    );
  });

  it('does not call a failure pre-existing when one failing check is new', () => {
    const state = red(
      {},
      {
        results: [result({ passed: false }), result({ command: 'npm run lint', passed: false })],
        integrity: integrity({
          comparisons: [comparison({ preExisting: 'all' }), comparison({ preExisting: 'some' })],
        }),
      },
    );
    expect(statusLine(state)).toBe('RED — the verify gate ran and a command failed');
  });

  it('names the failing tests the runner reported, the first three and how many more', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `test ${i + 1}`);
    const red2 = (failingTests: string[]) =>
      red(
        {},
        {
          results: [
            result({ exitCode: 1, passed: false, failingTests }),
            result({ passed: true, failingTests: ['not me'] }),
          ],
        },
      );
    expect(statusLine(red2(names(1)))).toBe('RED — the verify gate ran and a command failed: failing test "test 1"');
    expect(statusLine(red2(names(2)))).toBe(
      'RED — the verify gate ran and a command failed: failing tests "test 1" and "test 2"',
    );
    expect(statusLine(red2(names(5)))).toBe(
      'RED — the verify gate ran and a command failed: failing tests "test 1", "test 2", "test 3" and 2 more',
    );
    expect(renderReport(red2(names(1)), '/rec')).toMatch(/^# duo run-1: RED — .*failing test "test 1"$/m);
  });

  it('uses only the latest attempt, and only for a red run', () => {
    const bentEarlier = red({}, {});
    bentEarlier.verify.unshift(verify({ status: 'red', integrity: integrity({ headline: 'old news' }) }));
    expect(statusLine(bentEarlier)).toBe('RED — the verify gate ran and a command failed');
    expect(statusLine(runState({ status: 'green', reverts: [revert('test/a.test.js')] }))).toBe(
      'GREEN — the verify gate ran and every command passed',
    );
  });
});

describe('nextStep', () => {
  it('sends a green run to review and apply', () => {
    expect(nextStep(runState({ status: 'green', worktree: WORKTREE }))).toBe(
      'Review the branch `duo/run-1`, then `duo apply run-1` to bring it into your working tree.',
    );
  });

  it.each(['red', 'unverified'] as const)('does not apply a %s run, and says how to force it', (status) => {
    expect(nextStep(runState({ status, worktree: WORKTREE }))).toBe(
      'Not applied. Inspect `duo/run-1`; `duo apply run-1 --force` applies it anyway.',
    );
  });

  it('names the first undecided card of a run waiting for a decision', () => {
    const card = (id: string) => ({
      id,
      phase: 'plan' as const,
      findingId: id.slice(5),
      question: 'q',
      driverPosition: 'd',
      skepticPosition: 's',
      stakes: 'x',
      createdAt: 't',
    });
    const decided = { cardId: 'card-P1', pick: 'driver' as const, text: '', decidedAt: 't', by: 'cli' };
    const state = runState({
      status: 'awaiting-decision',
      cards: [card('card-P1'), card('card-P2')],
      decisions: [decided],
    });
    expect(nextStep(state)).toBe(
      '`duo decide run-1 card-P2 --pick driver|skeptic|"<your decision>"`, then `duo resume run-1`.',
    );
    state.decisions.push({ ...decided, cardId: 'card-P2' });
    expect(nextStep(state)).toBe('`duo resume run-1`.');
  });

  it.each(['failed', 'interrupted'] as const)('resumes a %s run', (status) => {
    expect(nextStep(runState({ status }))).toBe('`duo resume run-1` continues from the last completed step.');
  });

  it.each(['running', 'answered'] as const)('has nothing to say for a %s run', (status) => {
    expect(nextStep(runState({ status }))).toBe('');
  });
});

describe('renderReport', () => {
  const green = () =>
    runState({
      status: 'green',
      worktree: WORKTREE,
      finishedAt: '2025-01-01T00:05:00.000Z',
      triage: { mode: 'pair', reason: 'touches money ("refund"): full pair' },
      changes: [{ path: 'src/x.js', status: 'M', added: 2, removed: 1 }],
      verify: [verify({ results: [result({ output: 'ok 1 - x\n# pass 1\n' })] })],
      usage: {
        claude: {
          calls: 3,
          inputTokens: 1200,
          outputTokens: 300,
          cachedInputTokens: 0,
          costUsd: 0.01234,
          durationMs: 4200,
        },
        codex: {
          calls: 2,
          inputTokens: 900,
          outputTokens: 100,
          cachedInputTokens: 50,
          costUsd: null,
          durationMs: 3000,
        },
      },
    });

  it('puts the outcome, task, mode, branch, times and next step first', () => {
    const lines = renderReport(green(), '/rec/run-1').split('\n');
    expect(lines.slice(0, 9)).toEqual([
      '# duo run-1: GREEN — the verify gate ran and every command passed',
      '',
      '**Task:** make x return 2',
      '**Mode:** pair (driver claude, skeptic codex) — chosen by `--mode auto`',
      '**Routing:** touches money ("refund"): full pair',
      '**Branch:** `duo/run-1` from 0123456789',
      `**Started:** ${localTime('2025-01-01T00:00:00.000Z', { seconds: true })} · **finished:** ${localTime('2025-01-01T00:05:00.000Z', { seconds: true })}`,
      '**Next:** Review the branch `duo/run-1`, then `duo apply run-1` to bring it into your working tree.',
      '',
    ]);
    expect(lines.at(-2)).toBe('Record: `/rec/run-1`');
  });

  it('marks an unreviewed run in the title and cuts a long task at 400 characters', () => {
    const out = renderReport(runState({ unreviewed: true, task: 't'.repeat(450) }), '/rec');
    expect(out.startsWith('# UNREVIEWED — duo run-1: RUNNING')).toBe(true);
    expect(out).toContain(`**Task:** ${'t'.repeat(400)}…\n`);
  });

  it('lists what changed and each agent’s usage, with a cost only when the agent reports one', () => {
    const out = renderReport(green(), '/rec');
    expect(out).toContain('## What changed\n- `src/x.js` (M, +2 −1)');
    expect(out).toContain('- claude: 3 call(s), 4.2 s, 1200 in / 300 out tokens, $0.0123');
    expect(out).toContain('- codex: 2 call(s), 3.0 s, 900 in / 100 out tokens\n');
  });

  it('pastes the latest attempt’s output verbatim in a fence', () => {
    const out = renderReport(green(), '/rec');
    expect(out).toContain(
      '## Verify gate (run by duo, output verbatim)\n\n### Verify attempt 1: GREEN\n`$ npm test` — exit 0, 1.5 s, passed\n```text\nok 1 - x\n# pass 1\n```',
    );
    expect(out).not.toContain('Full output');
  });

  it('makes the fence longer than any run of backticks in the output', () => {
    const state = green();
    state.verify = [verify({ results: [result({ output: 'see ````code```` here\n' })] })];
    expect(renderReport(state, '/rec')).toContain('`````text\nsee ````code```` here\n`````');
  });

  it('shows earlier attempts by their failures only, as a tail, with where the full output is', () => {
    const state = green();
    state.verify = [
      verify({
        attempt: 1,
        status: 'red',
        results: [
          result({
            command: 'npm test',
            exitCode: 1,
            passed: false,
            reason: '2 failing',
            output: `${'x'.repeat(5000)}TAIL`,
          }),
          result({
            command: 'npm run lint',
            kind: 'lint',
            output: 'lint ok',
            outputPath: '/rec/lint.log',
            outputBytes: 7,
          }),
        ],
      }),
      verify({
        attempt: 2,
        results: [
          result({ exitCode: null, passed: false, reason: 'timed out', startError: 'spawn npm ENOENT', output: '' }),
        ],
      }),
    ];
    const out = renderReport(state, '/rec');
    expect(out).toContain('### Verify attempt 1: RED\n`$ npm test` — exit 1, 1.5 s, FAILED (2 failing)\n```text\n');
    expect(out).toContain(`${'x'.repeat(3996)}TAIL\n\`\`\``);
    expect(out).not.toContain('x'.repeat(3997));
    expect(out).not.toContain('lint ok');
    expect(out).toContain('Full output (7 bytes): `/rec/lint.log`');
    expect(out).toContain('`$ npm test` — did not start, 1.5 s, FAILED (timed out)\nCould not start: spawn npm ENOENT');
  });

  it('says where the full output is when the latest attempt’s output was truncated', () => {
    const state = green();
    state.verify = [verify({ results: [result({ truncated: true, outputBytes: 9_000_000 })] })];
    expect(renderReport(state, '/rec')).toContain('Full output (9000000 bytes): `/record/verify-1-0.log`');
  });

  it('says the gate did not run, except for a direct answer', () => {
    expect(renderReport(runState({ status: 'failed' }), '/rec')).toContain(
      '## Verify gate (run by duo, output verbatim)\n\nThe gate did not run.',
    );
    const answered = renderReport(
      runState({ status: 'answered', mode: 'answer', answer: 'It retries 3 times.' }),
      '/rec',
    );
    expect(answered).toContain('## Answer\n\nIt retries 3 times.');
    expect(answered).not.toContain('## Verify gate');
    expect(answered).not.toContain('**Next:**');
  });

  it('gives the error and what to do about it', () => {
    const out = renderReport(
      runState({ status: 'failed', error: { message: 'codex is not installed', hint: 'npm i -g @openai/codex' } }),
      '/rec',
    );
    expect(out).toContain('**Error:** codex is not installed\n**What to do:** npm i -g @openai/codex');
    expect(renderReport(runState({ status: 'failed', error: { message: 'boom', hint: null } }), '/rec')).not.toContain(
      'What to do',
    );
  });

  it('shows open decision cards, disagreements, the findings table and decisions', () => {
    const state = runState({
      status: 'awaiting-decision',
      roles: { driver: 'claude', skeptic: 'codex', dispatcher: 'claude', subtask: null },
      findings: [
        entry('P1', { resolution: 'escalated' }, { severity: 'blocker', claim: 'a | b\nc' }),
        entry('R1', { phase: 'review', resolution: 'fixed', fixCommit: 'abcdef0123456789' }),
      ],
      disagreements: [
        {
          at: 't',
          phase: 'plan',
          findingId: 'P1',
          severity: 'blocker',
          topic: 'a | b',
          driver: 'rebut: fine',
          skeptic: 'evidence P1 — no',
          outcome: 'unresolved',
        },
      ],
      cards: [
        {
          id: 'card-P1',
          phase: 'plan',
          findingId: 'P1',
          question: 'Q1?',
          driverPosition: 'D1',
          skepticPosition: 'S1',
          stakes: 'K1',
          createdAt: 't',
        },
        {
          id: 'card-P0',
          phase: 'plan',
          findingId: 'P0',
          question: 'Q0?',
          driverPosition: 'D0',
          skepticPosition: 'S0',
          stakes: 'K0',
          createdAt: 't',
        },
      ],
      decisions: [{ cardId: 'card-P0', pick: 'skeptic', text: 'do it their way', decidedAt: 't2', by: 'cli' }],
    });
    const out = renderReport(state, '/rec');
    expect(out).toContain('**Mode:** pair (driver claude, skeptic codex, dispatcher claude)');
    expect(out).toContain(
      '## Decision needed: card-P1\n\n**Question:** Q1?\n**Driver:** D1\n**Skeptic:** S1\n**Expensive to get wrong:** K1',
    );
    expect(out).not.toContain('Decision needed: card-P0');
    expect(out).toContain(
      '## Disagreements\n- **P1** (plan, blocker) a | b\n  - driver: rebut: fine\n  - skeptic: evidence P1 — no\n  - outcome: unresolved',
    );
    // Each finding with its fingerprint (8 hex digits shown) and its category (– when the reviewer gave none).
    expect(out).toMatch(/\| P1 \| `[0-9a-f]{8}` \| plan \| blocker \| – \| a \\\| b c \| escalated \|/);
    expect(out).toMatch(/\| R1 \| `[0-9a-f]{8}` \| review \| major \| – \| claim R1 \| fixed \(abcdef0123\) \|/);
    expect(out).toContain('## Decisions\n- card-P0: skeptic — do it their way (cli, t2)');
  });

  it('includes the test integrity section and the notes', () => {
    const out = renderReport(
      red({ reverts: [revert('test/a.test.js')], notes: ['sub-task S1 was done by the driver'] }),
      '/rec',
    );
    expect(out).toContain('## Test integrity');
    expect(out).toContain('- test/a.test.js is an existing test (claude, implement/1)');
    expect(out).toContain('## Notes\n- sub-task S1 was done by the driver');
  });

  it('leaves out every optional section a bare run does not have', () => {
    const out = renderReport(runState({ status: 'unverified' }), '/rec');
    for (const heading of [
      '## Answer',
      '## What changed',
      '## Decision needed',
      '## Disagreements',
      '## Findings',
      '## Decisions',
      '## Notes',
      '## Agent usage',
      '## Test integrity',
      '**Branch:**',
      '**Error:**',
    ])
      expect(out).not.toContain(heading);
  });
});

describe('a review run (duo review)', () => {
  const HEAD = 'fedcba9876543210fedcba9876543210fedcba98';
  const target = {
    scope: 'uncommitted' as const,
    ref: null,
    base: WORKTREE.baseSha,
    head: HEAD,
    label: 'the uncommitted changes on main (against 0123456789)',
    answer: false,
  };
  const review = (over: Partial<RunState> = {}) =>
    runState({
      mode: 'review',
      requestedMode: 'review',
      worktree: WORKTREE,
      headSha: HEAD,
      options: { verify: ['npm test'], includeUncommitted: false, apply: false, review: target },
      verify: [verify()],
      ...over,
    });

  it('red with standing findings says which, first; a fixed or minor one does not count', () => {
    const state = review({
      status: 'red',
      findings: [
        entry('R1', { phase: 'review' }, { severity: 'blocker', claim: 'x is unsafe' }),
        entry('R2', { phase: 'review', resolution: 'fixed' }, { severity: 'major' }),
        entry('R3', { phase: 'review' }, { severity: 'minor' }),
      ],
    });
    expect(statusLine(state)).toBe('RED — the review left 1 blocker/major finding(s) standing: [R1] x is unsafe');
    const report = renderReport(state, '/record');
    expect(report.split('\n')[0]).toContain('RED — the review left 1');
    expect(report).toContain(`**Reviewed:** ${target.label}: 0123456789..fedcba9876`);
  });

  it('the next step: review again, and duo apply only when the driver made fixes of its own', () => {
    expect(nextStep(review({ status: 'red' }))).toBe('Address the findings and checks below, then `duo review` again.');
    expect(nextStep(review({ status: 'green' }))).toBe('Nothing stands against these changes.');
    const fixed = review({ status: 'green', headSha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa' });
    expect(nextStep(fixed)).toContain('`duo apply run-1` brings them into your working tree');
    expect(nextStep({ ...fixed, status: 'red' })).toContain('`duo apply run-1 --force`');
    // Waiting for a decision or interrupted: the usual next steps.
    expect(nextStep(review({ status: 'interrupted' }))).toContain('duo resume run-1');
  });
});
