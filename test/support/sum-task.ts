import type { SimTurn } from '../sim/script.js';

/**
 * The task the end-to-end runs give the real CLIs: add `sum()` with a node:test test to a package whose `npm test`
 * is `node --test`. The answers below are what the simulated models say at each step.
 */
export const SUM = 'export function sum(xs) {\n  return xs.reduce((a, b) => a + b, 0);\n}\n';
export const SUM_TEST =
  "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport { sum } from '../src/sum.js';\n" +
  "test('sum', () => assert.equal(sum([1, 2, 3]), 6));\n";
export const SUM_PKG = `${JSON.stringify({ name: 'sample', type: 'module', scripts: { test: 'node --test' } })}\n`;

export const sumPlan = {
  summary: 'add sum()',
  files: [
    { path: 'src/sum.js', change: 'new' },
    { path: 'test/sum.test.js', change: 'new' },
  ],
  approach: 'reduce with 0 as the start value, so an empty list sums to 0',
  tests: ['sum([1,2,3]) is 6'],
  testChanges: [],
  risks: [],
  rollback: null,
  subtasks: [],
  answers: [],
};
export const approve = { verdict: 'approve', summary: 'correct, tested', findings: [], rechecks: [] };
export const sumWork = {
  summary: 'added sum and its test',
  filesChanged: ['src/sum.js', 'test/sum.test.js'],
  claims: [],
  contradiction: null,
};

/** Claude Code writing both files with its own Write tool (`{cwd}`: the run's worktree, as the CLI reports it). */
export const claudeWritesSum: SimTurn = {
  kind: 'tools',
  calls: [
    { name: 'Write', input: { file_path: '{cwd}/src/sum.js', content: SUM } },
    { name: 'Write', input: { file_path: '{cwd}/test/sum.test.js', content: SUM_TEST } },
  ],
};
