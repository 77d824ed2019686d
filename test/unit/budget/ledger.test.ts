import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { UsageLedger } from '../../../src/budget/ledger.js';
import { tempDir } from '../../support/harness.js';
import { line } from '../../support/usage.js';

/** The per-user usage ledger: append-only lines, read back by time, safe with several processes writing at once. */
describe('usage ledger', () => {
  it('appends one line per call into the month file and reads back the lines since a time, oldest first', () => {
    const ledger = new UsageLedger(tempDir());
    ledger.append(line({ at: '2026-03-10T12:00:00.000Z', runId: 'b' }));
    ledger.append(line({ at: '2026-02-27T08:00:00.000Z', runId: 'a' }));
    ledger.append(line({ at: '2026-03-11T09:00:00.000Z', runId: 'c' }));
    expect(readdirSync(ledger.dir).sort()).toEqual(['2026-02.jsonl', '2026-03.jsonl']);
    const now = new Date('2026-03-12T00:00:00Z');
    expect(ledger.read(new Date('2026-02-01T00:00:00Z'), now).lines.map((l) => l.runId)).toEqual(['a', 'b', 'c']);
    expect(ledger.read(new Date('2026-03-10T13:00:00Z'), now).lines.map((l) => l.runId)).toEqual(['c']);
  });

  it('a line edited or cut by hand is skipped and counted, never fatal', () => {
    const ledger = new UsageLedger(tempDir());
    ledger.append(line({ runId: 'kept' }));
    appendFileSync(join(ledger.dir, '2026-03.jsonl'), '{"v":1,"at":"2026-03-10T12:00:01.000Z","agent":\n');
    appendFileSync(join(ledger.dir, '2026-03.jsonl'), 'not json at all\n');
    const { lines, skipped } = ledger.read(new Date('2026-03-01T00:00:00Z'), new Date('2026-03-20T00:00:00Z'));
    expect(lines.map((l) => l.runId)).toEqual(['kept']);
    expect(skipped).toBe(2);
  });

  it('several processes appending at once: every line arrives whole, none lost or interleaved', async () => {
    const home = tempDir();
    const ledgerJs = resolve('dist/budget/ledger.js');
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
