import { fileURLToPath } from 'node:url';

/**
 * The `duo` entry point of this very installation (dist/cli/duo.js), so duo can start itself — a detached run, a
 * review from a hook, a command from the MCP server — with the same code and without depending on PATH.
 */
export const DUO_ENTRY = fileURLToPath(new URL('../cli/duo.js', import.meta.url));

/** argv that runs this duo: node + its entry. */
export function duoArgv(...args: string[]): [string, string[]] {
  return [process.execPath, [DUO_ENTRY, ...args]];
}
