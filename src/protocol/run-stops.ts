/**
 * Why a run stops before it finishes: each becomes a status the user can act on (see engine.ts), and carries that
 * status's exit code.
 */

import { DuoError, EXIT } from '../sys/duo-error.js';
import type { DecisionCard } from './types.js';

/** The run waits for a human decision on this card (`duo decide`, then `duo resume`). */
export class AwaitingDecision extends DuoError {
  constructor(readonly card: DecisionCard) {
    super(`awaiting a decision on ${card.id}`);
  }
  override get exitCode(): number {
    return EXIT.decision;
  }
}

/** Ctrl-C, SIGTERM or `duo cancel`: saved as interrupted, resumable. */
export class Interrupted extends DuoError {
  constructor() {
    super('interrupted');
  }
  override get exitCode(): number {
    return EXIT.interrupted;
  }
}

/**
 * An agent cannot be called until a reset: its plan's limit is reached (the CLI said so, with the time) or a spend
 * cap in config is. The run pauses, resumable; it is not a failure.
 */
export class Paused extends DuoError {
  constructor(
    readonly agent: string,
    readonly until: string | null,
    readonly reason: string,
  ) {
    super(reason);
  }
  override get exitCode(): number {
    return EXIT.paused;
  }
}

/** The run cannot go on (a limit of the run itself was reached): failed, with what to do. */
export class RunFailure extends DuoError {
  declare readonly hint: string;
  constructor(message: string, hint: string) {
    super(message, hint);
  }
}
