import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';

export interface ProcessRef {
  pid: number;
  host: string;
  /** Field 22 of /proc/<pid>/stat when the process was recorded; null where /proc is not available. */
  start: string | null;
}

/** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null where /proc is not available. */
export function processStartTime(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may contain spaces and parentheses: count fields after its closing ')'.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}

/** This host's view of a process, to record now and check later with `isAlive`. */
export function processRef(pid: number): ProcessRef {
  return { pid, host: hostname(), start: processStartTime(pid) };
}

/**
 * Whether a process still exists, by the one rule every part of duo uses (run owners, the run lock, processes left
 * behind by a killed duo): kill(0) answers, a zombie counts as gone, and where a kernel start time was recorded the
 * pid must still carry it — a recycled pid never passes for the process that died. On another host nobody here can
 * tell, so it counts as alive.
 */
export function isAlive(ref: Pick<ProcessRef, 'pid'> & Partial<ProcessRef>): boolean {
  if (ref.host !== undefined && ref.host !== hostname()) return true;
  if (ref.start) {
    const now = processStartTime(ref.pid);
    if (now !== null && now !== ref.start) return false;
  }
  if (ref.pid === process.pid) return true;
  try {
    process.kill(ref.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    if (/^\d+ \(.*\) Z/s.test(readFileSync(`/proc/${ref.pid}/stat`, 'utf8'))) return false; // a zombie has finished
  } catch {
    // No /proc: kill(0) is all we have.
  }
  return true;
}
