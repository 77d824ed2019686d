import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageLedger } from '../../../src/budget/usage-ledger.js';
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
});
