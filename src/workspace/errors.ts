/** Errors that mean "duo was called in the wrong place or state"; the CLI prints them and exits 2. */

export class NotARepoError extends Error {
  constructor(cwd: string) {
    super(
      `${cwd} is not inside a git repository. Run duo from your project's folder, or start one: git init && git add -A && git commit -m init`,
    );
    this.name = 'NotARepoError';
  }
}

export class RepoError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RepoError';
  }
}

export class ApplyError extends Error {
  constructor(
    message: string,
    readonly conflicts: string[],
  ) {
    super(message);
    this.name = 'ApplyError';
  }
}
