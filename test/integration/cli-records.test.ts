import { describe, expect, it } from 'vitest';
import type { RateLimits } from '../../src/agents/plan-limits.js';
import { syntheticRun } from '../../src/bench/synthetic.js';
import { UsageLedger } from '../../src/budget/usage-ledger.js';
import { RunStore } from '../../src/record/store.js';
import { LogJson } from '../../src/wire/records.js';
import { BudgetJson, StatsJson } from '../../src/wire/user.js';
import { DIRECT_TEST, parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, plan } from '../support/scenario.js';
import { line } from '../support/usage.js';

/** `duo log` (index, filters, search), `duo budget` and `duo stats`, and a paused run, as a user meets them. */
function repoWithRuns(n: number): string {
  const repo = makeRepo(SAMPLE);
  const store = new RunStore(repo);
  for (let i = 0; i < n; i++) store.save(syntheticRun({ index: i, repoRoot: repo, start: Date.UTC(2026, 0, 1) }));
  return repo;
}
const iso = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const figures = (fiveHour: number, over: Partial<RateLimits> = {}): RateLimits => ({
  source: 'claude',
  observedAt: iso(-4),
  fiveHour: { utilization: fiveHour, resetsAt: iso(70), status: 'allowed_warning', windowMinutes: 300 },
  weekly: { utilization: 0.4, resetsAt: iso(4000), status: 'allowed', windowMinutes: 10080 },
  rejected: null,
  ...over,
});

describe('duo log', () => {
  it('lists the newest 20 by default and says how many more; --limit 0 lists all', async () => {
    const repo = repoWithRuns(25);
    const r = await runCli(['log'], { cwd: repo });
    expect(r.exitCode).toBe(0);
    expect(r.stdout.split('\n').filter((l) => /^2026-/.test(l))).toHaveLength(20);
    expect(r.stdout).toMatch(/… 5 more \(--limit <n>, or --limit 0 for all\)/);
    const all = parseWire(LogJson, (await runCli(['log', '--json', '--limit', '0'], { cwd: repo })).stdout);
    expect(all).toMatchObject({ total: 25, shown: 25 });
    expect((await runCli(['log', '--limit', 'x'], { cwd: repo })).exitCode).toBe(2);
  });

  it('--search shows where each run matched; --status and --mode filter; --json carries the matches', async () => {
    const repo = repoWithRuns(30);
    const store = new RunStore(repo);
    const run = syntheticRun({ index: 99, repoRoot: repo, start: Date.UTC(2026, 0, 1) });
    run.task = 'Make the wombat exporter stream instead of buffering';
    store.save(run);
    const r = await runCli(['log', '--search', 'WOMBAT exporter'], { cwd: repo });
    expect(r.stdout).toContain(run.runId);
    expect(r.stdout).toMatch(/task: Make the wombat exporter/);
    const json = parseWire(LogJson, (await runCli(['log', '--search', 'wombat', '--json'], { cwd: repo })).stdout);
    expect(json.runs.map((x) => [x.runId, x.matches?.[0]?.kind])).toEqual([[run.runId, 'task']]);
    const red = parseWire(
      LogJson,
      (await runCli(['log', '--status', 'red,paused', '--mode', 'pair', '--json', '--limit', '0'], { cwd: repo }))
        .stdout,
    );
    expect(red.runs.length).toBeGreaterThan(0);
    expect(red.runs.every((x) => ['red', 'paused'].includes(x.status) && x.mode === 'pair')).toBe(true);
    expect((await runCli(['log', '--search', 'no-such-word-anywhere'], { cwd: repo })).stdout).toBe('No runs match.');
  });
});

