import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Points the real `codex` at the model simulator: a private CODEX_HOME whose config.toml selects a "sim"
 * provider on 127.0.0.1 with no retries of its own, and flags that keep it from reaching for the network
 * (plugins, the login-shell snapshot). A catalog model name, so Codex offers its apply_patch tool.
 */
export function codexSimConfig(simUrl: string): { env: Record<string, string>; extraArgs: string[]; home: string } {
  const home = mkdtempSync(join(tmpdir(), 'duo-codex-home-'));
  mkdirSync(home, { recursive: true });
  writeFileSync(
    join(home, 'config.toml'),
    [
      'model = "gpt-5.5"',
      'model_provider = "sim"',
      '',
      '[model_providers.sim]',
      'name = "sim"',
      `base_url = "${simUrl}/v1"`,
      'env_key = "OPENAI_API_KEY"',
      'wire_api = "responses"',
      'request_max_retries = 0',
      'stream_max_retries = 0',
      '',
    ].join('\n'),
  );
  return {
    env: { CODEX_HOME: home, OPENAI_API_KEY: 'sim-key' },
    extraArgs: ['--disable', 'plugins', '--disable', 'shell_snapshot'],
    home,
  };
}
