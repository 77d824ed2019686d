import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DUO_ENTRY } from '../sys/bin.js';

/**
 * How an agent CLI calls duo (from a hook, an MCP registration): `duo` when it is on PATH — it keeps working across
 * upgrades — otherwise this installation's node and entry point by absolute path (e.g. when run through npx).
 */
export interface DuoCommand {
  argv: string[];
  /** A shell test that is true while that duo exists (for failing open when it is gone). */
  present: string;
}

/** `duo` as found on PATH: what a shared (project-scope) install names, since no machine's path holds elsewhere. */
export const DUO_ON_PATH: DuoCommand = { argv: ['duo'], present: 'command -v duo >/dev/null 2>&1' };

export function duoCommand(env: NodeJS.ProcessEnv = process.env): DuoCommand {
  const onPath = spawnSync('bash', ['-c', 'command -v duo'], { env, encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return DUO_ON_PATH;
  return { argv: [process.execPath, DUO_ENTRY], present: `[ -f ${shellQuote(DUO_ENTRY)} ]` };
}

/**
 * How to put duo on PATH, wherever a message has to say it. duo is installed from its source (it is not on the npm
 * registry): a clone, or a tarball `npm pack` made from one (docs/install.md).
 */
export const INSTALL_DUO =
  'from a clone of duo: npm ci && npm install -g . — or npm pack there, then npm install -g ./duo-pair-<version>.tgz';

export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

export function shellLine(argv: string[]): string {
  return argv.map(shellQuote).join(' ');
}

/** Whether a program is on PATH (an agent CLI init can register duo with). */
export function which(program: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const r = spawnSync('bash', ['-c', 'command -v -- "$1"', 'duo', program], { env, encoding: 'utf8' });
  const path = r.stdout?.trim();
  return r.status === 0 && path && existsSync(path) ? path : null;
}
