import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { UsageLedger } from '../../src/budget/usage-ledger.js';
import { tempDir } from '../support/harness.js';

/** The per-user usage ledger with several runs recording at once: separate processes, one file. */
describe('usage ledger, several processes', () => {
  it('several processes appending at once: every line arrives whole, none lost or interleaved', async () => {
    const home = tempDir();
    const ledgerJs = resolve('dist/budget/usage-ledger.js');
    // Lines far larger than a pipe buffer (64 KiB), so a write that was split or not appended atomically would show.
    const script = `
      const { UsageLedger } = await import(${JSON.stringify(ledgerJs)});
      const ledger = new UsageLedger(process.argv[1]);
      const pad = 'x'.repeat(100_000);
      for (let i = 0; i < 40; i++)
        ledger.append({ at: '2026-03-10T12:00:00.000Z', agent: 'w' + process.argv[2], kind: 'scripted', model: pad,
          repo: null, runId: String(i), step: null, purpose: null, role: null, durationMs: 1, inputTokens: 1,
          outputTokens: 1, cachedInputTokens: 0, costUsd: null, failure: null, limits: null });
    `;
    const writers = Array.from({ length: 6 }, (_, w) =>
      execa('node', ['--input-type=module', '-e', script, home, String(w)]),
    );
    await Promise.all(writers);
    const raw = readFileSync(join(home, 'usage', '2026-03.jsonl'), 'utf8');
    const { lines, skipped } = new UsageLedger(home).read(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-20Z'));
    expect(skipped).toBe(0);
    expect(raw.split('\n').filter(Boolean)).toHaveLength(240);
    for (let w = 0; w < 6; w++)
      expect(lines.filter((l) => l.agent === `w${w}`).map((l) => Number(l.runId))).toEqual(
        Array.from({ length: 40 }, (_, i) => i),
      );
  });
});
