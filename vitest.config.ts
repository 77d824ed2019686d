import { defineConfig } from 'vitest/config';

/**
 * Three layers, each a vitest project (`npm run test:unit`, `test:integration`, `test:e2e`; `npm test` runs all):
 * - unit: pure code, no processes, git, file writes or sockets (test/support/pure.ts makes them throw), its files
 *   sharing their workers;
 * - integration: real git in temp repos and real processes, on scripted agents; the fault-injection suite
 *   (test/faults) is one of them: it kills and interrupts duo itself, but its agents are scripted;
 * - e2e: the real pinned `claude` and `codex` against the model simulator, and the browser. Only this layer
 *   installs the CLIs (its global setup), so the others run on a fresh clone without touching the registry; in
 *   `npm test` it runs last, and the install runs while the other layers do.
 *
 * The integration and e2e tests mostly wait on child processes (duo, git, the verify commands, the agent CLIs), so
 * two files at a time keep a 2-core machine busy where vitest's default (cores − 1) would run one.
 */
const WORKERS = 2;

export default defineConfig({
  test: {
    // Real git, real CLIs and a local model simulator: generous per-test limits, not speed goals.
    testTimeout: 120_000,
    hookTimeout: 300_000,
    reporters: ['default', './test/support/summary-reporter.ts'],
    setupFiles: ['./test/support/setup.ts'],
    maxWorkers: WORKERS,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Pure files share their worker's module cache (a fresh one per file costs 3× the run) and cannot leak
          // state through processes or files; stubs and mocks are undone after every test so none leaks either.
          // Forks, not threads: a worker thread's process.env is its own copy, so setting TZ there does not move
          // the clock's zone (test/unit/sys/time.test.ts would see UTC).
          pool: 'forks',
          isolate: false,
          unstubEnvs: true,
          unstubGlobals: true,
          restoreMocks: true,
          setupFiles: ['./test/support/pure.ts'],
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts', 'test/faults/**/*.test.ts'],
          pool: 'forks',
        },
      },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          pool: 'forks',
          // Installs the CLIs in the background (test/support/global-setup.ts) ...
          globalSetup: ['./test/support/global-setup.ts'],
          // ... while the other layers run: vitest runs its projects' files in name order (e2e first) unless
          // told, and every global setup before any file, so this group after theirs hides a fresh clone's
          // download behind them instead of making every layer wait for it.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
