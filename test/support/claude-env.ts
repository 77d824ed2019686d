import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment that points the real `claude` at the model simulator and keeps it offline and isolated:
 * its own HOME and config folder, no telemetry, no update checks, no retries of its own.
 */
export function claudeSimEnv(simUrl: string, overrides: Record<string, string> = {}): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'duo-claude-home-'));
  return {
    ANTHROPIC_BASE_URL: simUrl,
    ANTHROPIC_API_KEY: 'sim-key',
    HOME: home,
    CLAUDE_CONFIG_DIR: join(home, '.claude'),
    CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    DISABLE_TELEMETRY: '1',
    DISABLE_ERROR_REPORTING: '1',
    DISABLE_AUTOUPDATER: '1',
    CLAUDE_CODE_MAX_RETRIES: '0',
    ...overrides,
  };
}
