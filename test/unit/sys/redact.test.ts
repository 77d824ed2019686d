import { describe, expect, it } from 'vitest';
import { redactSecrets, redactValue } from '../../../src/sys/redact.js';

const MASK = '[REDACTED]';

describe('redactSecrets', () => {
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

  it.each([
    ['a GitHub token', 'ghp_abcdefghijklmnopqrstuvwxyz012345'],
    ['a GitHub fine-grained token', 'github_pat_11ABCDEFG0123456789_abcdefghij'],
    ['a Slack token', 'xoxb-1234567890-abcdefghij'],
    ['an AWS access key id', 'AKIAIOSFODNN7EXAMPLE'],
    ['a Google API key', 'AIzaSyA-abcdefghijklmnopqrstuvwxyz01234'],
    ['an OpenAI service-account key', 'sk-svcacct-abcdefghijklmnopqrstuvwxyz'],
  ])('masks %s by its shape, with no environment to go on', (_what, secret) => {
    expect(redactSecrets(`value: ${secret} end`, {})).toBe(`value: ${MASK} end`);
  });

  it('keeps the scheme of a Basic authorization header and masks the credentials', () => {
    expect(redactSecrets('Authorization: Basic dXNlcjpwYXNzd29yZA==', {})).toBe(`Authorization: Basic ${MASK}`);
  });

  it('does not take a short "Bearer" word for a token', () => {
    expect(redactSecrets('the Bearer of bad news', {})).toBe('the Bearer of bad news');
  });

  it('keeps the name of an assignment and masks only its value', () => {
    expect(redactSecrets('export GITHUB_TOKEN=abcd1234', {})).toBe(`export GITHUB_TOKEN=${MASK}`);
    expect(redactSecrets('db_password: "letmein!"', {})).toBe(`db_password: "${MASK}"`);
  });

  it('masks a secret env value wherever it appears, but only for secret-looking names', () => {
    const env = { DEPLOY_SECRET: 'plain-words-here', HOME: '/home/someone/long' };
    expect(redactSecrets('a plain-words-here b /home/someone/long', env)).toBe(`a ${MASK} b /home/someone/long`);
  });

  it('does not mask values shorter than 8 characters literally (the simulator key "x" must not blank the text)', () => {
    const env = { OPENAI_API_KEY: 'x', SHORT_TOKEN: 'abc1234' };
    expect(redactSecrets('x marks abc1234', env)).toBe('x marks abc1234');
  });

  it('masks the longer of two overlapping secret values whole', () => {
    const env = { A_TOKEN: 'secretvalue', B_TOKEN: 'secretvalue-extended' };
    expect(redactSecrets('[secretvalue-extended]', env)).toBe(`[${MASK}]`);
  });
});

describe('redactValue across saves', () => {
  it('masks a string again by the secrets of each call, not by what an earlier call remembered', () => {
    const doc = { note: 'deploy with abcdefgh12345678 today', key: 'plain' };
    const first = { DEPLOY_TOKEN: 'abcdefgh12345678' };
    expect(redactValue(doc, first)).toEqual({ note: 'deploy with [REDACTED] today', key: 'plain' });
    expect(redactValue(doc, first)).toEqual({ note: 'deploy with [REDACTED] today', key: 'plain' });
    expect(redactValue(doc, {})).toEqual(doc);
    expect(redactValue(doc, { OTHER_SECRET: 'deploy with' })).toEqual({
      note: '[REDACTED] abcdefgh12345678 today',
      key: 'plain',
    });
  });
});
