import { describe, expect, it } from 'vitest';
import type { RateLimits } from '../../src/agents/plan-limits.js';
import { Budget } from '../../src/budget/budget.js';
import { UsageLedger } from '../../src/budget/usage-ledger.js';
import { endOfDay } from '../../src/budget/windows.js';
import { createRunState, executeRun, resumeRun } from '../../src/protocol/engine.js';
import type { RunState } from '../../src/protocol/types.js';
import { enginePorts, makeRepo, report, SAMPLE, type TestPorts, tempDir } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';
import { line } from '../support/usage.js';

/**
 * Auto mode and the budget on the real engine (scripted agents, real git and gate): routing by headroom from the
 * per-user ledger, the plan's paths upgrading a one-agent run, and a run that pauses — resumably — when an agent's
 * plan limit or a spend cap is reached.
 */
const iso = (minutes: number) => new Date(Date.now() + minutes * 60_000).toISOString();
const green = () => work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST });

function figures(fiveHour: number, over: Partial<RateLimits> = {}): RateLimits {
  return {
    source: 'scripted',
    observedAt: iso(-3),
    fiveHour: { utilization: fiveHour, resetsAt: iso(90), status: null, windowMinutes: 300 },
    weekly: { utilization: 0.3, resetsAt: iso(3 * 1440), status: null, windowMinutes: 10080 },
    rejected: null,
    ...over,
  };
}

interface Setup {
  repo: string;
  ledger: UsageLedger;
  ports: TestPorts;
}

function setup(scenario: unknown, config: Record<string, unknown> = {}, seed: [string, RateLimits][] = []): Setup {
  const repo = makeRepo(SAMPLE);
  const ledger = new UsageLedger(tempDir('duo-home-'));
  for (const [agent, limits] of seed) ledger.append(line({ agent, at: limits.observedAt, limits, repo: '/elsewhere' }));
  const ports = enginePorts(repo, scenario, { config });
  ports.budget = new Budget(ledger, ports.config, { claude: 'claude', codex: 'codex' });
  return { repo, ledger, ports };
}

async function run(s: Setup, task: string, mode: 'auto' | 'pair' = 'auto'): Promise<RunState> {
  const state = createRunState(
    s.ports,
    { task, mode, options: { verify: [], includeUncommitted: false, apply: false } },
    s.repo,
  );
  s.ports.store.save(state);
  return executeRun(s.ports, state);
}

const ledgerLines = (s: Setup, runId: string) =>
  s.ledger.read(new Date(Date.now() - 86_400_000)).lines.filter((l) => l.runId === runId);

