/** A run's status as the commands show it: see record/liveness.ts. */
export { effectiveStatus } from '../record/liveness.js';
