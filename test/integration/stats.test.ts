import { describe, expect, it } from 'vitest';
import { DEMO_TASK, demoScenario, SAMPLE_REPO } from '../../src/demo/sample.js';
import type { RunFacts } from '../../src/record/index-shapes.js';
import { runFacts } from '../../src/record/run-facts.js';
import { summarise, trackRecord } from '../../src/record/stats.js';
import { makeRepo, runScenario } from '../support/harness.js';

/**
 * The skeptic's track record: facts taken from real engine runs (the demo's scripted pair, where the driver claims
 * the tests pass and the gate says otherwise, and tries to bend a test), and the sums over many runs.
 */
describe('the facts duo stats counts, from a real run', () => {
  it('the demo run: findings with their outcomes, claims and an approval the gate contradicted, a bent test', async () => {
    const repo = makeRepo(SAMPLE_REPO);
    const { state } = await runScenario(repo, demoScenario(), { task: DEMO_TASK });
    const facts = runFacts(state);
    expect(facts.driver).toEqual({ agent: 'claude', model: 'default' });
    const byId = (resolution: string) => facts.findings.filter((f) => f.resolution === resolution).length;
    expect(facts.findings.every((f) => f.reviewer.agent === 'codex' && !f.reviewer.own)).toBe(true);
    expect(byId('fixed')).toBeGreaterThan(0);
    expect(byId('rebutted')).toBeGreaterThan(0);
    // "All tests pass." then red; "npm test passes now." (after dropping the failing test) then red again.
    expect(facts.claims).toEqual({ made: 2, contradicted: 2 });
    // The driver's edit to the test script was reverted by duo.
    expect(facts.bent).toBeGreaterThan(0);
    expect(facts.approvals.some((a) => a.contradicted)).toBe(true);
    // And the same facts come back from the index.
    const record = await trackRecord({ repoRoot: repo });
    expect(record.runs).toBe(1);
    expect(record.drivers[0]).toMatchObject({ agent: 'claude', claims: { made: 2, contradicted: 2 } });
  });
});

const reviewer = { agent: 'codex', model: 'gpt-5.5', own: false };
function run(over: Partial<RunFacts>): RunFacts {
  return {
    v: 2,
    createdAt: '2026-03-01T00:00:00.000Z',
    mode: 'pair',
    status: 'green',
    driver: { agent: 'claude', model: 'sonnet' },
    findings: [],
    approvals: [],
    claims: { made: 0, contradicted: 0 },
    bent: 0,
    decisions: [],
    declined: [],
    rulesCited: [],
    ...over,
  };
}
const f = (resolution: string, confidence: number | null, decided: 'driver' | 'skeptic' | 'custom' | null = null) => ({
  reviewer,
  phase: 'review',
  severity: 'major',
  resolution,
  confidence,
  decided,
  category: null,
  fingerprint: `fp-${resolution}`,
  panel: null,
});

