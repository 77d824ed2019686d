import { describe, expect, it } from 'vitest';
import { agentEnv } from '../../../src/agents/env.js';

describe('agentEnv', () => {
  const from = {
    PATH: '/bin',
    HOME: '/home/u',
    LC_ALL: 'C',
    XDG_CONFIG_HOME: '/home/u/.config',
    ANTHROPIC_API_KEY: 'a',
    CLAUDE_CONFIG_DIR: '/c',
    OPENAI_API_KEY: 'o',
    CODEX_HOME: '/x',
    AWS_SECRET_ACCESS_KEY: 's',
    GITHUB_TOKEN: 'g',
    DATABASE_URL: 'postgres://u:p@h/db',
  };

  it('gives each agent the basics and only its own provider variables', () => {
    const claude = agentEnv('claude', {}, {}, from);
    expect(claude.ANTHROPIC_API_KEY).toBe('a');
    expect(claude.CLAUDE_CONFIG_DIR).toBe('/c');
    expect(claude.OPENAI_API_KEY).toBeUndefined();
    expect(claude.CODEX_HOME).toBeUndefined();
    expect(claude.GITHUB_TOKEN).toBeUndefined();
    expect(claude.LC_ALL).toBe('C');
    const codex = agentEnv('codex', {}, {}, from);
    expect(codex.OPENAI_API_KEY).toBe('o');
    expect(codex.CODEX_HOME).toBe('/x');
    expect(codex.ANTHROPIC_API_KEY).toBeUndefined();
    expect(codex.AWS_SECRET_ACCESS_KEY).toBeUndefined();
  });

  it('gives a command agent the basics and no provider variables at all', () => {
    expect(agentEnv('command', {}, {}, from)).toEqual({
      PATH: '/bin',
      HOME: '/home/u',
      LC_ALL: 'C',
      XDG_CONFIG_HOME: '/home/u/.config',
    });
  });

  it('never passes an unrelated secret or a variable that is undefined', () => {
    const env = agentEnv('claude', {}, {}, { ...from, TZ: undefined });
    expect(env.DATABASE_URL).toBeUndefined();
    expect('TZ' in env).toBe(false);
  });

  it('lets configured values and per-call values win', () => {
    const env = agentEnv('codex', { CODEX_HOME: '/cfg', EXTRA: '1' }, { CODEX_HOME: '/call' }, from);
    expect(env.CODEX_HOME).toBe('/call');
    expect(env.EXTRA).toBe('1');
  });
});
