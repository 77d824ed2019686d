import { describe, expect, it } from 'vitest';
import { parseTasks, taskLine } from '../../../src/eval/task.js';

const TASK = {
  instance_id: 'owner__repo-1',
  repo: 'owner/repo',
  base_commit: 'abc1234',
  problem_statement: 'fix it',
  patch: 'diff --git a/x b/x\n',
  test_patch: 'diff --git a/t b/t\n',
  FAIL_TO_PASS: ['t1'],
  PASS_TO_PASS: [],
};

describe('task files', () => {
  it('reads SWE-bench lines, whose test lists are JSON text, and keeps fields duo does not use', () => {
    const line = JSON.stringify({
      ...TASK,
      FAIL_TO_PASS: '["tests/test_a.py::test_b"]',
      PASS_TO_PASS: '[]',
      version: '3.0',
      hints_text: '',
    });
    const [task] = parseTasks(`${line}\n\n`);
    expect(task).toMatchObject({ FAIL_TO_PASS: ['tests/test_a.py::test_b'], PASS_TO_PASS: [], version: '3.0' });
  });

  it('writes the SWE-bench fields first, and reads back what it wrote', () => {
    const line = taskLine({ ...TASK, verify: ['npm test'] });
    expect(Object.keys(JSON.parse(line))).toEqual([
      'instance_id',
      'repo',
      'base_commit',
      'problem_statement',
      'patch',
      'test_patch',
      'FAIL_TO_PASS',
      'PASS_TO_PASS',
      'verify',
    ]);
    expect(parseTasks(line)).toEqual([{ ...TASK, verify: ['npm test'] }]);
  });

  it('says which line and field is wrong, a repeated id, and an empty file', () => {
    expect(() => parseTasks(`${JSON.stringify(TASK)}\n{oops`)).toThrow(/line 2 is not JSON/);
    expect(() => parseTasks(JSON.stringify({ ...TASK, FAIL_TO_PASS: [] }))).toThrow(/line 1 .*FAIL_TO_PASS/);
    expect(() => parseTasks(JSON.stringify({ ...TASK, base_commit: 'HEAD' }))).toThrow(/base_commit/);
    expect(() => parseTasks(`${JSON.stringify(TASK)}\n${JSON.stringify(TASK)}`)).toThrow(/appears twice/);
    expect(() => parseTasks('\n')).toThrow(/holds no tasks/);
  });
});
