import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { UsageLine } from '../../src/budget/usage-ledger.js';
import { BudgetJson } from '../../src/wire/user.js';
import { anthropicLimitHeaders, codexLimitHeaders } from '../sim/limits.js';
import type { Simulator } from '../sim/server.js';
import { parseJson, parseWire, runCli } from '../support/cli.js';
import { makeRepo, tempDir } from '../support/harness.js';
import { realAgents, realAgentsConfig, simulator } from '../support/sim-agents.js';
import { approve, claudeWritesSum, SUM, SUM_PKG, SUM_TEST, sumPlan, sumWork } from '../support/sum-task.js';

/**
 * The budget end to end with the real pinned CLIs against the model simulator, which sends the rate-limit headers
 * the real APIs send (Claude logged in with a subscription token): the figures reach the per-user ledger and
 * `duo budget`; `--mode auto` inverts when Claude's five-hour use is over the threshold and Codex's is not, and the
 * report says why; an agent whose plan limit is reached pauses the run until the reset, and `duo resume` finishes it.
 */
let sim: Simulator;
let repo: string;
let config: string;
let env: Record<string, string>;
beforeAll(() => {
  realAgents();
});
beforeEach(async () => {
  sim = await simulator();
  repo = makeRepo({ 'package.json': SUM_PKG, 'README.md': '# sample\n' });
  config = realAgentsConfig(sim.url, {}, { subscription: true });
  env = { DUO_HOME: tempDir('duo-home-') };
});
afterEach(async () => {
  await sim.close();
});

const ledger = (): UsageLine[] => {
  const dir = join(env.DUO_HOME as string, 'usage');
  return readdirSync(dir).flatMap((f) =>
    readFileSync(join(dir, f), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as UsageLine),
  );
};
const near = (iso: string | null | undefined, inSeconds: number) =>
  Math.abs(Date.parse(iso ?? '') - (Date.now() + inSeconds * 1000)) < 180_000;

const pairRun = () => {
  sim.push('anthropic', { kind: 'structured', value: sumPlan }, claudeWritesSum, {
    kind: 'structured',
    value: sumWork,
  });
  sim.push('openai', { kind: 'structured', value: approve }, { kind: 'structured', value: approve });
};

