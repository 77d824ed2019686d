import { describe, expect, it } from 'vitest';
import { executeRun, resumeRun } from '../../src/protocol/engine.js';
import type { ProgressEvent } from '../../src/protocol/run-events.js';
import { enginePorts, makeRepo, report, runScenario, SAMPLE } from '../support/harness.js';
import { answers, BAD_X, critique, finding, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/** The protocol on scripted agents, with the real engine, real git worktrees and the real verify gate. */
const green = () => work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST });

describe('plan phase', () => {
  it('converges when the skeptic approves after a revision', async () => {
    const repo = makeRepo(SAMPLE);
    const { state } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          revise: [plan([{ findingId: 'P1', action: 'fix', note: 'handled' }])],
          implement: [green()],
        },
        codex: {
          critique: [
            critique('revise', [finding('P1', 'major')]),
            critique('approve', [], [{ findingId: 'P1', status: 'resolved', note: 'ok' }]),
          ],
          review: [critique('approve')],
        },
      },
    });
    expect(state.planConverged).toBe(true);
    expect(state.findings.map((f) => [f.id, f.resolution])).toEqual([['P1', 'fixed']]);
    expect(state.disagreements).toEqual([]);
    expect(state.status).toBe('green');
  });

  it('stops at the round cap and records what stays disputed', async () => {
    const repo = makeRepo(SAMPLE);
    const held = { findingId: 'P1', status: 'hold' as const, note: 'still wrong' };
    const fix = plan([{ findingId: 'P1', action: 'fix', note: 'tried again' }]);
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: { plan: [plan()], revise: [fix, fix], implement: [green()] },
        codex: {
          critique: [
            critique('revise', [finding('P1', 'major')]),
            critique('revise', [], [held]),
            critique('revise', [], [held]),
          ],
          review: [critique('approve')],
        },
      },
    });
    expect(state.planConverged).toBe(false);
    // Three critiques = the default cap of 3 rounds; no fourth was asked for.
    expect(Object.keys(state.steps).filter((k) => k.startsWith('plan/') && k.endsWith('/critique'))).toHaveLength(3);
    expect(state.findings[0]?.resolution).toBe('open');
    expect(state.disagreements).toHaveLength(1);
    expect(state.disagreements[0]?.outcome).toMatch(/unresolved after 3 round/);
    expect(report(ports, state)).toContain('P1');
  });

  it('turns a disputed blocker into a card: awaiting-decision, then decide and resume finish the run', async () => {
    const repo = makeRepo(SAMPLE);
    const scenario = {
      agents: {
        claude: {
          plan: [plan()],
          revise: [plan([{ findingId: 'P1', action: 'rebut', note: 'the lock is not needed: single writer' }])],
          implement: [green()],
        },
        codex: {
          critique: [
            critique('reject', [
              finding('P1', 'blocker', 'two writers race on the balance', 'double-spend of customer money'),
            ]),
            critique('reject', [], [{ findingId: 'P1', status: 'hold', note: 'the cron job is a second writer' }]),
          ],
          review: [critique('approve')],
        },
      },
    };
    const { state } = await runScenario(repo, scenario);
    expect(state.status).toBe('awaiting-decision');
    expect(state.cards).toHaveLength(1);
    const card = state.cards[0]!;
    expect(card.question).toContain('two writers race');
    expect(card.driverPosition).toContain('single writer');
    expect(card.skepticPosition).toContain('cron job');
    expect(card.stakes).toContain('double-spend');
    // No code was written while waiting.
    expect(state.steps['implement/driver']).toBeUndefined();

    // What `duo decide` does, then `duo resume`.
    state.decisions.push({
      cardId: card.id,
      pick: 'skeptic',
      text: '',
      decidedAt: new Date().toISOString(),
      by: 'test',
    });
    const ports = enginePorts(repo, scenario);
    ports.store.save(state);
    const resumed = await resumeRun(ports, state.runId);
    expect(resumed.status).toBe('green');
    expect(resumed.findings[0]?.resolution).toBe('escalated');
    expect(resumed.findings[0]?.decision).toMatch(/^skeptic/);
    const implementPrompt = ports.store.readText(state.runId, 'events.jsonl');
    expect(implementPrompt).toContain('implement/driver');
  });
});

