/** Small builders for scripted-agent scenarios, so protocol tests read as the story they tell. */
export type Severity = 'blocker' | 'major' | 'minor' | 'nit';

export const finding = (id: string, severity: Severity, claim = `problem ${id}`, stakes: string | null = null) => ({
  id,
  severity,
  file: 'src/x.js',
  line: 1,
  claim,
  evidence: `evidence for ${id}`,
  stakes,
});

export const plan = (
  answers: { findingId: string; action: 'fix' | 'rebut' | 'escalate'; note: string }[] = [],
  testChanges: { path: string; reason: string }[] = [],
) => ({
  answer: {
    summary: 'change x',
    files: [{ path: 'src/x.js', change: 'edit' }],
    approach: 'do it',
    tests: ['test x'],
    testChanges,
    risks: [],
    rollback: null,
    subtasks: [],
    answers,
  },
});

export const critique = (
  verdict: 'approve' | 'revise' | 'reject',
  findings: ReturnType<typeof finding>[] = [],
  rechecks: { findingId: string; status: 'resolved' | 'accept-rebuttal' | 'hold'; note: string }[] = [],
) => ({ answer: { verdict, summary: verdict, findings, rechecks } });

export const work = (writes: Record<string, string | null>, claims: string[] = []) => ({
  answer: { summary: 'done', filesChanged: Object.keys(writes), claims },
  writes,
});

export const answers = (
  list: { findingId: string; action: 'fix' | 'rebut' | 'escalate' | 'nit'; note: string; rule?: string }[],
  writes?: Record<string, string | null>,
) => ({ answer: { summary: 'answered', answers: list }, ...(writes ? { writes } : {}) });

/** A passing and a failing node:test file for the sample repos. */
export const PASSING_TEST = `import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { x } from '../src/x.js';\ntest('x', () => assert.equal(x(), 2));\n`;
export const GOOD_X = 'export function x() {\n  return 2;\n}\n';
export const BAD_X = 'export function x() {\n  return 3;\n}\n';

/**
 * A run that stops on a decision card: the skeptic finds a blocker in review ("x is exported without auth"), the
 * driver rebuts it ("x is internal"), the skeptic holds ("it is in the public index"), so card-R1 goes to the human.
 */
export const disputedBlocker = () => ({
  agents: {
    claude: {
      plan: [plan()],
      implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })],
      'answer-findings': [answers([{ findingId: 'R1', action: 'rebut', note: 'x is internal' }])],
    },
    codex: {
      critique: [critique('approve')],
      review: [critique('revise', [finding('R1', 'blocker', 'x is exported without auth', 'anyone can call it')])],
      recheck: [critique('revise', [], [{ findingId: 'R1', status: 'hold', note: 'it is in the public index' }])],
    },
  },
});
