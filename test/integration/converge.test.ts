import { describe, expect, it } from 'vitest';
import { makeRepo, report, runScenario, SAMPLE, type SentPrompt } from '../support/harness.js';
import { answers, critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * Reviews that converge: a re-review gets the fix diff and the open threads, never the whole change again; findings
 * below the severity floor, nits both agents agree on and categories the reviewer is rarely adopted in are
 * suggestions with no fix round; house rules reach the prompts and the report says which ones applied.
 */
type Sev = 'blocker' | 'major' | 'minor' | 'nit';
const f = (id: string, severity: Sev, claim: string, over: Record<string, unknown> = {}) => ({
  id,
  severity,
  file: 'src/x.js',
  line: 2,
  claim,
  evidence: `evidence for ${id}`,
  stakes: null,
  ...over,
});
const found = (...findings: ReturnType<typeof f>[]) => ({
  answer: { verdict: 'revise', summary: 'r', findings, rechecks: [] },
});
const recheck = (
  rechecks: { findingId: string; status: 'resolved' | 'accept-rebuttal' | 'hold' }[],
  findings: ReturnType<typeof f>[] = [],
) =>
  critique(
    'approve',
    findings,
    rechecks.map((r) => ({ ...r, note: `${r.status} ${r.findingId}` })),
  );
const FIXED_X = 'export function x() {\n  return 2; // the fixed line\n}\n';

function run(claude: object, codex: object) {
  return {
    agents: {
      claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })], ...claude },
      codex: { critique: [critique('approve')], ...codex },
    },
  };
}

describe('the re-review', () => {
  const s = run(
    {
      'answer-findings': [
        answers([{ findingId: 'R1', action: 'fix', note: 'marked' }], { 'src/x.js': FIXED_X }),
        answers([{ findingId: 'R2', action: 'rebut', note: 'the test covers it' }]),
      ],
    },
    {
      review: [
        found(f('R1', 'major', 'x has no comment on its constant'), f('R2', 'major', 'x is never tested with inputs')),
      ],
      recheck: [
        recheck([{ findingId: 'R1', status: 'resolved' }]),
        recheck([{ findingId: 'R2', status: 'accept-rebuttal' }]),
      ],
    },
  );

  for (const noResume of [false, true])
    it(`gets the fix diff and the threads still open, not the whole change (${noResume ? 'a fresh session' : 'resumed'})`, async () => {
      const prompts: SentPrompt[] = [];
      const { state } = await runScenario(makeRepo(SAMPLE), s, { prompts, noResume, verify: ['node --test'] });
      expect(state.findings.map((e) => e.resolution)).toEqual(['fixed', 'rebutted']);
      const [first, second] = prompts.filter((p) => p.purpose === 'recheck');
      expect(first?.resumed).toBe(!noResume);
      // The fix: its diff is there; the test file the first review saw in full is not sent again.
      expect(first?.prompt).toContain('+  return 2; // the fixed line');
      expect(first?.prompt).not.toContain("test('x'");
      expect(prompts.find((p) => p.purpose === 'review')?.prompt).toContain("test('x'");
      // R2 was not answered in round 1: named as still open, without asking for its re-check.
      expect(first?.prompt).toMatch(
        /STILL OPEN \(not answered this round; no re-check needed\):\n\[R2\] x is never tested/,
      );
      expect(second?.prompt).toContain('(no code changed)');
    });
});

