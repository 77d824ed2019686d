/**
 * A run's statuses and concrete modes as plain lists, without zod: `duo log` checks its filters against them before
 * anything heavy is loaded, and the record's schema (types.ts) is built from the same lists.
 */
export const RUN_STATUSES = [
  'running',
  'green',
  'red',
  'unverified',
  'awaiting-decision',
  'failed',
  'interrupted',
  'answered',
  /** An agent's plan limit (or a spend cap) is reached until a reset: resumable then, never a failure. */
  'paused',
] as const;

/** The modes a run is recorded with: one list, in config/modes.ts. */
export { RUN_MODES } from '../config/modes.js';
