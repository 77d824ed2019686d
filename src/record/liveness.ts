import { hostname } from 'node:os';

/**
 * A run that says "running" but whose owner process is gone was interrupted (crash, kill -9, reboot). A run owned
 * by another host cannot be checked from here and stays "running".
 */
export function liveStatus(status: string, owner: { pid: number; host: string } | null): string {
  if (status !== 'running') return status;
  if (!owner || owner.host !== hostname()) return owner ? 'running' : 'interrupted';
  try {
    process.kill(owner.pid, 0);
    return 'running';
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM' ? 'running' : 'interrupted';
  }
}
