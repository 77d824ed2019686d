/** A mistake in how duo was called: printed without a stack, exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** What to do about it, when the message does not say (`--json` errors carry it as `hint`). */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}
