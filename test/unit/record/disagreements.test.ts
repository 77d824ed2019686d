import { describe, expect, it } from 'vitest';
import { renderDisagreementLog } from '../../../src/record/disagreements.js';
import { runState } from '../../support/state.js';

/** The per-run disagreements.md: dated, one section per disagreement, how it resolved. */
describe('renderDisagreementLog', () => {
  it('says when the agents did not disagree', () => {
    expect(renderDisagreementLog(runState({ status: 'green' }))).toBe(
      [
        '# Disagreements — run-1',
        '',
        'Task: make x return 2',
        'Status: green',
        '',
        'The agents did not disagree on anything in this run.',
        '',
      ].join('\n'),
    );
  });

  it('dates each disagreement to the minute and gives both sides and the outcome', () => {
    const out = renderDisagreementLog(
      runState({
        task: 'x'.repeat(350),
        disagreements: [
          {
            at: '2025-03-04T05:06:07.890Z',
            phase: 'review',
            findingId: 'R2',
            severity: 'blocker',
            topic: 'splits lose a cent',
            driver: 'rebut: finance asked for it',
            skeptic: 'evidence — spec says otherwise',
            outcome: 'escalated; decided by the human: skeptic',
          },
        ],
      }),
    );
    expect(out).toContain(`Task: ${'x'.repeat(300)}\n`);
    expect(out).not.toContain('x'.repeat(301));
    expect(out).toContain(
      [
        '## 2025-03-04 05:06 UTC · review · R2 (blocker)',
        '',
        '- **Topic:** splits lose a cent',
        '- **Driver:** rebut: finance asked for it',
        '- **Skeptic:** evidence — spec says otherwise',
        '- **Outcome:** escalated; decided by the human: skeptic',
      ].join('\n'),
    );
    expect(out).not.toContain('did not disagree');
  });
});
