import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config/load.js';
import { tempDir } from '../support/harness.js';

/** Config is strict: a key duo does not know is a mistake to report (a misspelt cap is no cap), not to ignore. */
function load(config: unknown) {
  const dir = tempDir('duo-config-');
  writeFileSync(join(dir, 'duo.config.json'), JSON.stringify(config));
  return () => loadConfig(dir);
}

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('unknown config keys (issue 9.3)', () => {
  it.each([
    [{ limits: { maxCostUSD: 0.001 } }, 'limits.maxCostUSD', 'maxCostUsd'],
    [{ rolez: { driver: 'claude' } }, 'rolez', 'roles'],
    [{ limits: { planRound: 2 } }, 'limits.planRound', 'planRounds'],
    [{ agents: { claude: { kind: 'claude', modle: 'opus' } } }, 'agents.claude.modle', 'model'],
    [{ roles: { driver: 'claude', skeptik: 'codex' } }, 'roles.skeptik', 'skeptic'],
    [{ agents: { g: { kind: 'command', argv: ['g'], promptvia: 'stdin' } } }, 'agents.g.promptvia', 'promptVia'],
  ])('%j is an error naming the key and the nearest valid one', (config, key, nearest) => {
    const message = messageOf(load(config));
    expect(message).toContain(`unknown key "${key}"`);
    expect(message).toContain(`did you mean "${nearest}"`);
  });

  it('a key with nothing near it lists the valid keys there', () => {
    const message = messageOf(load({ limits: { zzzzzzzzzz: 1 } }));
    expect(message).toContain('unknown key "limits.zzzzzzzzzz"');
    expect(message).toMatch(/valid keys here: .*maxCostUsd/);
  });

  it('a valid config still loads, with its defaults', () => {
    const { config } = load({ limits: { maxCostUsd: 1 }, verify: ['npm test'] })();
    expect(config.limits.maxCostUsd).toBe(1);
    expect(config.limits.planRounds).toBe(3);
  });
});
