import { describe, expect, it } from 'vitest';
import { agentEnv } from '../../src/agents/env.js';
import { redactSecrets } from '../../src/agents/redact.js';

describe('secret redaction', () => {
  it('masks key shapes, bearer tokens, *_API_KEY assignments and live secret env values', () => {
    const env = { MY_SERVICE_TOKEN: 'tok-1234567890-live', PATH: '/usr/bin' };
    const text = [
      'anthropic sk-ant-api03-AbCdEf0123456789_xyz-ABCDEFGH',
      'openai sk-proj-abcdefghijklmnopqrstuvwxyz0123',
      'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      'OPENAI_API_KEY=hunter2hunter2',
      '{"anthropic_api_key": "abc123def456"}',
      'the token is tok-1234567890-live here',
      'PATH=/usr/bin stays',
    ].join('\n');
    const out = redactSecrets(text, env);
    for (const secret of [
      'sk-ant-api03-AbCdEf',
      'sk-proj-abcdefghij',
      'eyJhbGciOiJIUzI1NiJ9',
      'hunter2hunter2',
      'abc123def456',
      'tok-1234567890-live',
    ])
      expect(out).not.toContain(secret);
    expect(out).toContain('Bearer [REDACTED]');
    expect(out).toContain('PATH=/usr/bin stays');
    expect(out).toContain('anthropic [REDACTED]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'splitBill(1000, 3) returns [334, 333, 333]; see src/money.ts:12 (task-42)';
    expect(redactSecrets(text, {})).toBe(text);
  });
});

describe('agent environment', () => {
  const from = {
    PATH: '/bin',
    HOME: '/home/u',
    LC_ALL: 'C',
    ANTHROPIC_API_KEY: 'a',
    OPENAI_API_KEY: 'o',
    AWS_SECRET_ACCESS_KEY: 's',
    GITHUB_TOKEN: 'g',
  };
  it('gives each agent the basics and only its own provider variables', () => {
    const claude = agentEnv('claude', {}, {}, from);
    expect(claude.ANTHROPIC_API_KEY).toBe('a');
    expect(claude.OPENAI_API_KEY).toBeUndefined();
    expect(claude.GITHUB_TOKEN).toBeUndefined();
    expect(claude.LC_ALL).toBe('C');
    const codex = agentEnv('codex', {}, {}, from);
    expect(codex.OPENAI_API_KEY).toBe('o');
    expect(codex.ANTHROPIC_API_KEY).toBeUndefined();
    expect(codex.AWS_SECRET_ACCESS_KEY).toBeUndefined();
  });
  it('lets configured values and per-call values win', () => {
    const env = agentEnv('codex', { CODEX_HOME: '/cfg' }, { CODEX_HOME: '/call' }, from);
    expect(env.CODEX_HOME).toBe('/call');
  });
});
