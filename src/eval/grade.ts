/**
 * Grading a run's result with the hidden tests, as SWE-bench's harness does: check out the result, put every file
 * the test patch touches back to the base version (the run's own edits to them do not count), apply the test
 * patch, run the task's commands, and look up each FAIL_TO_PASS and PASS_TO_PASS id. Resolved = all of them pass.
 * It happens in a scratch worktree of the sealed checkout, after the run is over: no agent ever sees the tests.
 */

import { mkdirSync } from 'node:fs';
import type { Gate } from '../gate/types.js';
import { createWorkspace } from '../workspace/index.js';
import { measure, scratchName, taskCommands } from './measure.js';
import { applyPatch, patchPaths, restorePaths } from './patches.js';
import { grade } from './test-ids.js';

export interface GradeInput {
  /** The sealed checkout the run happened in. */
  repo: string;
  /** The commit to grade. */
  commit: string;
  /** Where the test files are put back from before the patch is applied (the task's base). */
  testsFrom: string;
  /** The hidden test patch; absent when the tests are already in `testsFrom` (the impossible variant). */
  testPatch?: string;
  /** Paths the tests live in, when there is no patch to read them from. */
  testPaths?: string[];
  failToPass: string[];
  passToPass: string[];
  /** The task's commands (else the config's, else detected). */
  commands: (readonly string[] | undefined)[];
  gate: Gate;
  timeoutMs: number;
  parallel: boolean;
  logDir: string;
  label: string;
  signal?: AbortSignal;
}

export interface Grade {
  resolved: boolean;
  f2p: { id: string; passed: boolean }[];
  p2p: { id: string; passed: boolean }[];
  /** Why it could not be graded (then resolved is false). */
  error: string | null;
}

export async function gradeCommit(input: GradeInput): Promise<Grade> {
  const workspace = createWorkspace(input.repo);
  const scratch = await workspace.createScratch(scratchName(`eval-${input.label}`, input.commit), input.commit);
  mkdirSync(input.logDir, { recursive: true });
  const failed = (error: string): Grade => ({
    resolved: false,
    f2p: input.failToPass.map((id) => ({ id, passed: false })),
    p2p: input.passToPass.map((id) => ({ id, passed: false })),
    error,
  });
  try {
    const paths = input.testPatch ? await patchPaths(scratch, input.testPatch) : (input.testPaths ?? []);
    await restorePaths(scratch, input.testsFrom, paths);
    if (input.testPatch) {
      const notApplied = await applyPatch(scratch, input.testPatch);
      if (notApplied) return failed(`the hidden tests do not apply to the result: ${notApplied}`);
    }
    const commands = await taskCommands(input.gate, scratch, ...input.commands);
    if (!commands.length) return failed('no verify command to grade with');
    const run = await measure(input.gate, commands, {
      cwd: scratch,
      logDir: input.logDir,
      label: input.label,
      timeoutMs: input.timeoutMs,
      parallel: input.parallel,
      ...(input.signal ? { signal: input.signal } : {}),
    });
    return { ...grade(input.failToPass, input.passToPass, run), error: null };
  } finally {
    await workspace.removeScratch(scratch);
  }
}
