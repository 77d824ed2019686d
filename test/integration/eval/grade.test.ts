import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../../src/config/schema.js';
import { gradeCommit } from '../../../src/eval/grade.js';
import { mineTasks } from '../../../src/eval/mine.js';
import type { EvalTask } from '../../../src/eval/task.js';
import { createGate } from '../../../src/gate/index.js';
import { type EvalHistory, makeEvalHistory, SLUG_V1 } from '../../support/eval-history.js';
import { git } from '../../support/harness.js';

/**
 * Grading puts the files the hidden test patch touches back to the base before applying it, as SWE-bench's harness
 * does: a result that rewrote a test file is graded on the real tests, not on its own version of them.
 */
let h: EvalHistory;
let task: EvalTask;
beforeAll(async () => {
  h = makeEvalHistory();
  const mined = await mineTasks({ repoRoot: h.repo, gate: createGate(), config: Config.parse({}), limit: 4 });
  task = mined.tasks.find((t) => t.base_commit === h.sha.start)!;
}, 120_000);

/** A commit on the base with the given files, on a side branch of the history repo. */
function resultCommit(name: string, files: Record<string, string>): string {
  git(h.repo, 'checkout', '-q', '-b', name, h.sha.start);
  for (const [path, content] of Object.entries(files)) writeFileSync(join(h.repo, path), content);
  git(h.repo, 'commit', '-qam', name);
  const sha = git(h.repo, 'rev-parse', 'HEAD').trim();
  git(h.repo, 'checkout', '-q', 'main');
  return sha;
}

const gradeOf = (commit: string) =>
  gradeCommit({
    repo: h.repo,
    commit,
    testsFrom: task.base_commit,
    testPatch: task.test_patch,
    failToPass: task.FAIL_TO_PASS,
    passToPass: task.PASS_TO_PASS,
    commands: [task.verify],
    gate: createGate(),
    timeoutMs: 60_000,
    parallel: false,
    logDir: join(h.repo, '.git', 'grade-logs'),
    label: commit.slice(0, 8),
  });

describe('grading a result', () => {
  it('runs the real tests on a result that rewrote the test file', async () => {
    const rewrote = resultCommit('rewrote', {
      'src/slug.js': SLUG_V1,
      'test/slug.test.js': "import { test } from 'node:test';\ntest('nothing', () => {});\n",
    });
    const g = await gradeOf(rewrote);
    expect(g).toEqual({
      resolved: true,
      f2p: [{ id: 'lowercases', passed: true }],
      p2p: [{ id: 'joins words with dashes', passed: true }],
      error: null,
    });
  });

  it('fails a result that did not fix it, and leaves the graded repository as it was', async () => {
    const before = git(h.repo, 'status', '--porcelain');
    const g = await gradeOf(h.sha.start);
    expect(g).toMatchObject({ resolved: false, f2p: [{ id: 'lowercases', passed: false }], error: null });
    expect(git(h.repo, 'status', '--porcelain')).toBe(before);
    expect(git(h.repo, 'worktree', 'list').trim().split('\n')).toHaveLength(1);
  });
});
