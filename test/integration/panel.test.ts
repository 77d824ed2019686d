import { describe, expect, it } from 'vitest';
import type { Budget } from '../../src/budget/budget.js';
import { runFacts } from '../../src/record/run-facts.js';
import { makeRepo, report, runScenario, SAMPLE } from '../support/harness.js';
import { answers, critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * `--panel`: both agents review the same diff, independently and at once; the findings are merged into threads
 * (the same finding from both is one), labelled by who caught it, and the driver answers each once. A reviewer that
 * is out of room or fails leaves a single-reviewer review, and the report says so.
 */
const f = (id: string, line: number, claim: string) => ({
  id,
  severity: 'major' as const,
  category: 'correctness',
  file: 'src/x.js',
  line,
  claim,
  evidence: `evidence for ${id}`,
  stakes: null,
});
const review = (findings: ReturnType<typeof f>[], delayMs = 0) => ({
  answer: { verdict: 'revise', summary: 'r', findings, rechecks: [] },
  ...(delayMs ? { delayMs } : {}),
});

// Codex and Claude both see that x returns the wrong value (in their own words, a line apart); each sees one more.
const BOTH_CODEX = f('R1', 2, 'x() returns the wrong constant value for callers');
const BOTH_CLAUDE = f('C1', 3, 'x() returns the wrong constant value');
const CODEX_ONLY = f('R2', 1, 'x is exported without any input validation whatsoever');
const CLAUDE_ONLY = f('C2', 2, 'the test never checks a negative input');

const fixAll = (ids: string[]) =>
  answers(
    ids.map((findingId) => ({ findingId, action: 'fix' as const, note: `fixed ${findingId}` })),
    { 'src/x.js': 'export function x() {\n  return 2; // checked\n}\n' },
  );
const resolved = (ids: string[]) =>
  critique(
    'approve',
    [],
    ids.map((findingId) => ({ findingId, status: 'resolved' as const, note: 'ok' })),
  );

function panelScenario(opts: { codexReview?: object; claudeReview?: object; answered: string[] }) {
  return {
    agents: {
      claude: {
        plan: [plan()],
        implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })],
        review: [opts.claudeReview ?? review([BOTH_CLAUDE, CLAUDE_ONLY], 400)],
        'answer-findings': [fixAll(opts.answered)],
      },
      codex: {
        critique: [critique('approve')],
        review: [opts.codexReview ?? review([BOTH_CODEX, CODEX_ONLY], 400)],
        recheck: [resolved(opts.answered)],
      },
    },
  };
}

describe('a panel review', () => {
  it('merges the two reviews into threads labelled by who caught them; the driver answers each once', async () => {
    const repo = makeRepo(SAMPLE);
    const { state, ports } = await runScenario(repo, panelScenario({ answered: ['R1', 'R2', 'C2'] }), {
      panel: true,
      verify: ['node --test'],
    });
    expect(state.status).toBe('green');
    expect(state.roles.panel).toBe('claude');
    expect(state.findings.map((e) => [e.id, e.panel, e.reviewers, e.resolution])).toEqual([
      ['R1', 'both', ['codex', 'claude'], 'fixed'],
      ['R2', 'codex-only', ['codex'], 'fixed'],
      ['C2', 'claude-only', ['claude'], 'fixed'],
    ]);
    // One answer call for the three threads (it answered R1, R2 and C2; C1 is R1).
    expect(Object.keys(state.steps).filter((k) => k.endsWith('/answer'))).toEqual(['review/r1/answer']);
    expect(state.panel).toEqual({ reviewers: ['codex', 'claude'], unavailable: [] });
    expect(report(ports, state)).toMatch(/\*\*Panel:\*\* codex and claude reviewed the diff independently/);

    // duo stats counts each reviewer's catches: the shared one for both, each unique one for its reviewer.
    const facts = runFacts(state).findings.map((x) => [x.reviewer.agent, x.panel]);
    expect(facts).toEqual([
      ['codex', 'both'],
      ['claude', 'both'],
      ['codex', 'only'],
      ['claude', 'only'],
    ]);

    // Both reviews were in flight at once: each started before the other ended (both take 400 ms).
    const a = state.steps['review/r1/review']!;
    const b = state.steps['review/r1/panel-review']!;
    const [aStart, bStart] = [Date.parse(a.at), Date.parse(b.at)];
    expect(aStart).toBeLessThan(bStart + b.durationMs);
    expect(bStart).toBeLessThan(aStart + a.durationMs);
  });

  it('falls back to the skeptic alone when the other reviewer fails, and says so', async () => {
    const repo = makeRepo(SAMPLE);
    const { state, ports } = await runScenario(
      repo,
      panelScenario({ claudeReview: { fail: 'not-installed' }, answered: ['R1', 'R2'] }),
      { panel: true, verify: ['node --test'] },
    );
    expect(state.status).toBe('green');
    expect(state.findings.map((e) => [e.id, e.panel ?? null, e.resolution])).toEqual([
      ['R1', null, 'fixed'],
      ['R2', null, 'fixed'],
    ]);
    expect(state.panel?.unavailable).toEqual([{ agent: 'claude', why: expect.stringMatching(/was unavailable/) }]);
    expect(report(ports, state)).toMatch(/\*\*Panel:\*\* a single-reviewer review by codex — claude was unavailable/);
  });

  it('falls back to the other reviewer when the skeptic fails: it reviews and re-checks', async () => {
    const repo = makeRepo(SAMPLE);
    const s = panelScenario({ codexReview: { fail: 'not-logged-in' }, answered: ['C1', 'C2'] });
    (s.agents.claude as Record<string, unknown>).recheck = [resolved(['C1', 'C2'])];
    delete (s.agents.codex as Record<string, unknown>).recheck;
    const { state } = await runScenario(repo, s, { panel: true, verify: ['node --test'] });
    expect(state.status).toBe('green');
    expect(state.findings.map((e) => [e.id, e.reviewers, e.resolution])).toEqual([
      ['C1', ['claude'], 'fixed'],
      ['C2', ['claude'], 'fixed'],
    ]);
    // The re-check went to the reviewer that reviewed: claude, in its panel session.
    expect(state.steps['review/r1/recheck']?.result).toMatchObject({ agent: 'claude' });
    expect(state.panel?.unavailable.map((u) => u.agent)).toEqual(['codex']);
  });

  it('leaves out a reviewer that is out of room before it starts', async () => {
    const repo = makeRepo(SAMPLE);
    const budget = {
      capReached: () => null,
      headroom: (agent: string) => ({ agent, level: agent === 'claude' ? 'out' : 'room', why: 'five-hour 97% used' }),
      record: () => {},
    } as unknown as Budget;
    const s = panelScenario({ answered: ['R1', 'R2'] });
    delete (s.agents.claude as Record<string, unknown>).review; // it must not be called at all
    const { state } = await runScenario(repo, s, { panel: true, verify: ['node --test'], budget });
    expect(state.status).toBe('green');
    expect(state.panel).toEqual({
      reviewers: ['codex'],
      unavailable: [{ agent: 'claude', why: 'is out of room (five-hour 97% used)' }],
    });
  });
});