describe('the severity floor and nits', () => {
  it('a finding below review.minSeverity is a suggestion: no fix round; a round raising only those ends the loop', async () => {
    const { state, ports } = await runScenario(
      makeRepo(SAMPLE),
      run(
        { 'answer-findings': [answers([{ findingId: 'R1', action: 'fix', note: 'done' }], { 'src/x.js': FIXED_X })] },
        {
          review: [found(f('R1', 'major', 'x returns a magic number'), f('R2', 'nit', 'prefer an arrow function'))],
          // The re-check resolves R1 and raises only a minor point: below a "major" floor, so no second round.
          recheck: [
            recheck([{ findingId: 'R1', status: 'resolved' }], [
              f('R3', 'minor', 'the comment could be shorter'),
            ] as never),
          ],
        },
      ),
      { verify: ['node --test'], config: { review: { minSeverity: 'major' } } },
    );
    expect(state.status).toBe('green');
    expect(state.findings.map((e) => [e.id, e.resolution])).toEqual([
      ['R1', 'fixed'],
      ['R2', 'suggestion'],
      ['R3', 'suggestion'],
    ]);
    expect(Object.keys(state.steps).filter((k) => k.startsWith('review/'))).toEqual([
      'review/r1/review',
      'review/r1/answer',
      'review/r1/recheck',
    ]);
    expect(state.findings[1]?.suggestion).toBe('below the severity floor (review.minSeverity: major)');
    expect(report(ports, state)).toContain('## Suggestions (no fix round)\n- **R2** (nit) prefer an arrow function');
  });

  it('the driver marks a nit: a suggestion if the skeptic agrees, answered again if it holds it is a correctness issue', async () => {
    const { state } = await runScenario(
      makeRepo(SAMPLE),
      run(
        {
          'answer-findings': [
            answers([
              { findingId: 'R1', action: 'nit', note: 'a matter of taste' },
              { findingId: 'R2', action: 'nit', note: 'style only' },
            ]),
            answers([{ findingId: 'R2', action: 'fix', note: 'checked now' }], { 'src/x.js': FIXED_X }),
          ],
        },
        {
          review: [
            found(f('R1', 'minor', 'x could be inlined'), f('R2', 'minor', 'x returns 2 where callers expect 3')),
          ],
          recheck: [
            recheck([
              { findingId: 'R1', status: 'accept-rebuttal' },
              { findingId: 'R2', status: 'hold' },
            ]),
            recheck([{ findingId: 'R2', status: 'resolved' }]),
          ],
        },
      ),
      { verify: ['node --test'] },
    );
    const [r1, r2] = state.findings;
    expect(r1?.resolution).toBe('suggestion');
    expect(r1?.suggestion).toMatch(/the driver marked it a nit and the skeptic agreed/);
    expect(r2?.resolution).toBe('fixed');
    // Both stances are kept: the driver's nit, the skeptic's hold, then the fix.
    expect(r2?.history.map((h) => h.event)).toEqual([
      'raised',
      'driver-nit',
      'skeptic-hold',
      'driver-fix',
      'skeptic-resolved',
    ]);
  });
});

describe('demotion by adoption', () => {
  it('review.demoteBelow turns a category the reviewer is rarely adopted in into suggestions; the report says why', async () => {
    const memory = {
      recall: () => ({
        declined: [],
        rules: [],
        adoption: [
          { agent: 'codex', category: 'naming', findings: 12, adopted: 1 },
          { agent: 'codex', category: 'correctness', findings: 12, adopted: 9 },
        ],
      }),
    };
    const { state, ports } = await runScenario(
      makeRepo(SAMPLE),
      run(
        { 'answer-findings': [answers([{ findingId: 'R1', action: 'fix', note: 'done' }], { 'src/x.js': FIXED_X })] },
        {
          review: [
            found(
              f('R1', 'major', 'x returns a magic number', { category: 'correctness' }),
              f('R2', 'major', 'x should be named answer', { category: 'naming' }),
            ),
          ],
          recheck: [recheck([{ findingId: 'R1', status: 'resolved' }])],
        },
      ),
      { verify: ['node --test'], memory, config: { review: { demoteBelow: 0.2, demoteAfter: 10 } } },
    );
    expect(state.findings.map((e) => [e.id, e.resolution])).toEqual([
      ['R1', 'fixed'],
      ['R2', 'suggestion'],
    ]);
    expect(report(ports, state)).toContain(
      "- **Demoted:** codex's naming findings were adopted 1 of 12 times (8%), below review.demoteBelow (20%)",
    );
  });
});

describe('house rules', () => {
  it('reach the plan and review prompts, and the report says which ones a finding or an answer relied on', async () => {
    const prompts: SentPrompt[] = [];
    const memory = {
      recall: () => ({
        declined: [],
        rules: [
          { id: 'H1', text: 'Money stays in integer cents.' },
          { id: 'H2', text: 'Public functions get a JSDoc line.' },
        ],
        adoption: [],
      }),
    };
    const { state, ports } = await runScenario(
      makeRepo(SAMPLE),
      run(
        {
          'answer-findings': [
            answers([{ findingId: 'R1', action: 'rebut', note: 'H1: it is cents already', rule: 'H1' }]),
          ],
        },
        {
          review: [found(f('R1', 'major', 'x has no JSDoc line', { rule: 'H2' }))],
          recheck: [recheck([{ findingId: 'R1', status: 'accept-rebuttal' }])],
        },
      ),
      { verify: ['node --test'], memory, prompts },
    );
    const told = (purpose: string) => prompts.find((p) => p.purpose === purpose)?.prompt ?? '';
    expect(told('plan')).toContain('HOUSE RULES');
    expect(told('plan')).toContain('- [H1] Money stays in integer cents.');
    expect(told('critique')).toContain('- [H2] Public functions get a JSDoc line.');
    // The review session was told them with the plan: its follow-up does not repeat them.
    expect(told('review')).not.toContain('HOUSE RULES');
    expect(report(ports, state)).toContain(
      '**House rules:** 2 given to the agents (.duo/RULES.md); applied: H2 (finding R1); H1 (the answer to R1)',
    );
  });
});
