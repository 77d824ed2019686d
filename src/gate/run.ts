import { spawn } from 'node:child_process';
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { DuoError, EXIT } from '../sys/duo-error.js';
import { signalGroup } from '../sys/process.js';
import { failingTests, fileLevelTests, parseTestCounts, problemCount } from './counts.js';
import { type FinishedLog, finishLog } from './log-file.js';
import { noTestsRan } from './no-tests.js';
import type { VerifyCommand, VerifyResult } from './types.js';

/** How much of the end of the output the report shows; the whole output stays on disk. */
const TAIL_BYTES = 16 * 1024;
const TAIL_LINES = 200;
const KILL_GRACE_MS = 2_000;

export interface RunOne {
  cwd: string;
  logFile: string;
  timeoutMs: number;
  signal?: AbortSignal;
  /** Told the command's pid (= its process group) when it starts, and again with `exited` once the group is gone. */
  onProcess?: (pid: number, state: 'started' | 'exited') => void;
}

class GateAborted extends DuoError {
  constructor() {
    super('verify interrupted');
    this.name = 'AbortError';
  }
  override get exitCode(): number {
    return EXIT.interrupted;
  }
}

/**
 * Runs one verify command under bash in its own process group. Output goes straight from the child to the log
 * file descriptor (stdout and stderr interleaved as written, byte for byte), so a command that prints megabytes
 * costs no memory. Afterwards the log is redacted and capped in chunks (log-file.ts), and the report's tail is
 * read back from the end of the file.
 */
export async function runVerifyCommand(cmd: VerifyCommand, opts: RunOne): Promise<VerifyResult> {
  if (opts.signal?.aborted) throw new GateAborted();
  mkdirSync(join(opts.logFile, '..'), { recursive: true });
  const started = Date.now();
  const base = {
    command: cmd.command,
    kind: cmd.kind,
    startedAt: new Date(started).toISOString(),
    outputPath: opts.logFile,
  };
  if (!existsSync(opts.cwd) || !statSync(opts.cwd).isDirectory()) {
    return failedToStart(base, started, `the working folder ${opts.cwd} does not exist`);
  }
  const fd = openSync(opts.logFile, 'w');
  let log: FinishedLog | undefined;
  let timedOut = false;
  let aborted = false;
  let exit: { code: number | null; error?: Error };
  try {
    exit = await new Promise((resolve) => {
      const child = spawn(shell(), ['-c', cmd.command], {
        cwd: opts.cwd,
        detached: true,
        stdio: ['ignore', fd, fd],
        // Non-interactive runners: no watch mode, no colour, no prompts.
        env: { ...process.env, CI: '1', NO_COLOR: '1', FORCE_COLOR: '0' },
      });
      const pid = child.pid;
      if (pid) opts.onProcess?.(pid, 'started');
      const killGroup = () => {
        signalGroup(child.pid, 'SIGTERM');
        setTimeout(() => signalGroup(child.pid, 'SIGKILL'), KILL_GRACE_MS).unref();
      };
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup();
      }, opts.timeoutMs);
      const onAbort = () => {
        aborted = true;
        killGroup();
      };
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (r: { code: number | null; error?: Error }) => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        // Whatever the command left running in its group (servers, watchers) ends with it.
        signalGroup(child.pid, 'SIGKILL');
        if (pid) opts.onProcess?.(pid, 'exited');
        resolve(r);
      };
      child.once('error', (error) => done({ code: null, error }));
      child.once('exit', (code) => done({ code }));
    });
  } finally {
    closeSync(fd);
    log = finishLog(opts.logFile);
  }
  if (aborted) throw new GateAborted();
  const durationMs = Date.now() - started;
  if (exit.error) return failedToStart(base, started, `could not start: ${exit.error.message}`);
  const { text, truncated } = readTail(opts.logFile);
  const exitCode = timedOut ? null : exit.code;
  let startError: string | undefined;
  if (exitCode === 127 && /command not found|not found|No such file or directory/i.test(text)) {
    startError = `the command could not start (exit 127, not found): check the command, or install the tool it needs`;
  }
  const measured = measure(opts.logFile, cmd.kind, opts.cwd);
  const counts = measured.counts;
  let ranNone = !timedOut && !startError && cmd.kind === 'test' ? noTestsRan(text, exitCode) : undefined;
  if (
    !ranNone &&
    !timedOut &&
    !startError &&
    cmd.kind === 'test' &&
    counts &&
    counts.passed === 0 &&
    counts.failed === 0
  )
    ranNone = `every test was skipped or filtered out (${counts.skipped} skipped)`;
  // A runner that reports failing tests has failed, whatever the exit code says (`… || true`).
  const failedInside = exitCode === 0 && counts !== undefined && counts.failed > 0;
  const passed = exitCode === 0 && !timedOut && !startError && !ranNone && !failedInside;
  let reason: string | undefined;
  if (timedOut) reason = `timed out after ${seconds(opts.timeoutMs)}; its whole process group was killed`;
  else if (startError) reason = startError;
  else if (exitCode !== 0) reason = `exit code ${exitCode}`;
  else if (ranNone) reason = `ran no tests (${JSON.stringify(ranNone)})`;
  else if (failedInside)
    reason = `exit code 0, but ${counts.runner} reported ${counts.failed} failing test(s): the exit code was bent`;
  return {
    ...base,
    exitCode,
    durationMs,
    output: text,
    outputBytes: log.bytes,
    truncated,
    ...(log.cutBytes ? { logCutBytes: log.cutBytes } : {}),
    timedOut,
    ...(startError ? { startError } : {}),
    noTestsRan: !!ranNone,
    passed,
    ...(reason ? { reason } : {}),
    ...(counts ? { counts } : {}),
    ...(measured.failingTests ? { failingTests: measured.failingTests } : {}),
    ...(measured.problems !== undefined ? { problems: measured.problems } : {}),
    ...(measured.fileLevel ? { fileLevel: measured.fileLevel } : {}),
    cwd: opts.cwd,
  };
}

