import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { finishLog } from '../../src/gate/log-file.js';
import { redactSecrets, StreamRedactor } from '../../src/sys/redact.js';
import { tempDir } from '../support/harness.js';
import { rng } from '../support/rng.js';

/**
 * Verify logs are redacted in chunks (issue 9.6): whatever the chunk size, the stream masks exactly what a pass over
 * the whole text would, including a secret split across two chunks; over the cap the stored log keeps head and tail
 * and says how much was cut.
 */
const ENV = { MY_SERVICE_TOKEN: 'tok-live-0123456789', PATH: '/bin' };
const PIECES = [
  'sk-ant-api03-AbCdEfGhIjKlMnOpQrStUvWxYz',
  'ghp_0123456789abcdefghijABCDEFGHIJklmnop',
  'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
  'OPENAI_API_KEY=hunter2hunter2',
  '"anthropic_api_key": "abc123def456"',
  'GET /v1/items?api_key=abcd1234',
  'tok-live-0123456789',
  'ok 12 - adds two numbers',
  '\n',
  ' ',
  'plain words and_more_words',
  '\u00e9\u00ff\u0000',
];

function streamed(text: string, chunkSizes: () => number, hold?: number): string {
  const r = new StreamRedactor(ENV, hold);
  let out = '';
  for (let i = 0; i < text.length; ) {
    const n = chunkSizes();
    out += r.push(text.slice(i, i + n));
    i += n;
  }
  return out + r.end();
}

describe('streaming redaction', () => {
  it('masks exactly what a whole-text pass masks, for any chunking (seeded)', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const r = rng(seed);
      const text = Array.from({ length: 40 }, () => PIECES[Math.floor(r() * PIECES.length)]).join('');
      const whole = redactSecrets(text, ENV);
      // A small hold makes every secret cross chunk boundaries; chunk sizes from 1 to 40 characters.
      expect(
        streamed(text, () => 1 + Math.floor(r() * 40), 48),
        `seed ${seed}`,
      ).toBe(whole);
      expect(
        streamed(text, () => 1 + Math.floor(r() * 7), 48),
        `seed ${seed}`,
      ).toBe(whole);
    }
  });

  it('a secret split across two chunks is still masked', () => {
    const r = new StreamRedactor(ENV, 16);
    const out = r.push('line one\nkey sk-ant-api03-AbCdEf') + r.push('GhIjKlMnOp and more\n') + r.end();
    expect(out).toBe('line one\nkey [REDACTED] and more\n');
  });
});

describe('the stored verify log', () => {
  it('is whole and redacted under the cap', () => {
    const file = join(tempDir(), 'v.log');
    writeFileSync(file, 'start\nOPENAI_API_KEY=hunter2hunter2\nend\n');
    expect(finishLog(file, { headBytes: 1000, tailBytes: 1000 }, ENV)).toEqual({ bytes: 40, cutBytes: 0 });
    expect(readFileSync(file, 'utf8')).toBe('start\nOPENAI_API_KEY=[REDACTED]\nend\n');
  });

  it('over the cap keeps head and tail at line breaks, says how much was cut, and masks both ends', () => {
    const file = join(tempDir(), 'v.log');
    const line = (i: number) => `ok ${i} - a test line\n`;
    const lines = Array.from({ length: 20_000 }, (_, i) => line(i));
    lines[3] = 'SOME_TOKEN: head-secret-123\n';
    lines[19_998] = 'Bearer tail-secret-abcdefgh\n';
    const text = lines.join('');
    writeFileSync(file, text);
    const { bytes, cutBytes } = finishLog(file, { headBytes: 10_000, tailBytes: 20_000 }, ENV);
    expect(bytes).toBe(Buffer.byteLength(text));
    // Each end moves to a line start, so a line more or less is kept.
    expect(cutBytes).toBeGreaterThan(bytes - 30_000 - 100);
    const stored = readFileSync(file, 'utf8');
    expect(stored.length).toBeLessThan(31_000);
    expect(stored.startsWith('ok 0 - a test line\n')).toBe(true);
    expect(stored.endsWith(line(19_999))).toBe(true);
    expect(stored).toContain(`[duo: ${cutBytes} bytes cut here.`);
    expect(stored).toContain('SOME_TOKEN: [REDACTED]');
    expect(stored).toContain('Bearer [REDACTED]');
    expect(stored).not.toMatch(/secret/);
    // Whole lines on both sides of the cut.
    const [head, tail] = stored.split(/\n\[duo: .*\]\n/);
    expect(head!.endsWith('\n')).toBe(true);
    expect(tail!.startsWith('ok ')).toBe(true);
  });

  it('keeps binary output byte for byte', () => {
    const file = join(tempDir(), 'v.log');
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 37) % 256));
    writeFileSync(file, bytes);
    finishLog(file, { headBytes: 1 << 20, tailBytes: 1 << 20 }, {});
    expect(readFileSync(file).equals(bytes)).toBe(true);
  });
});
