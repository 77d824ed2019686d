import { writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { z } from 'zod';
import { tempDir } from './harness.js';

/** Runs the built CLI (dist/) as a user would, as a separate process. `npm test` builds first. */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DUO_BIN = join(root, 'dist', 'cli', 'duo.js');
export const DUOX_BIN = join(root, 'dist', 'cli', 'duox.js');

export interface CliResult {
  exitCode: number | undefined;
  signal: string | undefined;
  stdout: string;
  stderr: string;
}

export async function runCli(
  args: string[],
  opts: { cwd: string; env?: Record<string, string>; bin?: string; timeoutMs?: number },
): Promise<CliResult> {
  const r = await execa('node', [opts.bin ?? DUO_BIN, ...args], {
    cwd: opts.cwd,
    env: { NO_COLOR: '1', ...(opts.env ?? {}) },
    reject: false,
    stdin: 'ignore',
    timeout: opts.timeoutMs ?? 120_000,
  });
  return { exitCode: r.exitCode, signal: r.signal, stdout: r.stdout, stderr: r.stderr };
}

export function parseJson<T = Record<string, unknown>>(stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new Error(`expected one JSON object on stdout, got:\n${stdout}`);
  }
}

/** A command's `--json`, parsed with its wire schema (src/wire): closed, so a field it does not declare fails. */
export function parseWire<T>(schema: z.ZodType<T>, stdout: string): T {
  const parsed = schema.safeParse(parseJson(stdout));
  if (!parsed.success)
    throw new Error(`the --json does not match its schema:\n${z.prettifyError(parsed.error)}\n${stdout}`);
  return parsed.data;
}

/**
 * The sample repos' test runner (`SAMPLE`'s `npm test` script) named as the verify command, for CLI tests whose
 * subject is not how duo finds the commands: through `npm test` every gate also pays npm's own start-up (~0.2 s of
 * CPU; a run has three gates), which none of those tests is about. Tests of detection keep the detected command.
 */
export const DIRECT_TEST = { verify: ['node --test'] };

/** A config file that puts both agents on one scripted scenario, for CLI tests that need no model. */
export function scriptedConfig(scenario: unknown, extra: Record<string, unknown> = {}): string {
  const dir = tempDir('duo-cli-cfg-');
  const file = join(dir, 'scenario.json');
  writeFileSync(file, JSON.stringify(scenario));
  const config = join(dir, 'duo.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      agents: { claude: { kind: 'scripted', scenario: file }, codex: { kind: 'scripted', scenario: file } },
      limits: { retryBaseMs: 1 },
      ...extra,
    }),
  );
  return config;
}
