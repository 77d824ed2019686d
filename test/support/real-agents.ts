import { execFile, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CLAUDE_TESTED } from '../../src/agents/claude.js';
import { CODEX_TESTED } from '../../src/agents/codex.js';

/**
 * The real agent CLIs, pinned to the versions duo is tested against, installed from the npm registry into an
 * ignored cache at test time (never a runtime dependency of duo). If they cannot be installed the tests fail
 * loudly: a contract test that silently skips proves nothing.
 */
export const PINNED = { claude: CLAUDE_TESTED, codex: CODEX_TESTED } as const;

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const AGENTS_DIR = join(root, '.cache', 'agents');

export interface RealAgents {
  claude: string;
  codex: string;
}

const BIN = join(AGENTS_DIR, 'node_modules', '.bin');
const STAMP = join(AGENTS_DIR, 'installed.json');
/** Written by the e2e global setup while its install runs (its pid), and the error if that install failed. */
const INSTALLING = join(AGENTS_DIR, 'installing.pid');
const FAILED = join(AGENTS_DIR, 'install-failed.txt');
const INSTALL_TIMEOUT_MS = 15 * 60_000;
const NPM_INSTALL = [
  'install',
  '--no-audit',
  '--no-fund',
  '--no-save',
  `@anthropic-ai/claude-code@${PINNED.claude}`,
  `@openai/codex@${PINNED.codex}`,
];

function paths(): RealAgents {
  return { claude: join(BIN, 'claude'), codex: join(BIN, 'codex') };
}

function installed(): boolean {
  const have = existsSync(STAMP) ? readFileSync(STAMP, 'utf8') : '';
  return have === JSON.stringify(PINNED) && existsSync(join(BIN, 'claude')) && existsSync(join(BIN, 'codex'));
}

function prepareDir(): void {
  mkdirSync(AGENTS_DIR, { recursive: true });
  writeFileSync(join(AGENTS_DIR, 'package.json'), '{"name":"duo-test-agents","private":true}\n');
}

function installError(e: unknown): Error {
  const err = e as { stderr?: Buffer | string; message: string };
  return new Error(
    `Could not install the pinned agent CLIs (claude ${PINNED.claude}, codex ${PINNED.codex}) from the npm registry ` +
      `into ${AGENTS_DIR}; the contract tests need them.\n${err.stderr?.toString() || err.message}`,
  );
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The pid of the e2e global setup whose install is under way, if one is. */
function installer(): number | undefined {
  const pid = existsSync(INSTALLING) ? Number(readFileSync(INSTALLING, 'utf8')) : 0;
  return pid > 0 && alive(pid) ? pid : undefined;
}

/**
 * Starts the install without waiting for it: the e2e project's global setup (vitest.config.ts). vitest runs every
 * project's global setup before the first test file, and the e2e files run last (their own group), so a fresh
 * clone downloads the CLIs while the unit and integration layers run instead of before them. The returned
 * promise settles when the install does; `ensureRealAgents` in an e2e file waits for it.
 */
export function installRealAgentsInBackground(): Promise<void> {
  if (installed()) return Promise.resolve();
  prepareDir();
  rmSync(FAILED, { force: true });
  writeFileSync(INSTALLING, String(process.pid));
  return new Promise<void>((done, fail) => {
    execFile('npm', NPM_INSTALL, { cwd: AGENTS_DIR, timeout: INSTALL_TIMEOUT_MS }, (e, _out, stderr) => {
      if (e) {
        const error = installError({ stderr, message: e.message });
        writeFileSync(FAILED, error.message);
        fail(error);
      } else {
        writeFileSync(STAMP, JSON.stringify(PINNED));
        done();
      }
      rmSync(INSTALLING, { force: true });
    });
  });
}

/**
 * The installed CLIs' paths. Waits for the global setup's install if one is under way (a worker cannot await in
 * the synchronous callers, so it sleeps between looks), throws its error if it failed, and installs here itself
 * only when nothing else is installing them (an e2e file run outside vitest's e2e project).
 */
export function ensureRealAgents(): RealAgents {
  const deadline = Date.now() + INSTALL_TIMEOUT_MS;
  while (!installed() && installer() !== undefined && Date.now() < deadline) {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
  }
  if (installed()) return paths();
  if (existsSync(FAILED)) throw new Error(readFileSync(FAILED, 'utf8'));
  prepareDir();
  try {
    execFileSync('npm', NPM_INSTALL, {
      cwd: AGENTS_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: INSTALL_TIMEOUT_MS,
    });
  } catch (e) {
    throw installError(e);
  }
  writeFileSync(STAMP, JSON.stringify(PINNED));
  return paths();
}
