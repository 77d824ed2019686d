/**
 * What can be wrong with a run id or a run record, worded once. No dependencies, so commands that only read
 * records (`duo log`) do not load the schemas.
 */
export class RecordError extends Error {
  constructor(
    message: string,
    /** What to do about it, when there is something (`--json` errors carry it as `hint`). */
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

export const RECORD_DIR = '.duo';

/** Run ids are folder names under .duo/runs: letters, digits, `.`, `_`, `-`, not starting with a dot. */
export function isRunId(runId: string): boolean {
  return /^[A-Za-z0-9_-][A-Za-z0-9._-]*$/.test(runId);
}

/** The one wording for a run id that names no run, wherever it is met. */
export function unknownRun(runId: string): RecordError {
  return new RecordError(
    `unknown run "${runId}"; \`duo log\` lists the runs of this repository.`,
    '`duo log` lists the runs of this repository.',
  );
}

/**
 * A record that does not read back. duo writes state.json atomically and masks secrets before serialising, so a
 * damaged one was changed outside duo or is a bug in duo; the message says so without guessing which, and says
 * how to get rid of it.
 */
export function damagedRecord(runId: string, file: string, what: string): RecordError {
  return new RecordError(
    `the record of run ${runId} is damaged: ${file} ${what}\n` +
      'duo writes it atomically, so it was changed outside duo, or duo has a bug (please report it, with the file). ' +
      `\`duo clean ${runId} --all\` removes the run (its branch, worktree and record).`,
    `\`duo clean ${runId} --all\` removes the run (its branch, worktree and record).`,
  );
}
