/**
 * Running a task's tests the way duo's gate runs any verify command (its own process group, its timeout, its log on
 * disk) and reading each test's outcome from the whole log. Mining, grading and the impossible variant's mutation
 * all measure through here.
 */

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolveVerify } from '../config/verify-command.js';
import type { Gate, VerifyCommand } from '../gate/types.js';
import { type Observation, observe } from './test-ids.js';

export interface MeasureOptions {
  cwd: string;
  logDir: string;
  label: string;
  timeoutMs: number;
  parallel: boolean;
  signal?: AbortSignal;
}

export async function measure(gate: Gate, commands: VerifyCommand[], opts: MeasureOptions): Promise<Observation[]> {
  const outcome = await gate.run(commands, {
    cwd: opts.cwd,
    logDir: opts.logDir,
    label: opts.label,
    timeoutMs: opts.timeoutMs,
    parallel: opts.parallel,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  return outcome.results.map((r) => observe(r, readLog(r.outputPath, r.output), opts.cwd));
}

function readLog(path: string, tail: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return tail;
  }
}

/**
 * The commands a task is measured with: the task's own (`verify`), else the flags or config, else what the
 * checkout's files say (detected). The kind of a named command is guessed from its words, as a run guesses it
 * (config/verify-command.ts): a test runner is judged on whether tests ran, a typecheck or lint on its exit code.
 */
export async function taskCommands(
  gate: Gate,
  cwd: string,
  ...lists: (readonly string[] | undefined)[]
): Promise<VerifyCommand[]> {
  return resolveVerify(
    lists.map((commands) => ({ source: 'eval', commands })),
    () => gate.detect(cwd),
  );
}

/**
 * A scratch worktree's name, unique to this process and call: two shards or two tasks on one base measure in the
 * same repository at once, and a scratch of the same name would be replaced under the other's feet.
 */
export function scratchName(prefix: string, sha: string): string {
  return `${prefix}-${sha.slice(0, 10)}-${process.pid}-${randomBytes(3).toString('hex')}`;
}