describe('budget with the real CLIs', () => {
  it('figures reach the ledger and duo budget; auto then inverts a risky task, and the report says why', async () => {
    sim.setHeaders('anthropic', anthropicLimitHeaders({ fiveHour: 0.91, weekly: 0.4, fiveHourResetIn: 5400 }));
    sim.setHeaders('openai', codexLimitHeaders({ fiveHour: 0.2, weekly: 0.1 }));
    pairRun();
    const first = await runCli(['run', 'add a sum() helper with a test', '--config', config, '--json'], {
      cwd: repo,
      env,
    });
    expect(parseJson<{ status: string }>(first.stdout).status, first.stderr).toBe('green');

    // Every real call is in the per-user ledger, with the figures its CLI reported.
    const lines = ledger();
    const claude = lines.filter((l) => l.agent === 'claude');
    const codex = lines.filter((l) => l.agent === 'codex');
    expect(claude.length).toBeGreaterThanOrEqual(2);
    expect(codex).toHaveLength(2);
    expect(claude.every((l) => l.limits?.fiveHour?.utilization === 0.91 && typeof l.costUsd === 'number')).toBe(true);
    expect(claude[0]?.limits?.source).toBe('claude');
    expect(codex.every((l) => l.limits?.source === 'codex' && l.limits.fiveHour?.utilization === 0.2)).toBe(true);
    expect(codex[0]?.model).toBe('gpt-5.5');
    expect(lines.every((l) => l.repo === repo && l.inputTokens > 0)).toBe(true);

    const budget = parseWire(
      BudgetJson,
      (await runCli(['budget', '--json', '--config', config], { cwd: repo, env })).stdout,
    );
    expect(budget.agents.map((a) => [a.agent, a.level, a.figure?.fiveHour?.utilization])).toEqual([
      ['claude', 'tight', 0.91],
      ['codex', 'room', 0.2],
    ]);
    expect(near(budget.agents[0]?.until, 5400)).toBe(true);
    expect(budget.auto.highRisk?.mode).toBe('invert');

    // The inverted run: Codex plans, writes with apply_patch and reviews; Claude only briefs and reports.
    const patch = `*** Begin Patch\n*** Add File: src/sum.js\n${SUM.trimEnd()
      .split('\n')
      .map((l) => `+${l}`)
      .join('\n')}\n*** Add File: test/sum.test.js\n${SUM_TEST.trimEnd()
      .split('\n')
      .map((l) => `+${l}`)
      .join('\n')}\n*** End Patch\n`;
    sim.push(
      'anthropic',
      {
        kind: 'structured',
        value: { task: 'Fix the refund rounding in sum', acceptance: ['sum is exact'], risk: 'high' },
      },
      { kind: 'structured', value: { summary: 'Codex fixed it; the gate is green.' } },
    );
    sim.push(
      'openai',
      { kind: 'structured', value: sumPlan },
      { kind: 'structured', value: approve },
      { kind: 'tools', calls: [{ name: 'apply_patch', freeform: patch }] },
      { kind: 'structured', value: sumWork },
      { kind: 'structured', value: approve },
    );
    const auto = await runCli(
      ['run', '--mode', 'auto', 'fix the refund rounding in sum()', '--config', config, '--json'],
      {
        cwd: repo,
        env,
      },
    );
    const json = parseJson<{
      status: string;
      mode: string;
      roles: Record<string, string | null>;
      routing: { reason: string };
      reportPath: string;
    }>(auto.stdout);
    expect(json.status, auto.stderr).toBe('green');
    expect(json).toMatchObject({ mode: 'invert', roles: { driver: 'codex', dispatcher: 'claude' } });
    expect(json.routing.reason).toMatch(/claude is over the 80% mark \(five-hour 91%, resets /);
    expect(json.routing.reason).toMatch(/codex has room \(five-hour 20%/);
    const header = readFileSync(json.reportPath, 'utf8').split('\n## ')[0];
    expect(header).toMatch(/\*\*Routing:\*\* touches money \("refund"\): full pair; claude is over the 80% mark/);
    expect(header).toMatch(/inverted — codex does the heavy work, claude only briefs and reports/);
    expect(sim.pending('anthropic') + sim.pending('openai')).toBe(0);
  });

  it("claude's five-hour limit is reached mid-run: the run pauses with the reset time (exit 75); resume finishes it", async () => {
    sim.setHeaders('anthropic', anthropicLimitHeaders({ fiveHour: 0.97, weekly: 0.5 }));
    sim.setHeaders('openai', codexLimitHeaders({ fiveHour: 0.3, weekly: 0.2 }));
    sim.push(
      'anthropic',
      { kind: 'structured', value: sumPlan },
      {
        kind: 'http-error',
        status: 429,
        message: 'usage limit reached',
        headers: anthropicLimitHeaders({ fiveHour: 1, weekly: 0.5, fiveHourResetIn: 3600 }),
      },
    );
    sim.push('openai', { kind: 'structured', value: approve });
    const r = await runCli(['run', 'add a sum() helper with a test', '--config', config, '--json'], { cwd: repo, env });
    expect(r.exitCode, r.stderr).toBe(75);
    const paused = parseJson<{
      runId: string;
      status: string;
      pause: { agent: string; until: string; reason: string };
    }>(r.stdout);
    expect(paused).toMatchObject({ status: 'paused', pause: { agent: 'claude' } });
    expect(near(paused.pause.until, 3600)).toBe(true);
    expect(paused.pause.reason).toMatch(/limit/);
    // One attempt, not the retries: the limit holds until the reset.
    expect(sim.requests.filter((q) => q.protocol === 'anthropic' && q.method === 'POST')).toHaveLength(2);
    const budget = parseWire(
      BudgetJson,
      (await runCli(['budget', '--json', '--config', config], { cwd: repo, env })).stdout,
    );
    expect(budget.agents.find((a) => a.agent === 'claude')).toMatchObject({ level: 'out' });
    const shown = await runCli(['show', paused.runId], { cwd: repo });
    expect(shown.stdout.split('\n')[0]).toMatch(/PAUSED — claude cannot be called until \d\d:\d\d/);

    // After the reset: the same run continues from its last completed step and finishes green.
    sim.setHeaders('anthropic', anthropicLimitHeaders({ fiveHour: 0.05, weekly: 0.5 }));
    sim.push('anthropic', claudeWritesSum, { kind: 'structured', value: sumWork });
    sim.push('openai', { kind: 'structured', value: approve });
    const resumed = await runCli(['resume', paused.runId, '--json', '--config', config], { cwd: repo, env });
    expect(parseJson<{ status: string; pause: unknown }>(resumed.stdout), resumed.stderr).toMatchObject({
      status: 'green',
      pause: null,
    });
    expect(resumed.exitCode).toBe(0);
  });
});