describe('review phase', () => {
  it('ends every finding in a resolution: fixed (with its commit), rebutted, escalated', async () => {
    const repo = makeRepo(SAMPLE);
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [work({ 'src/x.js': GOOD_X })],
          'answer-findings': [
            answers(
              [
                { findingId: 'R1', action: 'fix', note: 'added the test' },
                { findingId: 'R2', action: 'rebut', note: 'the name matches the plan' },
                { findingId: 'R3', action: 'escalate', note: 'product decision' },
              ],
              { 'test/x.test.js': PASSING_TEST },
            ),
          ],
        },
        codex: {
          critique: [critique('approve')],
          review: [
            critique('revise', [
              finding('R1', 'major', 'no test'),
              finding('R2', 'minor', 'rename'),
              finding('R3', 'minor', 'pricing'),
            ]),
          ],
          recheck: [
            critique(
              'approve',
              [],
              [
                { findingId: 'R1', status: 'resolved', note: 'test added' },
                { findingId: 'R2', status: 'accept-rebuttal', note: 'fair' },
              ],
            ),
          ],
        },
      },
    });
    const byId = Object.fromEntries(state.findings.map((f) => [f.id, f]));
    expect(byId.R1?.resolution).toBe('fixed');
    expect(byId.R1?.fixCommit).toMatch(/^[0-9a-f]{40}$/);
    expect(byId.R2?.resolution).toBe('rebutted');
    expect(byId.R3?.resolution).toBe('escalated');
    expect(state.findings.every((f) => ['fixed', 'rebutted', 'escalated', 'open'].includes(f.resolution))).toBe(true);
    expect(state.disagreements.map((d) => d.findingId).sort()).toEqual(['R2', 'R3']);
    const md = ports.store.readText(state.runId, 'disagreements.md') ?? '';
    expect(md).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC · review · R2/);
    expect(state.status).toBe('green');
  });

  it('escalates a rebuttal the skeptic holds', async () => {
    const repo = makeRepo(SAMPLE);
    const { state } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [green()],
          'answer-findings': [answers([{ findingId: 'R1', action: 'rebut', note: 'inputs are trusted' }])],
        },
        codex: {
          critique: [critique('approve')],
          review: [critique('revise', [finding('R1', 'major', 'unvalidated input')])],
          recheck: [
            critique('revise', [], [{ findingId: 'R1', status: 'hold', note: 'they come from the HTTP body' }]),
          ],
        },
      },
    });
    expect(state.findings[0]?.resolution).toBe('escalated');
    expect(state.disagreements[0]?.outcome).toMatch(/held its finding/);
    expect(state.disagreements[0]?.skeptic).toContain('HTTP body');
  });
});

describe('a human decision on a review finding', () => {
  /**
   * card-R1: the skeptic's blocker R1, rebutted by the driver, held by the skeptic. The human sides with the
   * skeptic; the driver's change for it must go through the skeptic's re-check like any other fix.
   */
  const decided = (recheck: 'resolved' | 'hold') => ({
    agents: {
      claude: {
        plan: [plan()],
        implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })],
        'answer-findings': [
          answers([{ findingId: 'R1', action: 'rebut', note: 'x is internal' }]),
          answers([{ findingId: 'R1', action: 'fix', note: 'x is no longer exported' }], {
            'src/x.js': 'export function x() {\n  return 2;\n}\nexport const internal = true;\n',
          }),
        ],
      },
      codex: {
        critique: [critique('approve')],
        review: [critique('revise', [finding('R1', 'blocker', 'x is exported without auth', 'anyone can call it')])],
        recheck: [
          critique('revise', [], [{ findingId: 'R1', status: 'hold', note: 'it is in the public index' }]),
          critique(
            recheck === 'resolved' ? 'approve' : 'revise',
            recheck === 'resolved' ? [] : [finding('R9', 'minor', 'the flag is never read')],
            [
              recheck === 'resolved'
                ? { findingId: 'R1', status: 'resolved', note: 'x is behind the auth check now' }
                : { findingId: 'R1', status: 'hold', note: 'x is still in the public index' },
            ],
          ),
        ],
      },
    },
  });

  async function decideForSkeptic(recheck: 'resolved' | 'hold') {
    const repo = makeRepo(SAMPLE);
    const scenario = decided(recheck);
    const { state } = await runScenario(repo, scenario, { verify: ['node --test'] });
    expect(state.status).toBe('awaiting-decision');
    state.decisions.push({
      cardId: 'card-R1',
      pick: 'skeptic',
      text: '',
      decidedAt: new Date().toISOString(),
      by: 't',
    });
    const ports = enginePorts(repo, scenario, { verify: ['node --test'] });
    ports.store.save(state);
    const resumed = await resumeRun(ports, state.runId);
    return { resumed, ports };
  }

  it('the driver’s change is re-checked by the skeptic before the gate; carried out, the finding reads fixed', async () => {
    const { resumed, ports } = await decideForSkeptic('resolved');
    expect(resumed.status).toBe('green');
    const steps = Object.keys(resumed.steps);
    // The re-check comes after the driver's change and before the gate.
    expect(steps.indexOf('review/decisions/recheck')).toBeGreaterThan(steps.indexOf('review/decisions'));
    expect(steps.indexOf('verify/a1/gate')).toBeGreaterThan(steps.indexOf('review/decisions/recheck'));
    const r1 = resumed.findings.find((f) => f.id === 'R1');
    expect(r1).toMatchObject({ resolution: 'fixed', decision: expect.stringMatching(/^skeptic/) });
    const fix = resumed.steps['review/decisions']?.result as { commit: string } | undefined;
    expect(fix?.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(r1?.fixCommit).toBe(fix?.commit);
    expect(r1?.history.map((h) => h.event)).toEqual([
      'raised',
      'driver-rebut',
      'skeptic-hold',
      'human-decision',
      'skeptic-resolved',
    ]);
    expect(resumed.disagreements[0]?.outcome).toContain('re-checked the change made for the decision: fixed');
    // The skeptic saw the fix diff and the human's decision.
    const events = ports.store.readText(resumed.runId, 'events.jsonl') ?? '';
    expect(events).toContain('"step":"review/decisions/recheck"');
    expect(report(ports, resumed)).toMatch(/\| R1 \| review \| blocker \| x is exported without auth \| fixed/);
  });

  it('not carried out, it stays escalated and says why; what the re-check newly raised is kept, open', async () => {
    const { resumed } = await decideForSkeptic('hold');
    const r1 = resumed.findings.find((f) => f.id === 'R1');
    expect(r1?.resolution).toBe('escalated');
    expect(resumed.disagreements.find((d) => d.findingId === 'R1')?.outcome).toContain(
      'still escalated — the skeptic holds that the change does not carry the decision out: x is still in the public index',
    );
    expect(resumed.findings.find((f) => f.id === 'R9')).toMatchObject({ resolution: 'open', phase: 'review' });
    expect(resumed.disagreements.find((d) => d.findingId === 'R9')?.outcome).toContain(
      'raised at the re-check of the change made for the human decision',
    );
  });
});

