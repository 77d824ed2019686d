import { describe, expect, it } from 'vitest';
import { judgeReview, readReview } from '../../../src/integrations/stop-gate.js';

/** The review gate's judgement of a finished `duo review --json`: block only on what stands, otherwise let go. */
const result = (over: Record<string, unknown> = {}) =>
  JSON.stringify({
    runId: 'r1',
    status: 'red',
    reportPath: '/x/report.md',
    findings: [],
    verify: [],
    integrity: null,
    error: null,
    ...over,
  });
const finding = (id: string, severity: string, resolution = 'open') => ({
  id,
  severity,
  claim: `claim ${id}`,
  resolution,
  phase: 'review',
});

describe('stop-time review gate: judging a review', () => {
  it('blocks with every standing blocker/major finding and every check that fails where it passed', () => {
    const v = judgeReview(
      1,
      result({
        findings: [
          finding('R1', 'blocker'),
          finding('R2', 'minor'),
          finding('R3', 'major', 'fixed'),
          finding('I1', 'blocker'),
        ],
        verify: [
          { command: 'npm test', exitCode: 1, passed: false },
          { command: 'npm run lint', exitCode: 1, passed: false },
        ],
        integrity: {
          comparisons: [
            { command: 'npm test', preExisting: 'none' },
            { command: 'npm run lint', preExisting: 'all' },
          ],
        },
      }),
      2,
      0,
    );
    expect(v.kind).toBe('block');
    expect(v.output.decision).toBe('block');
    expect(v.output.reason).toContain('[R1] blocker: claim R1');
    expect(v.output.reason).toContain('[I1] blocker');
    expect(v.output.reason).toContain('`npm test` fails');
    // A minor finding, a fixed one and a check already failing at the base are not reasons to block.
    expect(v.output.reason).not.toContain('R2');
    expect(v.output.reason).not.toContain('R3');
    expect(v.output.reason).not.toContain('npm run lint');
    expect(v.output.reason).toContain('/x/report.md');
  });

  it('the last allowed block says the gate will not block again', () => {
    const v = judgeReview(1, result({ findings: [finding('R1', 'major')] }), 2, 1);
    expect(v.output.reason).toContain('will not block this session again');
  });

  it('lets go with a note when nothing stands (even an unverified review: no check failed)', () => {
    const v = judgeReview(1, result({ status: 'unverified' }), 2, 0);
    expect(v).toEqual({ kind: 'pass', output: { systemMessage: expect.stringContaining('nothing blocking') } });
    expect(judgeReview(0, JSON.stringify({ runId: null, status: 'nothing-to-review' }), 2, 0)).toEqual({
      kind: 'pass',
      output: {},
    });
  });

  it('fails open, visibly, when the review could not run or could not be read', () => {
    for (const [code, out] of [
      [1, result({ status: 'failed', error: { message: 'codex: not logged in', hint: 'run codex login' } })],
      [130, result({ status: 'interrupted' })],
      [2, ''],
      [undefined, 'Segmentation fault'],
    ] as const) {
      const v = judgeReview(code, out, 2, 0);
      expect(v.kind).toBe('fail-open');
      expect(v.output.decision).toBeUndefined();
      expect(v.output.systemMessage).toMatch(/^duo review gate could not review this stop — .*Not blocking/);
    }
    expect(
      judgeReview(
        1,
        result({ status: 'failed', error: { message: 'codex: not logged in', hint: 'run codex login' } }),
        2,
        0,
      ).output.systemMessage,
    ).toContain('run codex login');
  });

  it('reads the review\'s run id from the parsed result, not from the first "runId" in the text', () => {
    // A finding that repeats a declined one names that earlier run: its runId comes first in the text here.
    const text = JSON.stringify({
      findings: [{ ...finding('R1', 'major'), repeatOf: { runId: 'older-run' } }],
      runId: 'this-run',
      status: 'red',
    });
    expect(readReview(text)?.runId).toBe('this-run');
    expect(readReview(JSON.stringify({ runId: null, status: 'nothing-to-review' }))?.runId).toBeNull();
    expect(readReview('Segmentation fault')).toBeNull();
    expect(readReview(JSON.stringify({ status: 'red' }))).toBeNull();
  });
});
