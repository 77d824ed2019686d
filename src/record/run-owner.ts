import type { RunState } from '../protocol/types.js';
import { isAlive, processRef } from '../sys/process-ref.js';

/**
 * Who holds a run, and whether they still exist. A record never says "running" when no process owns it: a run whose
 * owner is gone (crash, kill -9, reboot) reads as interrupted, and `duo resume` continues it. A pid is only the
 * owner while its kernel start time matches the one recorded, so a recycled pid never passes for a dead owner.
 */
export type RunOwner = NonNullable<RunState['owner']>;

/** The record of the process that takes a run now. */
export function ownerRecord(pid: number): RunOwner {
  return processRef(pid);
}

/** Whether the owner process still runs (see sys/process-ref.ts for the rule). */
export function ownerAlive(owner: RunOwner): boolean {
  return isAlive(owner);
}

/** The status to show: a run that says "running" but whose owner is gone was interrupted. */
export function effectiveStatus<S extends string>(state: { status: S; owner: RunOwner | null }): S | 'interrupted' {
  if (state.status !== 'running') return state.status;
  return state.owner && ownerAlive(state.owner) ? state.status : 'interrupted';
}