describe('verify gate', () => {
  it('goes red, the driver fixes, the skeptic reviews the fix, and it goes green', async () => {
    const repo = makeRepo(SAMPLE);
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [work({ 'src/x.js': BAD_X, 'test/x.test.js': PASSING_TEST })],
          diagnose: [work({ 'src/x.js': GOOD_X })],
        },
        codex: { critique: [critique('approve')], review: [critique('approve'), critique('approve')] },
      },
    });
    expect(state.verify.map((v) => v.status)).toEqual(['red', 'green']);
    expect(state.steps['verify/a1/review']).toBeDefined();
    expect(state.status).toBe('green');
    const md = report(ports, state);
    expect(md).toContain('Verify attempt 1: RED');
    expect(md).toMatch(/exit 1/);
    expect(md).toContain('Verify attempt 2: GREEN');
  });

  it('does not count a test command that ran no tests as green', async () => {
    const repo = makeRepo({ ...SAMPLE, 'test/.keep': '' });
    const { state } = await runScenario(repo, {
      agents: {
        claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X })], diagnose: [work({}), work({})] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    const last = state.verify.at(-1)!;
    expect(last.results[0]?.exitCode).toBe(0);
    expect(last.results[0]?.noTestsRan).toBe(true);
    expect(state.status).toBe('red');
  });

  it('is unverified, never green, when there is nothing to run', async () => {
    const repo = makeRepo({ 'src/x.js': 'export const x = 1;\n' });
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.status).toBe('unverified');
    expect(state.verify[0]?.results).toEqual([]);
    expect(report(ports, state)).toContain('UNVERIFIED');
  });

  it('goes red on failing code whatever the agent claims, with the failing output in the report', async () => {
    const repo = makeRepo(SAMPLE);
    const { state, ports } = await runScenario(repo, {
      agents: {
        claude: {
          plan: [plan()],
          implement: [
            work({ 'src/x.js': BAD_X, 'test/x.test.js': PASSING_TEST }, ['I ran npm test: all 12 tests pass.']),
          ],
          diagnose: [work({}, ['Fixed, tests pass now.']), work({}, ['Definitely passing.'])],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    expect(state.status).toBe('red');
    expect(state.verify).toHaveLength(3);
    const md = report(ports, state);
    expect(md).toContain('RED');
    expect(md).toMatch(/3 !== 2|Expected values to be strictly equal/);
    expect(md).toContain('I ran npm test: all 12 tests pass.');
  });
});

describe('runs are resumable', () => {
  it('an interrupted run resumes to the same outcome as an uninterrupted one', async () => {
    const scenario = {
      agents: {
        claude: { plan: [plan()], implement: [{ ...green(), delayMs: 400 }] },
        codex: { critique: [critique('approve', [finding('P1', 'minor')])], review: [critique('approve')] },
      },
    };
    const whole = (await runScenario(makeRepo(SAMPLE), scenario)).state;

    const repo = makeRepo(SAMPLE);
    const controller = new AbortController();
    // Interrupt while the driver implements (a scripted 400 ms call): after the plan is journaled, before the code.
    const progress = (e: ProgressEvent) => {
      if (e.type === 'agent' && e.purpose === 'implement' && e.state === 'start') controller.abort();
    };
    const { state: stopped } = await runScenario(repo, scenario, { signal: controller.signal, progress });
    expect(stopped.status).toBe('interrupted');
    expect(stopped.steps['plan/r1/critique']).toBeDefined();
    expect(stopped.steps['implement/driver']).toBeUndefined();

    const resumed = await resumeRun(enginePorts(repo, scenario), stopped.runId);
    const shape = (s: typeof whole) => ({
      status: s.status,
      steps: Object.keys(s.steps).sort(),
      findings: s.findings.map((f) => [f.id, f.resolution]),
      verify: s.verify.map((v) => v.status),
    });
    expect(shape(resumed)).toEqual(shape(whole));
  });
});

void executeRun;
