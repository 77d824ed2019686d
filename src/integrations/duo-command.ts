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

export function duoCommand(env: NodeJS.ProcessEnv = process.env): DuoCommand {
  const onPath = spawnSync('bash', ['-c', 'command -v duo'], { env, encoding: 'utf8' });
  if (onPath.status === 0 && onPath.stdout.trim()) return { argv: ['duo'], present: 'command -v duo >/dev/null 2>&1' };
  return { argv: [process.execPath, DUO_ENTRY], present: `[ -f ${shellQuote(DUO_ENTRY)} ]` };
}

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