/** How much of the end of the log the runners' summaries and failure lines are read from. */
const MEASURE_BYTES = 1024 * 1024;

/** Test counts, failing test names and problem counts, read from the end of the log. */
function measure(
  logFile: string,
  kind: VerifyCommand['kind'],
  cwd: string,
): Pick<VerifyResult, 'counts' | 'failingTests' | 'problems' | 'fileLevel'> {
  const { text } = readTail(logFile, MEASURE_BYTES, Number.POSITIVE_INFINITY);
  if (kind === 'typecheck' || kind === 'lint') {
    const problems = problemCount(text);
    return problems === undefined ? {} : { problems };
  }
  const counts = parseTestCounts(text);
  const failing = failingTests(text);
  const fileLevel = counts?.runner.includes('node --test')
    ? (fileLevelTests(text, cwd) ?? fileLevelTests(text, realpathSync(cwd)))
    : undefined;
  return {
    ...(counts ? { counts } : {}),
    ...(failing ? { failingTests: failing } : {}),
    ...(fileLevel ? { fileLevel } : {}),
  };
}

function failedToStart(
  base: Pick<VerifyResult, 'command' | 'kind' | 'startedAt' | 'outputPath'>,
  started: number,
  startError: string,
): VerifyResult {
  return {
    ...base,
    exitCode: null,
    durationMs: Date.now() - started,
    output: '',
    outputBytes: 0,
    truncated: false,
    timedOut: false,
    startError,
    noTestsRan: false,
    passed: false,
    reason: startError,
  };
}

/** The end of the log: ANSI escapes removed, invalid UTF-8 replaced, at most TAIL_LINES lines / TAIL_BYTES. */
function readTail(
  file: string,
  maxChars = TAIL_BYTES,
  maxLines = TAIL_LINES,
): { text: string; bytes: number; truncated: boolean } {
  const fd = openSync(file, 'r');
  try {
    const bytes = fstatSync(fd).size;
    const want = Math.min(bytes, maxChars * 4);
    const buf = Buffer.alloc(want);
    readSync(fd, buf, 0, want, bytes - want);
    let text = stripVTControlCharacters(new TextDecoder('utf-8', { fatal: false }).decode(buf)).replace(
      /\r(?!\n)/g,
      '\n',
    );
    let truncated = want < bytes;
    const lines = text.split('\n');
    if (lines.length > maxLines + 1) {
      text = lines.slice(-maxLines - 1).join('\n');
      truncated = true;
    }
    if (text.length > maxChars) {
      text = text.slice(-maxChars);
      truncated = true;
    }
    return { text, bytes, truncated };
  } finally {
    closeSync(fd);
  }
}

/** "20 s", "0.5 s": as a person would say it. */
function seconds(ms: number): string {
  const s = ms / 1000;
  return `${s >= 10 ? Math.round(s) : Number(s.toFixed(1))} s`;
}

function shell(): string {
  return existsSync('/bin/bash') ? '/bin/bash' : '/bin/sh';
}
