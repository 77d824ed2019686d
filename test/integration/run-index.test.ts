import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { syntheticRun } from '../../src/bench/synthetic.js';
import { searchRuns } from '../../src/record/query.js';
import { RunStore } from '../../src/record/store.js';
import { tempDir } from '../support/harness.js';

/**
 * The run index (.duo/index): kept as runs are saved, rebuilt from the records when missing, re-derived for a
 * record that changed behind its back (edited by hand), safe with several processes writing at once — and the
 * searches and filters `duo log` answers from it.
 */
function repoWithRuns(n: number, start = Date.UTC(2026, 0, 1)): { repo: string; store: RunStore } {
  const repo = tempDir('duo-index-');
  const store = new RunStore(repo);
  for (let i = 0; i < n; i++) store.save(syntheticRun({ index: i, repoRoot: repo, start }));
  return { repo, store };
}
const indexLines = (repo: string, file: string) =>
  readFileSync(join(repo, '.duo', 'index', file), 'utf8')
    .split('\n')
    .filter(Boolean);

describe('run index', () => {
  it('is written as runs are saved, and lists them newest first without loading the records', async () => {
    const { repo, store } = repoWithRuns(5);
    expect(indexLines(repo, 'runs.jsonl').length).toBeGreaterThanOrEqual(5);
    const rows = await store.index.rows();
    expect(rows.map((r) => r.runId)).toEqual(
      [0, 1, 2, 3, 4].map((i) => syntheticRun({ index: i, repoRoot: repo }).runId).reverse(),
    );
    // Reading it did not need to re-derive anything: no line was added.
    const before = indexLines(repo, 'runs.jsonl').length;
    await store.index.rows();
    expect(indexLines(repo, 'runs.jsonl').length).toBe(before);
  });

  it('is rebuilt from the records when missing (records written before the index, or the folder deleted)', async () => {
    const { repo, store } = repoWithRuns(6);
    const expected = await store.index.rows();
    rmSync(join(repo, '.duo', 'index'), { recursive: true });
    const fresh = new RunStore(repo);
    expect(await fresh.index.rows()).toEqual(expected);
    expect(indexLines(repo, 'runs.jsonl')).toHaveLength(6);
    expect(
      (await searchRuns({ repoRoot: repo }, expected[0]?.task.split(' ').slice(1, 3).join(' ') ?? '')).total,
    ).toBeGreaterThan(0);
  });

  it('a record edited by hand is re-read: a changed task shows, a broken file is damaged, a removed run is gone', async () => {
    const { repo, store } = repoWithRuns(3);
    const [newest, middle, oldest] = await store.index.rows();
    const file = (id: string) => join(repo, '.duo', 'runs', id, 'state.json');
    const edited = JSON.parse(readFileSync(file(newest?.runId as string), 'utf8'));
    edited.task = 'Edited by hand: make the zebra parser strict';
    writeFileSync(file(newest?.runId as string), JSON.stringify(edited, null, 2));
    writeFileSync(file(middle?.runId as string), '{"version": 1, "runId": ');
    rmSync(join(repo, '.duo', 'runs', oldest?.runId as string), { recursive: true });

    const reader = new RunStore(repo);
    const rows = await reader.index.rows();
    expect(rows.map((r) => r.runId)).toEqual([newest?.runId, middle?.runId]);
    expect(rows[0]?.task).toBe('Edited by hand: make the zebra parser strict');
    expect(rows[1]?.damaged).toMatch(/not valid JSON/);
    expect((await searchRuns({ repoRoot: repo }, 'zebra')).runs.map((r) => r.runId)).toEqual([newest?.runId]);
    // Put right again by hand: the run is back to normal.
    writeFileSync(file(middle?.runId as string), JSON.stringify(syntheticRun({ index: 1, repoRoot: repo })));
    expect((await new RunStore(repo).index.rows())[1]).toMatchObject({ runId: middle?.runId, damaged: null });
  });

  it('a plain page of the newest runs reads only those records, and still sees a hand edit among them', async () => {
    const { repo } = repoWithRuns(8);
    const rows = await new RunStore(repo).index.rows();
    const newest = rows[0]?.runId as string;
    const file = join(repo, '.duo', 'runs', newest, 'state.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"task": "[^"]*"/, '"task": "Edited: the kiwi importer"'));
    mkdirSync(join(repo, '.duo', 'runs', 'not-a-run-yet'), { recursive: true });
    const page = await searchRuns({ repoRoot: repo }, '', { limit: 3 });
    expect(page.total).toBe(8);
    expect(page.runs.map((r) => r.runId)).toEqual(rows.slice(0, 3).map((r) => r.runId));
    expect(page.runs[0]?.task).toBe('Edited: the kiwi importer');
  });

  it('several processes saving runs at once, while another reads: every run indexed, every line whole', async () => {
    const repo = tempDir('duo-index-');
    const script = `
      const { RunStore } = await import(${JSON.stringify(resolve('dist/record/store.js'))});
      const { syntheticRun } = await import(${JSON.stringify(resolve('dist/bench/synthetic.js'))});
      const [repo, w] = [process.argv[1], Number(process.argv[2])];
      const store = new RunStore(repo);
      for (let i = 0; i < 25; i++) {
        const run = syntheticRun({ index: w * 1000 + i, repoRoot: repo });
        // A run is checkpointed many times while it runs; the last save is its final state.
        for (const status of ['running', 'running', run.status]) store.save({ ...run, status });
      }
    `;
    const reader = `
      const { RunStore } = await import(${JSON.stringify(resolve('dist/record/store.js'))});
      for (let i = 0; i < 30; i++) new RunStore(process.argv[1]).index.rows();
    `;
    await Promise.all([
      ...[0, 1, 2, 3].map((w) => execa('node', ['--input-type=module', '-e', script, repo, String(w)])),
      execa('node', ['--input-type=module', '-e', reader, repo]),
    ]);
    for (const file of ['runs.jsonl', 'text.jsonl', 'facts.jsonl'])
      for (const l of indexLines(repo, file)) expect(() => JSON.parse(l)).not.toThrow();
    const rows = await new RunStore(repo).index.rows();
    expect(rows).toHaveLength(100);
    const want = (w: number, i: number) => syntheticRun({ index: w * 1000 + i, repoRoot: repo });
    for (const w of [0, 1, 2, 3])
      for (let i = 0; i < 25; i += 6)
        expect(rows.find((r) => r.runId === want(w, i).runId)?.status).toBe(want(w, i).status);
  });

  it('is compacted once superseded lines outnumber live runs, and stays correct', async () => {
    const repo = tempDir('duo-index-');
    const store = new RunStore(repo);
    const run = syntheticRun({ index: 7, repoRoot: repo });
    for (let i = 0; i < 600; i++) store.save({ ...run, task: `${run.task} (checkpoint ${i})` });
    expect(indexLines(repo, 'runs.jsonl').length).toBeGreaterThanOrEqual(600);
    const rows = await new RunStore(repo).index.rows();
    expect(rows).toHaveLength(1);
    expect(rows[0]?.task).toMatch(/checkpoint 599/);
    expect(indexLines(repo, 'runs.jsonl')).toHaveLength(1);
    expect(existsSync(join(repo, '.duo', 'index', 'compact.lock'))).toBe(false);
    expect((await searchRuns({ repoRoot: repo }, '"checkpoint 599"')).total).toBe(1);
    expect((await searchRuns({ repoRoot: repo }, '"checkpoint 598"')).total).toBe(0);
  });
});

describe('searching and filtering runs', () => {
  it('every word must be found, in tasks, findings, rebuttals, disagreements or decisions; case-insensitive', async () => {
    const repo = tempDir('duo-index-');
    const store = new RunStore(repo);
    const base = syntheticRun({ index: 1, repoRoot: repo });
    const withFinding = syntheticRun({ index: 2, repoRoot: repo });
    withFinding.findings = [
      {
        ...(base.findings[0] ?? syntheticRun({ index: 3, repoRoot: repo }).findings[0]),
        id: 'R9',
        phase: 'review',
        round: 1,
        finding: {
          id: 'R9',
          severity: 'major',
          file: 'src/s3.ts',
          line: 3,
          claim: 'The S3 uploader retries forever on a 403',
          evidence: 'no cap on attempts',
          stakes: null,
          confidence: 0.9,
        },
        resolution: 'rebutted',
        answer: { action: 'rebut', note: 'A 403 is never retried: the Quokka guard returns first', round: 1 },
        recheck: { status: 'accept-rebuttal', note: 'right', round: 1 },
        fixCommit: null,
        decision: null,
        history: [],
      },
    ];
    withFinding.task = 'Add backoff to the uploader';
    store.save(base);
    store.save(withFinding);
    const ids = async (q: string) => (await searchRuns({ repoRoot: repo }, q)).runs.map((r) => r.runId);
    expect(await ids('s3 UPLOADER')).toEqual([withFinding.runId]);
    expect(await ids('quokka')).toEqual([withFinding.runId]); // the rebuttal
    expect(await ids('"retries forever"')).toEqual([withFinding.runId]);
    expect(await ids('"forever retries"')).toEqual([]);
    expect(await ids('quokka nonexistentword')).toEqual([]);
    const hit = (await searchRuns({ repoRoot: repo }, 'quokka backoff')).runs[0];
    expect(hit?.matches?.map((m) => m.kind)).toEqual(['rebuttal', 'task']);
    expect(hit?.matches?.[0]?.snippet).toMatch(/Quokka guard/);
  });

  it('words with accents or other scripts are found case-insensitively too, beside UTF-8 text', async () => {
    const repo = tempDir('duo-index-');
    const store = new RunStore(repo);
    const run = syntheticRun({ index: 5, repoRoot: repo });
    run.task = 'Fix the CAFÉ menu — prices in €, names in 日本語, then the Zürich export';
    store.save(run);
    store.save(syntheticRun({ index: 6, repoRoot: repo }));
    const ids = async (q: string) => (await searchRuns({ repoRoot: repo }, q)).runs.map((r) => r.runId);
    expect(await ids('café')).toEqual([run.runId]);
    expect(await ids('日本語 zürich')).toEqual([run.runId]);
    expect(await ids('export menu')).toEqual([run.runId]);
    expect(await ids('münchen')).toEqual([]);
  });

  it('filters by status, mode and time, newest first, with a limit and the total before it', async () => {
    const { repo } = repoWithRuns(40);
    const all = (await searchRuns({ repoRoot: repo }, '')).runs;
    const red = await searchRuns({ repoRoot: repo }, '', { status: ['red'] });
    expect(red.runs.length).toBeGreaterThan(0);
    expect(red.runs.every((r) => r.status === 'red')).toBe(true);
    expect(red.total).toBe(all.filter((r) => r.status === 'red').length);
    const invert = (await searchRuns({ repoRoot: repo }, '', { mode: ['invert'] })).runs;
    expect(invert.every((r) => r.mode === 'invert')).toBe(true);
    const auto = (await searchRuns({ repoRoot: repo }, '', { mode: ['auto'] })).runs;
    expect(auto.length).toBeGreaterThan(0);
    expect(auto.every((r) => r.requestedMode === 'auto')).toBe(true);
    const since = new Date(Date.parse(all[9]?.createdAt as string));
    expect((await searchRuns({ repoRoot: repo }, '', { since })).runs).toHaveLength(10);
    const limited = await searchRuns({ repoRoot: repo }, '', { limit: 3 });
    expect(limited.runs.map((r) => r.runId)).toEqual(all.slice(0, 3).map((r) => r.runId));
    expect(limited.total).toBe(40);
  });

  it('--all-repos: every repo this user ran duo in, each run labelled with its repo', async () => {
    const home = tempDir('duo-home-');
    const saved = process.env.DUO_HOME;
    process.env.DUO_HOME = home;
    try {
      const a = repoWithRuns(2, Date.UTC(2026, 1, 1)).repo;
      const b = repoWithRuns(3, Date.UTC(2026, 2, 1)).repo;
      mkdirSync(join(home, 'gone'), { recursive: true });
      const result = await searchRuns('all', '');
      expect(result.repos.sort()).toEqual([a, b].sort());
      expect(result.runs.map((r) => r.repo)).toEqual([b, b, b, a, a]);
    } finally {
      process.env.DUO_HOME = saved;
    }
  });
});