describe('the sums', () => {
  it('per reviewer and model: severities, outcome shares, contradicted approvals, precision by confidence band', async () => {
    const s = summarise([
      run({
        findings: [f('fixed', 0.9), f('fixed', 0.85), f('rebutted', 0.9), f('escalated', 0.6, 'skeptic')],
        approvals: [{ reviewer, contradicted: true }],
      }),
      run({
        findings: [f('rebutted', 0.3), f('escalated', 0.4, 'driver'), f('open', null), f('fixed', null)],
        approvals: [{ reviewer, contradicted: false }],
      }),
      run({ findings: [{ ...f('fixed', 0.9), reviewer: { ...reviewer, own: true } }] }),
    ]);
    const [cross, own] = s.reviewers;
    expect(cross).toMatchObject({ agent: 'codex', model: 'gpt-5.5', ownCode: false, runs: 2, findings: 8 });
    expect(cross?.bySeverity.major).toBe(8);
    expect(cross?.outcomes).toEqual({ fixed: 3, rebutted: 2, escalated: 2, open: 1, repeat: 0, suggestion: 0 });
    expect(cross?.shares).toEqual({ fixed: 3 / 8, falseAlarms: 2 / 8, escalated: 2 / 8, open: 1 / 8 });
    expect(cross?.approvals).toEqual({ total: 2, contradicted: 1 });
    const band = (b: string) => cross?.precision.find((p) => p.band === b);
    expect(band('≥ 0.8')).toMatchObject({ findings: 3, real: 2, falseAlarms: 1, precision: 2 / 3 });
    expect(band('0.5–0.8')).toMatchObject({ findings: 1, real: 1, falseAlarms: 0, precision: 1 });
    expect(band('< 0.5')).toMatchObject({ findings: 2, real: 0, falseAlarms: 2, precision: 0 });
    expect(band('not given')).toMatchObject({ findings: 2, real: 1, falseAlarms: 0, precision: 1 });
    // Reviewing its own code (invert) is counted apart.
    expect(own).toMatchObject({ ownCode: true, findings: 1 });
    expect(s.anchors.map((a) => a.source)).toEqual(['arXiv 2603.15911', 'arXiv 2412.18531']);
  });

  it('adoption per category and severity, over the findings up for it; panel catches per reviewer', async () => {
    const claude = { agent: 'claude', model: 'opus', own: true };
    const g = (
      resolution: string,
      category: string | null,
      severity = 'major',
      over: Partial<RunFacts['findings'][number]> = {},
    ) => ({ ...f(resolution, null), category, severity, ...over });
    const s = summarise([
      run({
        findings: [
          g('fixed', 'correctness'),
          g('escalated', 'correctness', 'major', { decided: 'skeptic' }),
          g('rebutted', 'correctness', 'blocker'),
          g('rebutted', 'naming', 'minor'),
          g('repeat', 'naming', 'minor'),
          g('suggestion', 'style', 'nit'),
          g('fixed', null, 'minor'),
          // A panel: one caught by both, one only by codex (fixed), one only by claude (rebutted).
          g('fixed', 'security', 'major', { panel: 'both' }),
          { ...g('fixed', 'security', 'major', { panel: 'both' }), reviewer: claude },
          g('fixed', 'tests', 'minor', { panel: 'only' }),
          { ...g('rebutted', 'tests', 'minor', { panel: 'only' }), reviewer: claude },
        ],
      }),
    ]);
    const codex = s.reviewers.find((r) => r.agent === 'codex')!;
    // Codex raised 9; a repeat and a suggestion were never up for adoption: 7 were, and 5 adopted.
    expect(codex.adoption).toEqual({ findings: 7, adopted: 5, share: 5 / 7 });
    expect(codex.outcomes).toMatchObject({ repeat: 1, suggestion: 1 });
    const cell = (category: string, severity: string) =>
      codex.adoptionBy.find((c) => c.category === category && c.severity === severity);
    expect(cell('correctness', 'major')).toEqual({
      category: 'correctness',
      severity: 'major',
      findings: 2,
      adopted: 2,
      share: 1,
    });
    expect(cell('correctness', 'blocker')).toMatchObject({ findings: 1, adopted: 0, share: 0 });
    expect(cell('naming', 'minor')).toMatchObject({ findings: 1, adopted: 0 });
    expect(cell('uncategorised', 'minor')).toMatchObject({ findings: 1, adopted: 1 });
    expect(cell('style', 'nit')).toBeUndefined();
    expect(codex.panel).toEqual({ findings: 2, both: 1, only: 1, unique: { findings: 1, adopted: 1, share: 1 } });
    const own = s.reviewers.find((r) => r.agent === 'claude')!;
    expect(own.panel).toEqual({ findings: 2, both: 1, only: 1, unique: { findings: 1, adopted: 0, share: 0 } });
  });

  it('per driver: claims and bent tests; per human: which side their decisions took', async () => {
    const s = summarise([
      run({ claims: { made: 1, contradicted: 1 }, bent: 2, decisions: [{ human: 'ana', pick: 'skeptic' }] }),
      run({ claims: { made: 1, contradicted: 0 }, decisions: [{ human: 'ana', pick: 'driver' }] }),
      run({
        decisions: [
          { human: 'bo', pick: 'custom' },
          { human: 'ana', pick: 'skeptic' },
        ],
      }),
    ]);
    expect(s.drivers).toEqual([
      { agent: 'claude', model: 'sonnet', runs: 3, claims: { made: 2, contradicted: 1 }, bent: { edits: 2, runs: 1 } },
    ]);
    expect(s.humans).toEqual([
      { human: 'ana', decisions: 3, driver: 1, skeptic: 2, own: 0 },
      { human: 'bo', decisions: 1, driver: 0, skeptic: 0, own: 1 },
    ]);
  });
});
