import { ensureRealAgents } from './real-agents.js';

/**
 * The e2e project's global setup (vitest.config.ts): installs the pinned `claude` and `codex` once, before any e2e
 * file runs, so parallel workers never race on one npm install; the unit and integration layers never install
 * them. A failure here fails the run loudly: contract tests never skip.
 */
export default function setup(): void {
  ensureRealAgents();
}
