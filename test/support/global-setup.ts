import { installRealAgentsInBackground } from './real-agents.js';

/**
 * The e2e project's global setup (vitest.config.ts): installs the pinned `claude` and `codex` once, so parallel
 * workers never race on one npm install; the unit and integration layers never install them. vitest awaits every
 * project's global setup before the first file of any project, so the install runs in the background and the e2e
 * files, which run after the other layers, wait for it (test/support/real-agents.ts). The teardown awaits it too:
 * a failed install fails the run loudly even if no e2e file was reached; contract tests never skip.
 */
export default function setup(): () => Promise<void> {
  const install = installRealAgentsInBackground();
  // Held until teardown, so a rejection is reported there rather than as an unhandled one now.
  install.catch(() => {});
  return () => install;
}
