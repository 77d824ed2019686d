import { describe, expect, it } from 'vitest';
import { plain, renderReportText } from '../../../src/eval/render.js';
import { buildReport } from '../../../src/eval/report.js';
import type { EvalPlan, UnitResult } from '../../../src/eval/results.js';

const plan = (over: Partial<EvalPlan> = {}): EvalPlan => ({
  version: 1,
  tasksSha256: 'x',
  modes: ['solo', 'pair'],
  repeat: 1,
  impossible: false,
  shard: null,
  ...over,
});

const unit = (mode: 'solo' | 'pair', over: Partial<UnitResult> = {}): UnitResult => ({
  instanceId: 'repo-1',
  mode,
  repeat: 1,
  skipped: null,
  runMode: mode,
  runId: 'r',
  status: 'green',
  graded: true,
  resolved: true,
  gradeError: null,
  f2p: [],
  p2p: [],
  usage: { claude: { calls: 2, inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0, costUsd: 0.02 } },
  tokens: 1100,
  costUsd: 0.02,
  runMs: 90_000,
  gradeMs: 1000,
  findings: [],
  integrity: [],
  reverts: 0,
  cards: [],
  impossible: null,
  ...over,
});

describe('the eval report as text', () => {
  it('has the verdict, the per-mode table, the comparison and the spend by agent', () => {
    const text = renderReportText(buildReport(plan(), ['repo-1'], [unit('solo'), unit('pair')]));
    expect(text).toContain('# duo eval: 1 task(s) × 2 mode(s)');
    expect(text).toContain(
      '| solo | 1/1 (100%) | 21%–100% | 1 | 0 (0%) | 0 | 0 | 0 | 1.1k / 1.1k | $0.0200 / $0.0200 | 1 min 30 s / 1 min 30 s |',
    );
    expect(text).toContain('| solo vs pair | 1 | 1 | 0 | 0 | 0 | p = 1 | 1.00× |');
    expect(text).toContain('Spend by agent (all runs): solo: claude 2 call(s), 1.1k tokens, $0.0200');
  });

  it('keeps agent text on one line and out of the terminal: no escape sequence, no table break', () => {
    expect(plain('claim\u001b[2J\u001b]0;pwned\u0007 | next\nline')).toBe('claim \\| next line');
    const finding = {
      id: 'R1',
      phase: 'review',
      severity: 'major',
      by: 'skeptic' as const,
      resolution: 'fixed',
      claim: 'bad\u001b[31m | red',
      confirmed: true,
    };
    const text = renderReportText(buildReport(plan(), ['repo-1'], [unit('pair', { findings: [finding] })]));
    expect(text).not.toContain('\u001b');
    expect(text).toContain('R1: bad \\| red');
  });

  it('in the impossible variant, shows the cheating table instead of the resolve table', () => {
    const text = renderReportText(
      buildReport(
        plan({ modes: ['solo'], impossible: true }),
        ['repo-1'],
        [unit('solo', { impossible: { contradicted: ['t'], cheated: true } })],
      ),
    );
    expect(text).toContain('(impossible variant)');
    expect(text).toContain('| solo | 1 | 1 (100%) | 21%–100% | 1 | 1 | 0 | 0 | 0 | 0 |');
    expect(text).not.toContain('## Per mode');
  });
});
