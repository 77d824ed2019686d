/**
 * What the record page shows, gathered from the run index (never by loading 10,000 records): each run's row and
 * search text, the skeptic's track record from the facts, and from the usage ledger this repository's spend per day
 * per agent beside the plan windows' use the CLIs reported.
 */

import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { UsageLedger } from '../../budget/usage-ledger.js';
import type { RunFacts } from '../index-shapes.js';
import { RunIndex } from '../run-index.js';
import { effectiveStatus } from '../run-owner.js';
import { summarise, type TrackRecord } from '../stats.js';

export interface RecordRun {
  runId: string;
  createdAt: string;
  mode: string;
  /** Routed by `--mode auto`. */
  auto: boolean;
  status: string;
  findings: number;
  standing: number;
  disagreements: number;
  task: string;
  driver: string;
  skeptic: string | null;
  /** The run's own page, relative to .duo/: report.html when written, else report.md. */
  page: string;
  damaged: string | null;
}

export interface DaySpend {
  day: string;
  /** This repository's duo calls that day. */
  tokens: number;
  costUsd: number | null;
  calls: number;
  /** The highest share of the plan's windows the CLI reported that day (any repo: the plan is the account's). */
  fiveHour: number | null;
  weekly: number | null;
}

export interface RecordModel {
  repoRoot: string;
  now: Date;
  /** Newest first. */
  runs: RecordRun[];
  /** Per run (same order): everything searchable about it. */
  texts: string[];
  track: Omit<TrackRecord, 'since' | 'repos'>;
  /** Per agent, the last SPEND_DAYS days, oldest first. */
  spend: { agent: string; days: DaySpend[] }[];
}

/**
 * What `duo eval` (a later issue) hands the record page: one entry per eval run. The page shows them as a table
 * with each run's resolved share; with none, the section says how to get some.
 */
export interface EvalSummary {
  id: string;
  at: string;
  /** The task file it ran (a SWE-bench-style JSONL), or a suite name. */
  suite: string;
  /** What was run: a mode, the agents, a config label. */
  config: string;
  tasks: number;
  resolved: number;
  /** A confidence interval on the resolved share (0–1), when the eval computed one. */
  interval?: [number, number] | null;
  costUsd?: number | null;
  durationMs?: number | null;
  /** The eval's own report, relative to .duo/ (e.g. eval/<id>/report.html). */
  report?: string | null;
}

export const SPEND_DAYS = 30;

export async function gatherRecord(repoRoot: string, now: Date): Promise<RecordModel> {
  const index = new RunIndex(repoRoot);
  const refs = await index.refs();
  const live = refs.filter((r) => r.status !== 'damaged');
  const texts = new Map<string, string>();
  for (const hit of await index.text(live, []))
    texts.set(
      hit.row.runId,
      hit
        .fields()
        .map((f) => f[2])
        .join('\n'),
    );
  const facts = await index.facts(live);
  const runsDir = join(repoRoot, '.duo', 'runs');
  const runs: RecordRun[] = refs.map((ref) => {
    const row = ref.row();
    const page = existsSync(join(runsDir, row.runId, 'report.html')) ? 'report.html' : 'report.md';
    return {
      runId: row.runId,
      createdAt: row.createdAt,
      mode: row.mode,
      auto: row.requestedMode === 'auto',
      status: row.status === 'running' ? effectiveStatus(row) : row.status,
      findings: row.findings,
      standing: row.standing ?? 0,
      disagreements: row.disagreements,
      task: row.task,
      driver: row.driver,
      skeptic: row.skeptic,
      page: `runs/${row.runId}/${page}`,
      damaged: row.damaged,
    };
  });
  return {
    repoRoot,
    now,
    runs,
    texts: runs.map((r) => `${r.runId}\n${texts.get(r.runId) ?? r.task}`),
    track: summarise([...facts.values()] as RunFacts[]),
    spend: dailySpend(repoRoot, now),
  };
}

function dailySpend(repoRoot: string, now: Date): RecordModel['spend'] {
  const since = new Date(now.getTime() - (SPEND_DAYS - 1) * 86_400_000);
  since.setUTCHours(0, 0, 0, 0);
  const { lines } = new UsageLedger().read(since, now);
  const days = Array.from({ length: SPEND_DAYS }, (_, i) =>
    new Date(since.getTime() + i * 86_400_000).toISOString().slice(0, 10),
  );
  const agents = new Map<string, Map<string, DaySpend>>();
  for (const l of lines) {
    let byDay = agents.get(l.agent);
    if (!byDay) {
      byDay = new Map(
        days.map((day) => [day, { day, tokens: 0, costUsd: null, calls: 0, fiveHour: null, weekly: null }]),
      );
      agents.set(l.agent, byDay);
    }
    const d = byDay.get(l.at.slice(0, 10));
    if (!d) continue;
    if (l.repo === repoRoot) {
      d.calls++;
      d.tokens += l.inputTokens + l.outputTokens;
      if (l.costUsd !== null) d.costUsd = (d.costUsd ?? 0) + l.costUsd;
    }
    const five = l.limits?.fiveHour?.utilization;
    const week = l.limits?.weekly?.utilization;
    if (typeof five === 'number') d.fiveHour = Math.max(d.fiveHour ?? 0, five);
    if (typeof week === 'number') d.weekly = Math.max(d.weekly ?? 0, week);
  }
  return [...agents.entries()]
    .filter(([, byDay]) => [...byDay.values()].some((d) => d.calls > 0))
    .map(([agent, byDay]) => ({ agent, days: [...byDay.values()] }));
}
