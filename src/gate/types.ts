/**
 * The verify gate's contract. duo itself runs these commands — never an agent — and only the gate's own
 * measurements (exit code, output, whether tests actually ran) can make a run green. A result is a zod schema:
 * the run record stores it as it is (protocol/types.ts), and reads it back validated.
 */
import { z } from 'zod';
import { TestCounts } from './counts.js';

export const VerifyKind = z.enum(['test', 'typecheck', 'lint', 'build', 'other']);
export type VerifyKind = z.infer<typeof VerifyKind>;

export interface VerifyCommand {
  command: string;
  kind: VerifyKind;
  /** Where it came from: 'flag' | 'config' | 'package.json' | 'Makefile' | 'Cargo.toml' | 'go.mod' | 'pyproject.toml' ... */
  source: string;
}

export const VerifyResult = z.object({
  command: z.string(),
  kind: VerifyKind,
  /** null when the process never exited on its own (timeout) or could not start. */
  exitCode: z.number().nullable(),
  /** When it started (absent in records from before the run page's timeline placed commands by it). */
  startedAt: z.string().optional(),
  durationMs: z.number(),
  /** Tail of the combined output, verbatim except ANSI escapes removed and invalid UTF-8 replaced. */
  output: z.string(),
  /** The output on disk, byte for byte (secrets masked); over the cap, its head and tail (see logCutBytes). */
  outputPath: z.string(),
  /** How many bytes the command printed. */
  outputBytes: z.number(),
  /** Bytes cut from the middle of the stored log to cap its size (absent: the log is whole). */
  logCutBytes: z.number().optional(),
  truncated: z.boolean(),
  timedOut: z.boolean(),
  /** Set when the command could not be started (missing cwd, not executable, command not found). */
  startError: z.string().optional(),
  /** The runner said it ran no tests (or 0 tests) — never green. */
  noTestsRan: z.boolean(),
  passed: z.boolean(),
  /** Why it did not pass, in words, when it did not. */
  reason: z.string().optional(),
  /** What the runner said it ran (test commands whose runner duo can read). */
  counts: TestCounts.optional(),
  /** Names of the failing tests, where the runner prints them. */
  failingTests: z.array(z.string()).optional(),
  /** Problems a typecheck or lint reported, where it says. */
  problems: z.number().optional(),
  /**
   * Test files the runner reported as one test of their own instead of the tests inside them (node --test does so
   * for a file that declared no test: it exited, or returned, before declaring any), relative to the checkout.
   */
  fileLevel: z.array(z.string()).optional(),
  /** The folder it ran in (a pristine checkout of the commit under test, or the baseline's). */
  cwd: z.string().optional(),
  /**
   * It failed while other commands ran beside it, so it was run again alone and this is the second result; the
   * first is kept here. Interference between parallel commands never fakes a failure.
   */
  firstTry: z
    .object({ exitCode: z.number().nullable(), reason: z.string().optional(), outputPath: z.string() })
    .optional(),
});
export type VerifyResult = z.infer<typeof VerifyResult>;

export type GateStatus = 'green' | 'red' | 'unverified';

export interface GateOutcome {
  status: GateStatus;
  results: VerifyResult[];
}

/** A command to run, optionally in its own folder (a scratch worktree) with its own log label. */
export interface GateJob extends VerifyCommand {
  cwd?: string;
  label?: string;
}

export interface GateRunOptions {
  /** Where jobs without a cwd of their own run. */
  cwd: string;
  /** Folder for the full output logs; one file per command. */
  logDir: string;
  /** Distinguishes log files across attempts, e.g. "verify-2". */
  label: string;
  timeoutMs: number;
  /** Run the jobs at the same time (a failure is then re-run alone before it counts); default one after another. */
  parallel?: boolean;
  signal?: AbortSignal;
  /** Each command's process (its group) as it starts and exits, so a killed duo's commands can be reaped. */
  onProcess?: (pid: number, state: 'started' | 'exited') => void;
}

export interface Gate {
  detect(cwd: string): Promise<VerifyCommand[]>;
  /** Runs every job, even after a failure, so the report has each result; results are in job order. */
  run(jobs: GateJob[], opts: GateRunOptions): Promise<GateOutcome>;
}
