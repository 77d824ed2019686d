import { describe, expect, it } from 'vitest';
import { indexFileOf, occurrences } from '../../../src/record/index-file.js';
import { lineOf, readRowLine, rowHead } from '../../../src/record/index-lines.js';
import { damagedRow, type RunRow } from '../../../src/record/index-shapes.js';

/**
 * The run index's line prefix is read in place, without JSON.parse (record/index-file.ts, index-lines.ts): these
 * pin what is read back from what lineOf and rowHead write, and that anything else makes the run re-derived.
 */
const row = (runId: string, over: Partial<RunRow> = {}): RunRow => ({
  ...damagedRow(runId, ''),
  damaged: null,
  createdAt: '2026-01-02T03:04:05.000Z',
  status: 'red',
  mode: 'pair',
  requestedMode: 'auto',
  task: 'fix the refund rounding',
  ...over,
});
const rowLine = (r: RunRow, rev: string) => lineOf(r.runId, rev, JSON.stringify(r), rowHead(r, 't1', 'f1'));
const file = (...lines: string[]) => indexFileOf(Buffer.from(`${lines.join('\n')}\n`, 'utf8'));

describe('the run index lines, read in place', () => {
  it('reads the columns of a row line back as written, and its value on demand; the last line of a run wins', () => {
    const older = row('20260102-030405-aaaa', { status: 'running' });
    const newer = row('20260102-030405-aaaa', { task: 'café — ünïcode' });
    const f = file(rowLine(older, '1:2:3'), rowLine(newer, '1:2:4'));
    expect(f.total).toBe(2);
    const start = f.latest.get(newer.runId) as number;
    expect(f.hasRev(start, newer.runId, '1:2:4')).toBe(true);
    const read = readRowLine(f, newer.runId, '1:2:4', start);
    expect(read && [read.createdAt, read.status, read.mode, read.requestedMode]).toEqual([
      newer.createdAt,
      'red',
      'pair',
      'auto',
    ]);
    expect(read && [read.rev, read.textRev(), read.factsRev()]).toEqual(['1:2:4', 't1', 'f1']);
    expect(read?.row()).toEqual(newer);
  });

  it('compares a revision whole: a prefix or an extension of it is another revision', () => {
    const r = row('20260102-030405-bbbb');
    const f = file(rowLine(r, '7:10:123'));
    const start = f.latest.get(r.runId) as number;
    expect(f.hasRev(start, r.runId, '7:10:12')).toBe(false);
    expect(f.hasRev(start, r.runId, '7:10:1234')).toBe(false);
    expect(f.hasRev(start, r.runId, '7:10:123')).toBe(true);
  });

  it('gives no row for a prefix without every column (an older duo) or with a quote in a column', () => {
    const r = row('20260102-030405-cccc');
    const old = lineOf(r.runId, '1', JSON.stringify(r));
    const quoted = rowLine(row(r.runId, { mode: 'pa"ir' }), '1');
    for (const line of [old, quoted]) {
      const f = file(line);
      expect(readRowLine(f, r.runId, '1', f.latest.get(r.runId) as number)).toBeNull();
    }
  });

  it("finds a line's end, the last line's without a newline too", () => {
    const text = `${lineOf('a', '1', '"x"')}\n\n${lineOf('b', '1', '"yy"')}`;
    const f = indexFileOf(Buffer.from(text, 'utf8'));
    const [a, b] = ['a', 'b'].map((id) => f.latest.get(id) as number);
    expect(f.end(a as number)).toBe(text.indexOf('\n'));
    expect(f.end(b as number)).toBe(text.length);
    expect(f.line(b as number, f.end(b as number))).toBe(lineOf('b', '1', '"yy"'));
  });

  it('finds an ASCII word case-insensitively only inside the line asked about', () => {
    const f = file(lineOf('a', '1', '"Refund"'), lineOf('b', '1', '"other"'));
    const holds = occurrences(f, ['refund']);
    const [a, b] = ['a', 'b'].map((id) => f.latest.get(id) as number);
    expect(holds(a as number, f.end(a as number))).toBe(true);
    expect(holds(b as number, f.end(b as number))).toBe(false);
  });
});
