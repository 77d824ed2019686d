import { describe, expect, it } from 'vitest';
import { renderFinding, renderFindings, renderPlan } from '../../../../src/protocol/prompts/render.js';
import type { Plan } from '../../../../src/protocol/schemas.js';
import { entry } from '../../../support/state.js';

const minimal: Plan = {
  summary: 'make x return 2',
  files: [{ path: 'src/x.js', change: 'return 2' }],
  approach: 'edit the constant',
  tests: ['x() is 2'],
  testChanges: [],
  risks: [],
  rollback: null,
  subtasks: [],
  answers: [],
};

describe('renderPlan', () => {
  it('renders the required sections and says when no rollback is needed', () => {
    expect(renderPlan(minimal)).toBe(
      [
        'Summary: make x return 2',
        '',
        'Files:',
        '- src/x.js: return 2',
        '',
        'Approach: edit the constant',
        '',
        'Tests:',
        '- x() is 2',
        '',
        'Rollback: (none needed)',
      ].join('\n'),
    );
  });

  it('adds the deliberate test changes, risks, rollback and sub-tasks when there are any', () => {
    const out = renderPlan({
      ...minimal,
      testChanges: [{ path: 'test/x.test.js', reason: 'x used to return 3' }],
      risks: ['callers that expect 3'],
      rollback: 'revert the commit',
      subtasks: [
        { id: 'S1', title: 'core', description: '', files: ['src/**', 'lib/a.js'], independent: true },
        { id: 'S2', title: 'docs', description: '', files: [], independent: false },
      ],
    });
    expect(out).toContain('\nExisting tests / checks changed on purpose:\n- test/x.test.js: x used to return 3\n');
    expect(out).toContain('\nRisks:\n- callers that expect 3\n');
    expect(out).toContain('\nRollback: revert the commit\n');
    expect(
      out.endsWith('Sub-tasks:\n- [S1] core (independent) — files: src/**, lib/a.js\n- [S2] docs — files: -'),
    ).toBe(true);
  });
});

describe('renderFinding', () => {
  it('gives the id, severity, place, claim and evidence', () => {
    expect(renderFinding(entry('P1', {}, { severity: 'blocker', file: 'src/x.js', line: 12 }))).toBe(
      '[P1] blocker (src/x.js:12): claim P1\n  evidence: evidence P1',
    );
  });

  it('gives the file without a line, and no place at all without a file', () => {
    expect(renderFinding(entry('P1', {}, { line: null }))).toBe(
      '[P1] major (src/x.js): claim P1\n  evidence: evidence P1',
    );
    expect(renderFinding(entry('P1', {}, { file: null }))).toBe('[P1] major: claim P1\n  evidence: evidence P1');
  });

  it('adds the driver’s answer and the skeptic’s re-check', () => {
    const e = entry('R2', {
      answer: { action: 'rebut', note: 'never null here', round: 1 },
      recheck: { status: 'hold', note: 'the API returns null', round: 2 },
    });
    expect(renderFinding(e).split('\n').slice(2)).toEqual([
      '  driver (rebut): never null here',
      '  skeptic (hold): the API returns null',
    ]);
  });
});

describe('renderFindings', () => {
  it('joins findings one per line, and says (none) for none', () => {
    expect(renderFindings([])).toBe('(none)');
    expect(renderFindings([entry('P1'), entry('P2')])).toBe(
      `${renderFinding(entry('P1'))}\n${renderFinding(entry('P2'))}`,
    );
  });
});
