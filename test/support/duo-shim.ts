import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DUO_BIN } from './cli.js';
import { tempDir } from './harness.js';

/**
 * A `duo` on PATH, as a user who installed it has one: a folder holding an executable `duo` that runs the built
 * CLI. The real agent CLIs find it there (a Bash tool call, a hook, an MCP server registration), and a test that
 * leaves the folder out of PATH has no duo at all.
 */
export function duoOnPath(): string {
  const dir = join(tempDir('duo-bin-'), 'bin');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'duo');
  writeFileSync(file, `#!/bin/sh\nexec ${JSON.stringify(process.execPath)} ${JSON.stringify(DUO_BIN)} "$@"\n`);
  chmodSync(file, 0o755);
  return dir;
}

/** A PATH with node, git and the system tools, the given folders first, and nothing of the developer's own. */
export function pathWith(...dirs: string[]): string {
  return [...dirs, dirname(process.execPath), '/usr/local/bin', '/usr/bin', '/bin'].join(':');
}
