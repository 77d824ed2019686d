import { beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../../src/config/schema.js';
import { type MineResult, mineTasks } from '../../../src/eval/mine.js';
import { createGate } from '../../../src/gate/index.js';
import { type EvalHistory, ISSUE_3, makeEvalHistory } from '../../support/eval-history.js';
import { git } from '../../support/harness.js';

/**
 * Mining a history the test made: exactly the commits that change code and tests together with a test that fails
 * before and passes after become tasks, each with the right FAIL_TO_PASS and PASS_TO_PASS, measured by running
 * `npm test` (node --test) at the base with the new tests and again with the fix.
 */
let h: EvalHistory;
let mined: MineResult;
beforeAll(async () => {
  h = makeEvalHistory();
  mined = await mineTasks({ repoRoot: h.repo, gate: createGate(), config: Config.parse({}) });
}, 120_000);

const taskOf = (sha: string) => mined.tasks.find((t) => t.instance_id.endsWith(sha.slice(0, 12)));
const commitOf = (sha: string) => mined.commits.find((c) => c.sha === sha);

describe('duo eval mine', () => {
  it('finds exactly the four fix commits (the pull request as its merge commit), newest first', () => {
    expect(mined.tasks.map((t) => t.instance_id.slice(-12))).toEqual(
      [h.sha.merge, h.sha.clampReversed, h.sha.clamp, h.sha.lowercase].map((s) => s.slice(0, 12)),
    );
    expect(mined.interrupted).toBe(false);
  });

  it('computes FAIL_TO_PASS and PASS_TO_PASS per test, from what the runner reported', () => {
    expect(taskOf(h.sha.lowercase)).toMatchObject({
      FAIL_TO_PASS: ['lowercases'],
      PASS_TO_PASS: ['joins words with dashes'],
    });
    // A new test file cannot even load at the base: its tests are FAIL_TO_PASS, the crashed file is no test.
    expect(taskOf(h.sha.clamp)).toMatchObject({
      FAIL_TO_PASS: ['clamps above', 'clamps below'],
      PASS_TO_PASS: ['joins words with dashes', 'lowercases'],
    });
    expect(taskOf(h.sha.clampReversed)?.FAIL_TO_PASS).toEqual(['swaps reversed bounds']);
    expect(taskOf(h.sha.merge)?.FAIL_TO_PASS).toEqual(['keeps short text', 'truncates long text']);
    expect(taskOf(h.sha.merge)?.PASS_TO_PASS).toEqual(
      expect.arrayContaining(['clamps above', 'splits on tabs', 'swaps reversed bounds']),
    );
  });

  it('splits each commit into the gold patch (code) and the hidden test patch (tests), based on the parent', () => {
    const t = taskOf(h.sha.lowercase)!;
    expect(t.base_commit).toBe(h.sha.start);
    expect(t.patch).toContain('diff --git a/src/slug.js');
    expect(t.patch).not.toContain('diff --git a/test/');
    expect(t.test_patch).toContain("test('lowercases'");
    expect(t.test_patch).not.toContain('diff --git a/src/');
    expect(t.verify).toEqual(['npm test']);
    // A merge commit's base is its first parent: the pull request as one change.
    expect(taskOf(h.sha.merge)?.base_commit).toBe(git(h.repo, 'rev-parse', `${h.sha.merge}^1`).trim());
  });

  it('writes the commit message as the problem statement, with the text of the issue it references', () => {
    expect(taskOf(h.sha.lowercase)?.problem_statement).toBe(
      'Lowercase slugs\n\nURLs are case-sensitive; "Hello World" must become hello-world.',
    );
    const reversed = taskOf(h.sha.clampReversed)?.problem_statement;
    expect(reversed).toContain('Fixes #3');
    expect(reversed).toContain(`Issue #3 (issues/3.md):\n${ISSUE_3.trim()}`);
    expect(taskOf(h.sha.merge)?.problem_statement).toContain('Commits in this merge:\n- Add truncate()');
  });

  it('skips the commit whose new test already passes at its base, with the reason', () => {
    expect(commitOf(h.sha.slugRefactor)).toMatchObject({
      outcome: 'skipped',
      reason: expect.stringContaining('already pass at the base'),
    });
  });

  it('leaves out commits without tests, with only tests, and the first commit, saying why', () => {
    expect(commitOf(h.sha.readme)).toMatchObject({ outcome: 'not-candidate', reason: 'changes no tests' });
    expect(commitOf(h.sha.clampTests)).toMatchObject({ outcome: 'not-candidate', reason: 'changes only tests' });
    expect(commitOf(h.sha.start)).toMatchObject({ outcome: 'not-candidate', reason: expect.stringMatching(/first/) });
    // The pull request's own commits are not walked (first-parent): the merge stands for them.
    expect(mined.commits).toHaveLength(8);
  });

  it('honours --limit and --paths', async () => {
    const one = await mineTasks({ repoRoot: h.repo, gate: createGate(), config: Config.parse({}), limit: 1 });
    expect(one.tasks.map((t) => t.instance_id.slice(-12))).toEqual([h.sha.merge.slice(0, 12)]);
    const clampOnly = await mineTasks({
      repoRoot: h.repo,
      gate: createGate(),
      config: Config.parse({}),
      paths: ['src/clamp.js'],
    });
    expect(clampOnly.tasks.map((t) => t.instance_id.slice(-12))).toEqual(
      [h.sha.clampReversed, h.sha.clamp].map((s) => s.slice(0, 12)),
    );
  });
});
