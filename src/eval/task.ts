/**
 * An eval task, in the SWE-bench shape (`instance_id`, `repo`, `base_commit`, `problem_statement`, `patch`,
 * `test_patch`, `FAIL_TO_PASS`, `PASS_TO_PASS`), so a task file `duo eval mine` writes can be read by SWE-bench
 * tooling and a SWE-bench-style file can be run by `duo eval run`. duo adds one optional field, `verify`: the
 * commands the task's tests were measured with. Unknown fields (`hints_text`, `version`, …) are kept.
 */

import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { UsageError } from '../sys/duo-error.js';

/** A mistake in what the user handed `duo eval` (a task file, a flag, a results folder): exit 2, with what to do. */
export class EvalInputError extends UsageError {}

/** SWE-bench's own files store the test lists as JSON text inside the JSON line; both spellings are read. */
const TestIds = z.preprocess(
  (v) => {
    if (typeof v !== 'string') return v;
    try {
      return JSON.parse(v);
    } catch {
      return v;
    }
  },
  z.array(z.string().min(1)),
);

export const EvalTask = z.looseObject({
  instance_id: z.string().min(1),
  repo: z.string(),
  base_commit: z.string().regex(/^[0-9a-f]{7,64}$/, 'a commit id (hex)'),
  problem_statement: z.string().min(1),
  /** The gold patch: the change without its tests. Never shown to the agents. */
  patch: z.string(),
  /** The hidden tests: applied to a run's result only when it is graded. */
  test_patch: z.string().min(1),
  /** Test ids (as the runner names them) or whole verify commands that fail at the base and pass with the patch. */
  FAIL_TO_PASS: TestIds.refine((ids) => ids.length > 0, 'at least one test that the fix makes pass'),
  /** Test ids or commands that pass both before and after: the fix must not break them. */
  PASS_TO_PASS: TestIds,
  /** duo: the verify commands FAIL_TO_PASS and PASS_TO_PASS were measured with (absent: the config's, or detected). */
  verify: z.array(z.string().min(1)).optional(),
  created_at: z.string().optional(),
});
export type EvalTask = z.infer<typeof EvalTask>;

/** One JSON line per task, the SWE-bench fields first. */
export function taskLine(task: EvalTask): string {
  const { instance_id, repo, base_commit, problem_statement, patch, test_patch, FAIL_TO_PASS, PASS_TO_PASS, ...rest } =
    task;
  return JSON.stringify({
    instance_id,
    repo,
    base_commit,
    problem_statement,
    patch,
    test_patch,
    FAIL_TO_PASS,
    PASS_TO_PASS,
    ...rest,
  });
}

/** Reads a JSONL task file; a bad line is an error naming the line and the field. */
export function readTasks(file: string): EvalTask[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new EvalInputError(`cannot read the task file ${file}: ${(e as Error).message}`);
  }
  return parseTasks(text, file);
}

export function parseTasks(text: string, file = 'the task file'): EvalTask[] {
  const tasks: EvalTask[] = [];
  const seen = new Set<string>();
  for (const [i, raw] of text.split('\n').entries()) {
    if (!raw.trim()) continue;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (e) {
      throw new EvalInputError(`${file} line ${i + 1} is not JSON: ${(e as Error).message}`);
    }
    const parsed = EvalTask.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EvalInputError(
        `${file} line ${i + 1} is not an eval task: ${issue?.path.join('.') || '(line)'}: ${issue?.message}. ` +
          'Each line needs instance_id, repo, base_commit, problem_statement, patch, test_patch, FAIL_TO_PASS, ' +
          'PASS_TO_PASS (`duo eval mine` writes such a file).',
      );
    }
    if (seen.has(parsed.data.instance_id))
      throw new EvalInputError(`${file} line ${i + 1}: instance_id "${parsed.data.instance_id}" appears twice.`);
    seen.add(parsed.data.instance_id);
    tasks.push(parsed.data);
  }
  if (!tasks.length)
    throw new EvalInputError(`${file} holds no tasks; \`duo eval mine -o ${file}\` makes one from your history.`);
  return tasks;
}
