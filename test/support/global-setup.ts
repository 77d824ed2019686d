import { ensureRealAgents } from './real-agents.js';

/**
 * Installs the pinned `claude` and `codex` once, before any test file runs, so parallel workers never race on
 * one npm install. A failure here fails the whole run loudly: contract tests never skip.
 */
export default function setup(): void {
  ensureRealAgents();
}
