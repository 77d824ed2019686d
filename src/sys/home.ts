import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * duo's per-user folder: run worktrees, the usage ledger, the list of repos duo ran in. `DUO_HOME` moves it (tests
 * and the demo point it at a temp folder); the default is ~/.cache/duo. Budgets belong to accounts, not repos, so
 * what is per user lives here and what is per repo lives in the repo's `.duo/`.
 */
export function duoHome(): string {
  return process.env.DUO_HOME || join(homedir(), '.cache', 'duo');
}

/**
 * Points duo's per-user folder at `dir()` (made only when needed) for this process and the ones it starts, unless DUO_HOME is already set
 * (the demo, the bench: their runs must not land in the user's real home, but a caller's choice wins).
 */
export function defaultDuoHome(dir: () => string): void {
  process.env.DUO_HOME ??= dir();
}
