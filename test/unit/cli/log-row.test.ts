import { describe, expect, it } from 'vitest';
import { logRow } from '../../../src/cli/commands/log.js';

/** A `duo log` row in a terminal fits its width: the task is cut first, then the counts, then the mode. */
const row = {
  createdAt: '2026-11-25T09:31:07.000Z',
  runId: '20261125-093107-ab12',
  mode: 'pair',
  status: 'awaiting-decision',
  findings: 3,
  disagreements: 1,
  task: 'make the invoice total round half-even and add a test for the refund path while you are at it',
};

describe('logRow', () => {
  it('fits every width it is given, cutting the task with an ellipsis', () => {
    for (const width of [60, 80, 100, 120]) {
      const line = logRow(row, { width, repo: null });
      expect(line.length, `${width}: ${line}`).toBeLessThanOrEqual(width);
      expect(line).toContain(row.runId);
      expect(line).toContain('awaiting-decision');
    }
    expect(logRow(row, { width: 120, repo: null })).toContain('findings 3 · disagreements 1  make the invoice');
    expect(logRow(row, { width: 80, repo: null })).toMatch(/…$/);
    // Narrow: the counts go before the task is cut to nothing.
    expect(logRow(row, { width: 72, repo: null })).not.toContain('findings');
  });

  it('into a pipe (no width) the row is whole, the task cut only past 100 characters', () => {
    const line = logRow({ ...row, task: 'short task' }, { width: Number.POSITIVE_INFINITY, repo: 'shop' });
    expect(line).toMatch(
      / shop {2}20261125-093107-ab12 {2}pair {4}awaiting-decision {2}findings 3 · disagreements 1 {2}short task$/,
    );
  });
});
