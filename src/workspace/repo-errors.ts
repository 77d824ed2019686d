/**
 * What can be wrong with the user's repository: not one, in a state duo cannot work from (exit 2), or a run's change
 * that does not fit the working tree (an outcome `duo apply` reports, exit 1 if it ever ends a command).
 */

import { DuoError, UsageError } from '../sys/duo-error.js';

export class NotARepoError extends UsageError {
  constructor(cwd: string) {
    super(
      `${cwd} is not inside a git repository. Run duo from your project's folder, or start one: git init && git add -A && git commit -m init`,
    );
  }
}

export class RepoError extends UsageError {}

export class ApplyError extends DuoError {
  constructor(
    message: string,
    readonly conflicts: string[],
  ) {
    super(message);
  }
}
