import { readFileSync } from 'node:fs';

/**
 * A process that exists and is not a zombie (an orphan that finished lingers as one until init reaps it, and counts
 * as gone). The tests' own check, kept apart from src/sys/process-ref.ts so they do not judge duo with duo's code.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}
