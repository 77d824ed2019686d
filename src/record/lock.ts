import { closeSync, existsSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { UsageError } from '../sys/duo-error.js';
import { isAlive } from '../sys/process-ref.js';
import { RecordError } from './record-errors.js';

/**
 * One process at a time per run record (resume, decide, apply). The lock is a file created exclusively; a lock
 * whose owner process is gone (kill -9, reboot) is taken over, so a crash never leaves a run stuck.
 */
export interface LockOwner {
  pid: number;
  host: string;
  since: string;
}

/** Another process holds the run: say who, and what to do (a usage error: exit 2). */
export class LockedError extends UsageError {
  constructor(
    message: string,
    hint?: string,
    /** The live process holding the lock, when it is on this host. */
    readonly owner?: LockOwner,
  ) {
    super(message, hint);
  }
}

export function acquireRunLock(recordDir: string): () => void {
  if (!existsSync(recordDir)) throw new RecordError(`no run record at ${recordDir}; \`duo log\` lists the runs.`);
  const file = join(recordDir, 'lock');
  const me: LockOwner = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, JSON.stringify(me));
      closeSync(fd);
      return () => {
        if (ownerOf(file)?.pid === me.pid) rmSync(file, { force: true });
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    const owner = ownerOf(file);
    if (owner && owner.host === me.host && isAlive({ pid: owner.pid })) {
      const runId = recordDir.split('/').pop();
      // duo's own words for waiting and stopping: `duo cancel` saves the run as interrupted (resumable); a kill
      // would not.
      throw new LockedError(
        `run ${runId} is in use by duo process ${owner.pid} (since ${owner.since}): wait for it to finish ` +
          `(\`duo wait ${runId}\` follows a running run), or stop it with \`duo cancel ${runId}\` (it stays resumable).`,
        `duo cancel ${runId}`,
        owner,
      );
    }
    if (owner && owner.host !== me.host) {
      throw new LockedError(
        `run ${recordDir.split('/').pop()} is locked by process ${owner.pid} on ${owner.host}; if that process is gone, delete ${file}.`,
      );
    }
    // Dead owner (or an unreadable lock): move it aside atomically; only one taker's rename succeeds, and the
    // winner then competes for the exclusive create like anyone else.
    try {
      renameSync(file, `${file}.stale-${process.pid}`);
      rmSync(`${file}.stale-${process.pid}`, { force: true });
    } catch {
      // Someone else took it over first; try again.
    }
  }
  throw new LockedError(`could not lock ${file}; another duo process keeps taking it. Try again.`);
}

function ownerOf(file: string): LockOwner | undefined {
  try {
    const v = JSON.parse(readFileSync(file, 'utf8')) as LockOwner;
    return typeof v.pid === 'number' ? v : undefined;
  } catch {
    return undefined;
  }
}
