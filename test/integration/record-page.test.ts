import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeSyntheticRecords } from '../../src/bench/synthetic.js';
import { UsageLedger, type UsageLine } from '../../src/budget/usage-ledger.js';
import { gatherRecord } from '../../src/record/html/record-data.js';
import { renderRecordPage } from '../../src/record/html/record-page.js';
import { decodePostings } from '../../src/record/html/search-index.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';

/**
 * The record page's data, from the run index and the usage ledger: the runs and their search data, the spend per day
 * per agent beside the plan windows the CLIs reported, and the section `duo eval` fills.
 */
const NOW = new Date('2026-03-10T12:00:00.000Z');

function line(over: Partial<UsageLine>): Omit<UsageLine, 'v'> {
  return {
    at: '2026-03-09T10:00:00.000Z',
    agent: 'claude',
    kind: 'claude',
    model: null,
    repo: null,
    runId: null,
    step: 'plan/r1/draft',
    purpose: 'plan',
    role: 'driver',
    durationMs: 1000,
    inputTokens: 1000,
    outputTokens: 200,
    cachedInputTokens: 0,
    costUsd: null,
    failure: null,
    limits: null,
    ...over,
  };
}

const windows = (fiveHour: number, weekly: number): UsageLine['limits'] => ({
  source: 'claude',
  observedAt: '2026-03-09T10:00:00.000Z',
  fiveHour: { utilization: fiveHour, resetsAt: null, status: null, windowMinutes: 300 },
  weekly: { utilization: weekly, resetsAt: null, status: null, windowMinutes: 10080 },
  rejected: null,
});

describe('the record page', () => {
  let home: string | undefined;
  beforeEach(() => {
    home = process.env.DUO_HOME;
    process.env.DUO_HOME = tempDir('duo-home-record-');
  });
  afterEach(() => {
    process.env.DUO_HOME = home;
  });

  it("sums this repository's spend per day per agent, beside the highest plan-window use reported that day", async () => {
    const repo = makeRepo(SAMPLE);
    writeSyntheticRecords(repo, 3);
    const ledger = new UsageLedger();
    ledger.append(line({ repo, costUsd: 0.5, limits: windows(0.91, 0.4) }));
    ledger.append(line({ repo, at: '2026-03-09T11:00:00.000Z', costUsd: 0.25, limits: windows(0.5, 0.45) }));
    // Another repository's call: not this repo's spend, but the plan's windows are the account's.
    ledger.append(line({ repo: '/elsewhere', at: '2026-03-09T12:00:00.000Z', limits: windows(0.97, 0.5) }));
    ledger.append(line({ repo, agent: 'codex', kind: 'codex', at: '2026-03-10T09:00:00.000Z', inputTokens: 50 }));
    // Older than the page's 30 days: left out.
    ledger.append(line({ repo, at: '2026-01-01T00:00:00.000Z' }));

    const record = await gatherRecord(repo, NOW);
    expect(record.runs).toHaveLength(3);
    expect(record.spend.map((s) => s.agent).sort()).toEqual(['claude', 'codex']);
    const claude = record.spend.find((s) => s.agent === 'claude')?.days ?? [];
    expect(claude).toHaveLength(30);
    expect(claude.filter((d) => d.calls)).toEqual([
      { day: '2026-03-09', calls: 2, tokens: 2400, costUsd: 0.75, fiveHour: 0.97, weekly: 0.5 },
    ]);
    const codex = record.spend.find((s) => s.agent === 'codex')?.days.at(-1);
    expect(codex).toMatchObject({ day: '2026-03-10', calls: 1, tokens: 250, costUsd: null, fiveHour: null });

    const page = renderRecordPage(record);
    expect(page).toContain('claude: tokens per day, against the plan windows');
    expect(page).toContain('<td>2026-03-09</td><td>2</td><td>2.4k</td><td>$0.7500</td><td>97%</td><td>50%</td>');
  });

  it('embeds every run and its words for the search, and shows the results duo eval hands it', async () => {
    const repo = makeRepo(SAMPLE);
    writeSyntheticRecords(repo, 5);
    const record = await gatherRecord(repo, NOW);
    const without = renderRecordPage(record);
    expect(without).toContain('id="evals-empty"');
    const json = /<script type="application\/json" id="runs-data">(.*?)<\/script>/s.exec(without)?.[1] ?? '';
    const data = JSON.parse(json) as { runs: unknown[][]; index: Record<string, string> };
    expect(data.runs.map((r) => r[0])).toEqual(record.runs.map((r) => r.runId));
    // Run 3's ticket is in its task, and the word leads to exactly that run.
    const third = record.runs.findIndex((r) => r.task.includes('SHOP-3)'));
    expect(decodePostings(data.index['3'] as string)).toContain(third);

    const page = renderRecordPage(record, [
      {
        id: 'e1',
        at: '2026-03-01T00:00:00.000Z',
        suite: 'swe-lite.jsonl',
        config: 'pair, claude + codex',
        tasks: 10,
        resolved: 7,
        interval: [0.4, 0.89],
        costUsd: 3.5,
        report: 'eval/e1/report.html',
      },
    ]);
    expect(page).not.toContain('id="evals-empty"');
    expect(page).toContain(
      '<td>swe-lite.jsonl</td><td>pair, claude + codex</td><td>10</td><td>7 · 70% (40%–89%)</td><td>$3.50</td><td><a href="eval/e1/report.html">report</a></td>',
    );
  });
});
