import { describe, expect, it } from 'vitest';
import type { RunState } from '../../../../src/protocol/types.js';
import { renderRunPage } from '../../../../src/record/html/run-page.js';
import { entry, runState, WORKTREE } from '../../../support/state.js';

/** The run page for runs that are not the happy path: nothing ran yet, an answer, a pause, a waiting decision. */
function page(state: RunState): string {
  return renderRunPage({
    state,
    events: [],
    diff: { from: null, to: null, files: [], note: 'This run has no committed change to show.' },
    recordDir: '/repo/.duo/runs/run-1',
    recordPage: false,
    files: ['report.md'],
    now: new Date('2025-01-01T01:00:00.000Z'),
  });
}

describe('the run page of an unusual run', () => {
  it('a run that failed before anything ran: the error and what to do first, every section saying it is empty', () => {
    const html = page(
      runState({
        status: 'failed',
        error: { message: 'git is missing', hint: 'install git, then `duo resume run-1`' },
      }),
    );
    expect(html).toContain('<span class="badge t-bad">FAILED</span>');
    expect(html).toContain('<strong>What to do:</strong> install git, then <code>duo resume run-1</code>');
    expect(html).toContain('Nothing ran: no agent call, no verify command.');
    expect(html).toContain('This run had no plan phase.');
    expect(html).toContain('No findings were raised in this run.');
    expect(html).toContain('This run has no committed change to show.');
    expect(html).toContain('The gate did not run.');
  });

  it('an answer: the answer as text, and no gate', () => {
    const html = page(runState({ status: 'answered', mode: 'answer', answer: 'Use <b>half-even</b> rounding.' }));
    expect(html).toContain('<pre class="prose">Use &lt;b&gt;half-even&lt;/b&gt; rounding.</pre>');
    expect(html).toContain('An answer: no code, no gate.');
  });

  it('a paused run says which agent and why; a waiting decision card is shown first', () => {
    const html = page(
      runState({
        status: 'awaiting-decision',
        worktree: WORKTREE,
        findings: [entry('R1', { phase: 'review' }, { severity: 'blocker' })],
        cards: [
          {
            id: 'card-R1',
            phase: 'review',
            findingId: 'R1',
            question: 'Keep the public export?',
            driverPosition: 'internal only',
            skepticPosition: 'it is in the index',
            stakes: 'an auth bypass',
            createdAt: '2025-01-01T00:30:00.000Z',
          },
        ],
        pause: { agent: 'claude', until: null, reason: 'five-hour limit', at: '2025-01-01T00:40:00.000Z' },
      }),
    );
    expect(html.indexOf('Decision needed: card-R1')).toBeLessThan(html.indexOf('id="timeline"'));
    expect(html).toContain(
      '<code>duo decide run-1 card-R1 --pick driver|skeptic|&quot;&lt;your decision&gt;&quot;</code>',
    );
    expect(html).toContain('<dt>Paused</dt><dd>claude: five-hour limit</dd>');
    expect(html).toContain("<code>src/x.js:3</code> (not in this run's diff)");
  });
});
