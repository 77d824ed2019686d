import { hostname } from 'node:os';

/**
 * A run that says "running" but whose owner process is gone was interrupted (crash, kill -9, reboot). A run owned
 * by another host cannot be checked from here and stays "running". Here, below the CLI, so the queries across runs
 * (record/query.ts) and the commands judge a run alike.
 */
export function effectiveStatus<S extends string>(state: {
  status: S;
  owner: { pid: number; host: string } | null;
}): S | 'interrupted' {
  if (state.status !== 'running') return state.status;
  const owner = state.owner;
  if (!owner || owner.host !== hostname()) return owner ? state.status : 'interrupted';
  try {
    process.kill(owner.pid, 0);
    return state.status;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? state.status : 'interrupted';
  }
}