describe('duo budget', () => {
  it("shows each agent's figures with resets and age, spend per repo and in all, and what auto would choose", async () => {
    const home = tempDir('duo-home-');
    const repo = makeRepo(SAMPLE);
    const ledger = new UsageLedger(home);
    ledger.append(line({ agent: 'claude', at: iso(-4), limits: figures(0.91), repo, costUsd: 0.5 }));
    ledger.append(
      line({
        agent: 'codex',
        kind: 'codex',
        at: iso(-60),
        repo: '/other',
        costUsd: null,
        limits: { ...figures(0.2), source: 'codex', observedAt: iso(-60) },
      }),
    );
    const env = { DUO_HOME: home };
    const json = parseWire(
      BudgetJson,
      (await runCli(['budget', 'fix the refund rounding', '--json'], { cwd: repo, env })).stdout,
    );
    expect(json.agents.map((a) => [a.agent, a.level, a.figure?.fiveHour?.utilization])).toEqual([
      ['claude', 'tight', 0.91],
      ['codex', 'room', 0.2],
    ]);
    expect(json.spend.today.repo.claude).toMatchObject({ calls: 1, costUsd: 0.5 });
    expect(json.spend.today.repo.codex).toBeUndefined();
    expect(Object.keys(json.spend.today.all).sort()).toEqual(['claude', 'codex']);
    expect(json.auto.task).toMatchObject({ mode: 'invert' });
    expect(json.auto.task?.reason).toMatch(/claude is over the 80% mark \(five-hour 91%/);
    expect(json.auto.lowRisk?.mode).toBe('solo');
    const text = (await runCli(['budget'], { cwd: repo, env })).stdout;
    expect(text).toMatch(/claude\s+tight until/);
    expect(text).toMatch(/five-hour\s+91% used · resets \d\d:\d\d \(in (1 h|\d+ min)/);
    expect(text).toMatch(/figures from 4 min ago/);
    expect(text).toMatch(/high-risk → invert/);
  });

  it('with no figures: unknown, and why; outside a repository it still answers', async () => {
    const env = { DUO_HOME: tempDir('duo-home-') };
    const r = await runCli(['budget'], { cwd: tempDir('not-a-repo-'), env });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/claude\s+unknown/);
    expect(r.stdout).toMatch(/only when logged in with a subscription/);
    expect(r.stdout).not.toMatch(/this repo/);
  });
});

describe('duo stats', () => {
  it("prints each reviewer's record with the published anchors beside it; --json for scripts", async () => {
    const repo = repoWithRuns(30);
    const text = (await runCli(['stats'], { cwd: repo })).stdout;
    expect(text).toMatch(/30 runs in this repository/);
    expect(text).toMatch(/codex · gpt-5\.5/);
    expect(text).toMatch(/approvals the gate then contradicted \(approved, then red\): \d+ of \d+/);
    expect(text).toMatch(/precision by confidence: /);
    expect(text).toMatch(/arXiv 2603\.15911/);
    expect(text).toMatch(/arXiv 2412\.18531/);
    const json = parseWire(
      StatsJson,
      (await runCli(['stats', '--json', '--since', '2025-12-31'], { cwd: repo })).stdout,
    );
    expect(json.runs).toBe(30);
    expect(json.reviewers[0]?.findings).toBeGreaterThan(0);
    expect(json.humans.length).toBeGreaterThan(0);
    expect(
      parseWire(StatsJson, (await runCli(['stats', '--json', '--since', '2099-01-01'], { cwd: repo })).stdout).runs,
    ).toBe(0);
  });
});

describe('a paused run', () => {
  it('exits 75 with the reset time and the resume command; duo log lists it as paused', async () => {
    const repo = makeRepo(SAMPLE);
    const resetAt = iso(80);
    const config = scriptedConfig(
      {
        agents: {
          claude: {
            plan: [
              {
                ...plan(),
                fail: 'rate-limited',
                resetAt,
                limits: figures(1, { rejected: { window: 'five_hour', resetsAt: resetAt } }),
              },
            ],
          },
          codex: { critique: [critique('approve')] },
        },
      },
      DIRECT_TEST,
    );
    const env = { DUO_HOME: tempDir('duo-home-') };
    const r = await runCli(['run', 'change x', '--config', config, '--json'], { cwd: repo, env });
    expect(r.exitCode, r.stderr).toBe(75);
    const json = parseJson<{ runId: string; status: string; pause: { agent: string; until: string } }>(r.stdout);
    expect(json).toMatchObject({ status: 'paused', pause: { agent: 'claude', until: resetAt } });
    expect(r.stderr).toContain(`resume with: duo resume ${json.runId}`);
    const log = parseJson<{ runs: { runId: string; pausedUntil: string }[] }>(
      (await runCli(['log', '--status', 'paused', '--json'], { cwd: repo })).stdout,
    );
    expect(log.runs).toEqual([expect.objectContaining({ runId: json.runId, pausedUntil: resetAt })]);
    const human = await runCli(['show', json.runId], { cwd: repo });
    expect(human.exitCode).toBe(75);
    expect(human.stdout).toMatch(/PAUSED — claude cannot be called until/);
    // The budget now knows claude is out until then.
    const budget = parseJson<{ agents: { agent: string; level: string; until: string }[] }>(
      (await runCli(['budget', '--json', '--config', config], { cwd: repo, env })).stdout,
    );
    expect(budget.agents.find((a) => a.agent === 'claude')).toMatchObject({ level: 'out', until: resetAt });
  });
});
