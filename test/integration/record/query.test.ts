import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filterValues, parseSince, searchRuns, searchTerms } from '../../../src/record/query.js';
import { RunStore } from '../../../src/record/store.js';
import { entry, runState } from '../../support/state.js';

/** The list/search of runs `duo log` and the MCP server's `runs` tool answer from, and what they read from argv. */
describe('searchRuns', () => {
  const store = new RunStore(mkdtempSync(join(tmpdir(), 'duo-query-')));
  const scope = { repoRoot: store.repoRoot };
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

  it('lists every run newest first, with what stands', async () => {
    const all = await searchRuns(scope, '');
    expect(all.runs.map((r) => r.runId)).toEqual(['r3', 'r2', 'r1']);
    expect(all.runs.find((r) => r.runId === 'r2')).toMatchObject({ findings: 1, standing: 1, status: 'red' });
    expect(all.total).toBe(3);
  });

  it('keeps runs with every word in their task or findings; filters by mode and status; limits', async () => {
    const ids = async (q: string, f = {}) => (await searchRuns(scope, q, f)).runs.map((r) => r.runId);
    expect(await ids('INVOICE')).toEqual(['r3', 'r1']);
    expect(await ids('invoice', { mode: ['answer'] })).toEqual(['r3']);
    expect(await ids('backoff')).toEqual(['r2']);
    expect(await ids('', { status: ['green'] })).toEqual(['r1']);
    expect(await searchRuns(scope, '', { limit: 1 })).toMatchObject({ total: 3, runs: [{ runId: 'r3' }] });
    expect((await searchRuns(scope, 'nothing like it')).total).toBe(0);
  });

  it('a run left "running" by a process that is gone is listed, searched and filtered as interrupted', async () => {
    const crashed = new RunStore(mkdtempSync(join(tmpdir(), 'duo-query-')));
    const here = { repoRoot: crashed.repoRoot };
    crashed.save(runState({ runId: 'c1', task: 'port the zebra importer', status: 'running', owner: null }));
    crashed.save(runState({ runId: 'c2', task: 'port the lion importer', status: 'green' }));
    expect((await searchRuns(here, 'zebra')).runs).toMatchObject([{ runId: 'c1', status: 'interrupted' }]);
    expect((await searchRuns(here, '', { status: ['interrupted'] })).runs).toMatchObject([
      { runId: 'c1', status: 'interrupted', task: 'port the zebra importer' },
    ]);
    expect((await searchRuns(here, 'importer', { mode: ['pair'] })).total).toBe(2);
    expect((await searchRuns(here, '', { status: ['running'] })).total).toBe(0);
  });
});

describe('query arguments', () => {
  it('search words are lowercased; a quoted phrase is one term', () => {
    expect(searchTerms('S3 Uploader "retries forever"  403')).toEqual(['s3', 'uploader', 'retries forever', '403']);
    expect(searchTerms('   ')).toEqual([]);
  });

  it('--since reads spans and dates, and says what it takes otherwise', () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(parseSince('36h', now).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(parseSince('2w', now).toISOString()).toBe('2026-02-24T12:00:00.000Z');
    expect(parseSince('2026-03-01', now).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(() => parseSince('last tuesday', now)).toThrow(/7d, 24h/);
  });
});

describe('filter values', () => {
  it('a date not on the calendar is refused, not rolled over into the next month', () => {
    expect(() => parseSince('2026-02-30')).toThrow(/--since 2026-02-30: there is no such date/);
    expect(() => parseSince('2026-04-31T09:00')).toThrow(/no such date/);
    expect(parseSince('2024-02-29').getDate()).toBe(29);
    expect(() => parseSince('yesterday')).toThrow(/a span like 7d/);
  });

  it('an unknown status or mode names the valid ones and the nearest', () => {
    expect(filterValues('status', ['green', 'paused'])).toEqual(['green', 'paused']);
    expect(() => filterValues('status', ['gren'])).toThrow(
      /"gren": not a status a run can have \(did you mean green\?\)\. Valid: running, green/,
    );
    expect(() => filterValues('mode', ['bogus'])).toThrow(/Valid: pair, invert, solo, answer, review, auto\./);
    expect(filterValues('mode', ['auto', 'review'])).toEqual(['auto', 'review']);
  });
});
