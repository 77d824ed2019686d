/**
 * A run that says "running" but whose owner process is gone was interrupted (crash, kill -9, reboot). The rule —
 * including the owner's kernel start time, so a recycled pid never passes for it — lives in record/run-owner.ts,
 * where `duo status`, `duo wait` and the MCP server read it too.
 */
export { effectiveStatus } from '../record/run-owner.js';
