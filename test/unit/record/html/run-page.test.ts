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

describe("the gate's principle on the page", () => {
  it('the commit judged, writes outside the worktree, declared originals and the checklist: shown, and escaped', () => {
    const result = {
      command: 'npm test',
      kind: 'test' as const,
      exitCode: 1,
      durationMs: 10,
      output: 'not ok 1 - x',
      outputPath: '/repo/.duo/runs/run-1/verify/declared-1.log',
      outputBytes: 12,
      truncated: false,
      timedOut: false,
      noTestsRan: false,
      passed: false,
      reason: 'exit code 1',
    };
    const html = page(
      runState({
        status: 'red',
        worktree: WORKTREE,
        verify: [
          {
            attempt: 1,
            status: 'red',
            results: [{ ...result, exitCode: 0, passed: true, reason: undefined }],
            sha: 'abcdef0123456789abcdef0123456789abcdef01',
            declared: { restored: ['test/x.test.js'], results: [result] },
          },
        ],
        outsideWrites: [
          {
            step: 'implement/driver',
            agent: 'claude',
            dir: 'node_modules',
            paths: ['<img src=x onerror=alert(1)>.js'],
            count: 1,
          },
        ],
        rewardChecks: [
          {
            step: 'review/r1/review',
            agent: 'codex',
            checked: ['runner-detection'],
            missing: ['exit-or-skip'],
            suspicious: ['<b>x</b>'],
          },
        ],
      }),
    );
    expect(html).toContain('Judged on a pristine checkout of <code>abcdef012345</code>');
    expect(html).toContain("Written outside the run's worktree");
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.js');
    expect(html).not.toContain('<img src=x');
    expect(html).toContain(
      'original test/x.test.js with <code>npm test</code>: <span class="badge t-bad">fails on the final code</span>',
    );
    expect(html).toContain('1 of 2 items (not: exit-or-skip) — suspicious: &lt;b&gt;x&lt;/b&gt;');
  });
});
