import { readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RunState } from '../protocol/types.js';

/**
 * Who holds a run, and whether they still exist. A record never says "running" when no process owns it: a run whose
 * owner is gone (crash, kill -9, reboot) reads as interrupted, and `duo resume` continues it. A pid is only the
 * owner while its kernel start time matches the one recorded, so a recycled pid never passes for a dead owner.
 */
export type RunOwner = NonNullable<RunState['owner']>;

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

export function ownerRecord(pid: number): RunOwner {
  return { pid, host: hostname(), start: processStartTime(pid) };
}

/** Whether the owner process still runs. On another host nobody here can tell: it counts as alive. */
export function ownerAlive(owner: RunOwner): boolean {
  if (owner.host !== hostname()) return true;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${owner.pid}/stat`, 'utf8');
    if (/^\d+ \(.*\) Z/s.test(stat)) return false; // a zombie has finished
  } catch {
    // No /proc: kill(0) is all we have.
  }
  if (owner.start) {
    const now = processStartTime(owner.pid);
    if (now !== null && now !== owner.start) return false;
  }
  return true;
}

/** The status to show: a run that says "running" but whose owner is gone was interrupted. */
export function effectiveStatus<S extends string>(state: { status: S; owner: RunOwner | null }): S | 'interrupted' {
  if (state.status !== 'running') return state.status;
  return state.owner && ownerAlive(state.owner) ? state.status : 'interrupted';
}
