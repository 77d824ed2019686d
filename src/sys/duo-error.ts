/**
 * The base of every error duo throws on purpose, and duo's exit codes. An error carries what the command line needs
 * to end a command with it — the exit code, declared by its class (a mistake in how duo was called is 2, anything
 * else 1), and what to do about it when there is something — so `main` never has to know the error classes by name,
 * and a new error class cannot be forgotten in a list. Anything thrown that is not a DuoError is a bug in duo.
 *
 * No imports: the command line loads this before it knows which command runs.
 */

// What duo's exit codes mean (`duo wait --help` lists them for users).
export const EXIT = {
  /** Green, or answered. */
  ok: 0,
  /** Red, unverified or failed; or duo itself failed. */
  failed: 1,
  /** duo was called wrongly or in the wrong place: a bad flag, config or run id; not a repository. */
  usage: 2,
  /** A decision card waits for a human: `duo decide`, then `duo resume`. */
  decision: 3,
  /** `duo wait --timeout` passed with the run still going. */
  stillRunning: 4,
  /** An agent's plan limit is reached until a reset (EX_TEMPFAIL: try again later). */
  paused: 75,
  /** Ctrl-C, SIGTERM or `duo cancel` (128 + SIGINT). */
  interrupted: 130,
} as const;

export class DuoError extends Error {
  /** What to do about it, when the message does not say (`--json` errors carry it as `hint`). */
  readonly hint: string | undefined;
  constructor(message: string, hint?: string | null) {
    super(message);
    this.name = new.target.name;
    this.hint = hint ?? undefined;
  }
  /** How a command that ends with this error exits: declared by the class, never chosen by its name. */
  get exitCode(): number {
    return EXIT.failed;
  }
}

/**
 * duo was called wrongly or in the wrong place (a bad flag, config file or run id, not a repository, a run another
 * process holds): printed without a stack, exit 2.
 */
export class UsageError extends DuoError {
  override get exitCode(): number {
    return EXIT.usage;
  }
}
