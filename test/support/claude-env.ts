import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * The environment that points the real `claude` at the model simulator and keeps it offline and isolated:
 * its own HOME and config folder, no telemetry, no update checks, no retries of its own. `subscription` logs it in
 * with a (simulated) OAuth token instead of an API key.
 */
export function claudeSimEnv(
  simUrl: string,
  overrides: Record<string, string> = {},
  opts: { subscription?: boolean } = {},
): Record<string, string> {
  const home = mkdtempSync(join(tmpdir(), 'duo-claude-home-'));
  // A subscription login (an OAuth token, not an API key) is what makes Claude Code report its plan's limits.
  const login: Record<string, string> = opts.subscription
    ? { CLAUDE_CODE_OAUTH_TOKEN: 'sim-oauth-token' }
    : { ANTHROPIC_API_KEY: 'sim-key' };
  return {
    ANTHROPIC_BASE_URL: simUrl,
    ...login,
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
