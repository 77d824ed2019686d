import type { Faults } from '../protocol/ports.js';

/**
 * The resilience suite's fault hooks, given to the engine as a port by the CLI (the engine never reads the
 * environment): `DUO_FAULT_KILL_AFTER=<step key>` dies with SIGKILL right after that step is on disk,
 * `DUO_FAULT_SIGINT_AFTER=<step key>` interrupts itself there. Unset, there are no faults.
 */
export function faultsFromEnv(env: NodeJS.ProcessEnv = process.env): Faults | undefined {
  const kill = env.DUO_FAULT_KILL_AFTER;
  const sigint = env.DUO_FAULT_SIGINT_AFTER;
  if (!kill && !sigint) return undefined;
  return {
    afterStep(key) {
      if (key === kill) process.kill(process.pid, 'SIGKILL');
      if (key === sigint) process.kill(process.pid, 'SIGINT');
    },
  };
}