describe('auto mode routes by headroom', () => {
  it("claude over the threshold and codex not: a risky task is inverted, and the report's header says why", async () => {
    const s = setup(
      {
        agents: {
          claude: {
            brief: [{ answer: { task: 'fix the invoice rounding', acceptance: ['x() is 2'], risk: 'high' } }],
            report: [{ answer: { summary: 'codex fixed it; the gate is green.' } }],
          },
          codex: {
            plan: [plan()],
            critique: [critique('approve')],
            implement: [green()],
            review: [critique('approve')],
          },
        },
      },
      {},
      [
        ['claude', figures(0.91)],
        ['codex', figures(0.2)],
      ],
    );
    const state = await run(s, 'fix the invoice rounding in x');
    expect(state.status).toBe('green');
    expect(state.mode).toBe('invert');
    expect(state.roles).toMatchObject({ driver: 'codex', dispatcher: 'claude' });
    expect(state.triage?.headroom?.map((h) => [h.agent, h.level])).toEqual([
      ['claude', 'tight'],
      ['codex', 'room'],
    ]);
    const header = report(s.ports, state).split('\n## ')[0] as string;
    expect(header).toMatch(
      /\*\*Routing:\*\* touches money \("invoice"\): full pair; claude is over the 80% mark \(five-hour 91%/,
    );
    expect(header).toMatch(/codex has room \(five-hour 20%/);
    expect(header).toMatch(/inverted — codex does the heavy work, claude only briefs and reports/);
    // Every call of the run reached the per-user ledger, with its tokens and the repo it ran in.
    const lines = ledgerLines(s, state.runId);
    expect(lines.map((l) => l.agent).sort()).toEqual(['claude', 'claude', 'codex', 'codex', 'codex', 'codex']);
    expect(lines.every((l) => l.repo === s.repo && l.inputTokens > 0 && l.failure === null)).toBe(true);
  });

  it('the agreed plan touches a migration: a one-agent run is upgraded to the pair, journaled, and a resume replays it', async () => {
    const migrationPlan = plan();
    migrationPlan.answer.files.push({ path: 'db/migrations/002_add_index.sql', change: 'new index' });
    const scenario = {
      agents: {
        claude: { plan: [migrationPlan], implement: [green()] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    };
    const s = setup(scenario);
    const state = await run(s, 'tidy up the helpers in x');
    expect(state.triage?.mode).toBe('solo'); // the task alone looked low-risk
    expect(state.mode).toBe('pair');
    expect(state.roles).toMatchObject({ driver: 'claude', skeptic: 'codex' });
    expect(state.steps['triage/plan-paths']).toBeDefined();
    expect(state.steps['plan/r1/critique']).toBeDefined(); // the skeptic saw the plan before any code
    expect(state.steps['review/r1/review']).toBeDefined();
    expect(state.triage?.upgrade).toMatchObject({
      from: 'solo',
      to: 'pair',
      paths: [{ path: 'db/migrations/002_add_index.sql', label: 'migration' }],
    });
    expect(report(s.ports, state)).toMatch(
      /\*\*Upgraded after the plan:\*\* solo → pair — the agreed plan touches db\/migrations\/002_add_index.sql \(migration\)/,
    );
    expect(state.status).toBe('green');

    // Replay from the journal: same decision, no agent is asked again (the scenario has no second answers).
    const again = await resumeRun(enginePorts(s.repo, scenario), state.runId);
    expect(again).toMatchObject({ status: 'green', mode: 'pair' });
    expect(Object.keys(again.steps).sort()).toEqual(Object.keys(state.steps).sort());
    expect(again.triage?.upgrade?.to).toBe('pair');
  });

  it('the upgrade needs the other agent: when it is out, the run stays one agent and the report says why', async () => {
    const migrationPlan = plan();
    migrationPlan.answer.files.push({ path: 'prisma/schema.prisma', change: 'add a column' });
    const s = setup({ agents: { claude: { plan: [migrationPlan], implement: [green()] } } }, {}, [
      ['codex', figures(1, { rejected: { window: 'five_hour', resetsAt: iso(60) } })],
    ]);
    const state = await run(s, 'tidy up the helpers in x');
    expect(state.mode).toBe('solo');
    expect(state.triage?.upgrade).toMatchObject({ to: 'solo' });
    expect(state.triage?.upgrade?.reason).toMatch(/codex is out until .*: it stays one agent/);
    expect(state.status).toBe('green');
  });
});

describe('a reached limit pauses the run, resumably', () => {
  it('the driver is rate-limited until a reset mid-run: paused with the reset time, not failed; resume finishes it', async () => {
    const resetAt = iso(95);
    const limited = figures(1, { rejected: { window: 'five_hour', resetsAt: resetAt } });
    const s = setup({
      agents: {
        claude: {
          plan: [plan()],
          implement: [{ ...green(), fail: 'rate-limited', failTimes: 1, resetAt, limits: limited }],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    const paused = await run(s, 'change x', 'pair');
    expect(paused.status).toBe('paused');
    expect(paused.pause).toMatchObject({ agent: 'claude', until: resetAt });
    expect(paused.finishedAt).toBeNull();
    expect(paused.error).toBeNull();
    expect(paused.steps['plan/r1/critique']).toBeDefined();
    expect(paused.steps['implement/driver']).toBeUndefined();
    expect(report(s.ports, paused).split('\n')[0]).toMatch(/PAUSED — claude cannot be called until \d\d:\d\d/);
    // Not retried: one attempt, and the ledger learnt when claude has room again.
    const failed = ledgerLines(s, paused.runId).filter((l) => l.failure);
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      agent: 'claude',
      failure: 'rate-limited',
      limits: { rejected: { resetsAt: resetAt } },
    });
    expect(s.ports.budget?.headroom('claude').level).toBe('out');

    const resumed = await resumeRun(s.ports, paused.runId);
    expect(resumed).toMatchObject({ status: 'green', pause: null });
  });

  it('a spend cap reached today: the run pauses before the call, until the day turns', async () => {
    const s = setup(
      {
        agents: {
          claude: { plan: [plan()], implement: [green()] },
          codex: { critique: [critique('approve')], review: [critique('approve')] },
        },
      },
      { budget: { caps: { claude: { tokensPerDay: 500 } } } },
    );
    s.ledger.append(line({ at: new Date().toISOString(), inputTokens: 400, outputTokens: 150 }));
    const paused = await run(s, 'change x', 'pair');
    expect(paused.status).toBe('paused');
    expect(paused.pause).toMatchObject({ agent: 'claude', until: endOfDay(new Date()).toISOString() });
    expect(paused.pause?.reason).toMatch(/spend cap/);
    expect(Object.keys(paused.steps).some((k) => k.startsWith('plan/'))).toBe(false);
  });

  it('both agents out when the run is created: it waits; resumed once one has room, it routes afresh', async () => {
    const s = setup(
      {
        agents: {
          codex: {
            plan: [plan()],
            critique: [critique('approve')],
            implement: [green()],
            review: [critique('approve')],
          },
        },
      },
      {},
      [
        ['claude', figures(1, { rejected: { window: 'five_hour', resetsAt: iso(120) } })],
        ['codex', figures(1, { rejected: { window: 'five_hour', resetsAt: iso(30) } })],
      ],
    );
    const waiting = await run(s, 'fix the payment retry in x');
    expect(waiting.status).toBe('paused');
    expect(waiting.triage?.wait?.until).toBe(waiting.pause?.until);
    expect(waiting.pause?.until).toBe(
      s.ledger.read(new Date(0)).lines.find((l) => l.agent === 'codex')?.limits?.rejected?.resetsAt,
    );
    // Codex reports room again (as a later call of another run would record it).
    s.ledger.append(line({ agent: 'codex', at: iso(0), limits: { ...figures(0.1), observedAt: iso(0) } }));
    const resumed = await resumeRun(s.ports, waiting.runId);
    expect(resumed).toMatchObject({ status: 'green', mode: 'invert', roles: { driver: 'codex', dispatcher: null } });
    expect(resumed.triage?.wait).toBeNull();
  });
});
