import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { execa } from 'execa';

export interface StreamOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Written to stdin, which is then closed. Without it stdin is /dev/null. */
  input?: string;
  timeoutMs?: number;
  idleTimeoutMs?: number;
  signal?: AbortSignal;
  /** The caller's own reason to stop the process (e.g. an agent that makes no progress): stoppedBy `stalled`. */
  stall?: AbortSignal;
  onLine?: (line: string) => void;
  onStderrLine?: (line: string) => void;
  /** Grace between SIGTERM and SIGKILL of the group. */
  killGraceMs?: number;
  /** Told the child's pid (= its process group) as soon as it exists, and again with `exited` when it is gone. */
  onProcess?: (pid: number, state: 'started' | 'exited') => void;
}

export type StopReason = 'timeout' | 'idle' | 'aborted' | 'stalled';

export interface StreamResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Set when duo stopped the process; the exit code is then meaningless. */
  stoppedBy?: StopReason;
  /** The binary could not be started at all (ENOENT, EACCES). */
  spawnError?: NodeJS.ErrnoException;
}

const MAX_KEEP = 8 * 1024 * 1024;

/**
 * Runs one external CLI as a line stream with the safety rails every agent call needs:
 * stdin closed (or fed and closed), its own process group, a total timeout and a no-output watchdog
 * that kill the whole group (agent CLIs spawn shells and helpers that outlive a plain kill).
 */
export async function runStream(file: string, args: readonly string[], opts: StreamOptions): Promise<StreamResult> {
  const started = Date.now();
  let stoppedBy: StopReason | undefined;
  let stdout = '';
  let stderr = '';
  const child = execa(file, args, {
    cwd: opts.cwd,
    env: opts.env,
    extendEnv: opts.env === undefined,
    input: opts.input,
    stdin: opts.input === undefined ? 'ignore' : 'pipe',
    detached: true,
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  });

  const pid = child.pid;
  if (pid) opts.onProcess?.(pid, 'started');

  const killGroup = (reason: StopReason) => {
    if (stoppedBy) return;
    stoppedBy = reason;
    signalGroup(child.pid, 'SIGTERM');
    const t = setTimeout(() => signalGroup(child.pid, 'SIGKILL'), opts.killGraceMs ?? 1500);
    t.unref();
  };

  let idleTimer: NodeJS.Timeout | undefined;
  const armIdle = () => {
    if (!opts.idleTimeoutMs) return;
    if (idleTimer) clearTimeout(idleTimer);
    idleTimer = setTimeout(() => killGroup('idle'), opts.idleTimeoutMs);
  };
  armIdle();
  const total = opts.timeoutMs ? setTimeout(() => killGroup('timeout'), opts.timeoutMs) : undefined;
  const onAbort = () => killGroup('aborted');
  if (opts.signal?.aborted) onAbort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const onStall = () => killGroup('stalled');
  if (opts.stall?.aborted) onStall();
  opts.stall?.addEventListener('abort', onStall, { once: true });

  const pump = (stream: NodeJS.ReadableStream | null | undefined, isOut: boolean) =>
    new Promise<void>((resolve) => {
      if (!stream) return resolve();
      const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      rl.on('line', (raw) => {
        armIdle();
        // Colour codes and cursor moves are terminal noise in a record or a JSON parse; invalid UTF-8 has
        // already become U+FFFD in the decoder, so nothing downstream ever sees a broken string.
        const line = stripVTControlCharacters(raw);
        if (isOut) {
          if (stdout.length < MAX_KEEP) stdout += `${line}\n`;
          opts.onLine?.(line);
        } else {
          if (stderr.length < MAX_KEEP) stderr += `${line}\n`;
          opts.onStderrLine?.(line);
        }
      });
      rl.on('close', () => resolve());
    });

  try {
    const [result] = await Promise.all([child, pump(child.stdout, true), pump(child.stderr, false)]);
    const spawnError = isSpawnError(result) ? (result.cause as NodeJS.ErrnoException) : undefined;
    return {
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      stdout,
      stderr,
      durationMs: Date.now() - started,
      ...(stoppedBy ? { stoppedBy } : {}),
      ...(spawnError ? { spawnError } : {}),
    };
  } finally {
    if (idleTimer) clearTimeout(idleTimer);
    if (total) clearTimeout(total);
    opts.signal?.removeEventListener('abort', onAbort);
    opts.stall?.removeEventListener('abort', onStall);
    // Helpers the agent left running in its group die with the call.
    signalGroup(child.pid, 'SIGKILL');
    if (pid) opts.onProcess?.(pid, 'exited');
  }
}

function isSpawnError(result: { cause?: unknown; exitCode?: number }): boolean {
  const cause = result.cause as NodeJS.ErrnoException | undefined;
  return (
    result.exitCode === undefined &&
    !!cause &&
    typeof cause.code === 'string' &&
    cause.syscall?.startsWith('spawn') === true
  );
}

/** Signals a whole process group (children are started detached, as group leaders); gone already is fine. */
export function signalGroup(pid: number | undefined, sig: NodeJS.Signals): void {
  if (!pid) return;
  try {
    process.kill(-pid, sig);
  } catch {
    // Already gone.
  }
}
