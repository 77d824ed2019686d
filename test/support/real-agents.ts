import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
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

export function ensureRealAgents(): RealAgents {
  const bin = join(AGENTS_DIR, 'node_modules', '.bin');
  const stamp = join(AGENTS_DIR, 'installed.json');
  const want = JSON.stringify(PINNED);
  const have = existsSync(stamp) ? readFileSync(stamp, 'utf8') : '';
  if (have !== want || !existsSync(join(bin, 'claude')) || !existsSync(join(bin, 'codex'))) {
    mkdirSync(AGENTS_DIR, { recursive: true });
    writeFileSync(join(AGENTS_DIR, 'package.json'), '{"name":"duo-test-agents","private":true}\n');
    try {
      execFileSync(
        'npm',
        [
          'install',
          '--no-audit',
          '--no-fund',
          '--no-save',
          `@anthropic-ai/claude-code@${PINNED.claude}`,
          `@openai/codex@${PINNED.codex}`,
        ],
        { cwd: AGENTS_DIR, stdio: ['ignore', 'pipe', 'pipe'], timeout: 15 * 60_000 },
      );
    } catch (e) {
      const err = e as { stderr?: Buffer; message: string };
      throw new Error(
        `Could not install the pinned agent CLIs (claude ${PINNED.claude}, codex ${PINNED.codex}) from the npm registry ` +
          `into ${AGENTS_DIR}; the contract tests need them.\n${err.stderr?.toString() ?? err.message}`,
      );
    }
    writeFileSync(stamp, want);
  }
  return { claude: join(bin, 'claude'), codex: join(bin, 'codex') };
}
