import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { searchRuns } from '../../../src/record/query.js';
import { RunStore } from '../../../src/record/store.js';
import { entry, runState } from '../../support/state.js';

/** The MCP server's list/search of runs: newest first, every word must match, by status. */
describe('searchRuns', () => {
  const store = new RunStore(mkdtempSync(join(tmpdir(), 'duo-query-')));
  store.save(
    runState({ runId: 'r1', task: 'round invoice totals', status: 'green', createdAt: '2025-01-01T00:00:00Z' }),
  );
  store.save(
    runState({
      runId: 'r2',
      task: 'add retry to the uploader',
      status: 'red',
      createdAt: '2025-01-02T00:00:00Z',
      findings: [entry('R1', { phase: 'review' }, { severity: 'blocker', claim: 'the backoff never stops' })],
    }),
  );
  store.save(
    runState({
      runId: 'r3',
      task: 'explain the invoice module',
      mode: 'answer',
      status: 'answered',
      createdAt: '2025-01-03T00:00:00Z',
    }),
  );

  it('lists every run newest first, with what stands', () => {
    const all = searchRuns(store);
    expect(all.runs.map((r) => r.runId)).toEqual(['r3', 'r2', 'r1']);
    expect(all.runs.find((r) => r.runId === 'r2')).toMatchObject({ findings: 1, standing: 1, status: 'red' });
    expect(all.total).toBe(3);
  });

  it('keeps runs with every word of the query in their task, mode, status or findings; filters by status; limits', () => {
    expect(searchRuns(store, { query: 'INVOICE' }).runs.map((r) => r.runId)).toEqual(['r3', 'r1']);
    expect(searchRuns(store, { query: 'invoice answer' }).runs.map((r) => r.runId)).toEqual(['r3']);
    expect(searchRuns(store, { query: 'backoff' }).runs.map((r) => r.runId)).toEqual(['r2']);
    expect(searchRuns(store, { status: 'green' }).runs.map((r) => r.runId)).toEqual(['r1']);
    expect(searchRuns(store, { limit: 1 })).toMatchObject({ total: 3, runs: [{ runId: 'r3' }] });
    expect(searchRuns(store, { query: 'nothing like it' }).total).toBe(0);
  });
});
