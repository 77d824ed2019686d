import { describe, expect, it } from 'vitest';
import {
  answerFindingsPrompt,
  critiquePrompt,
  diagnosePrompt,
  implementPrompt,
  PROTECTED,
  recheckPrompt,
  reviewPrompt,
} from '../../../../src/protocol/prompts/prompts.js';
import { resolveConflictPrompt } from '../../../../src/protocol/prompts/subtasks.js';
import type { Plan } from '../../../../src/protocol/schemas.js';
import { entry } from '../../../support/state.js';

/**
 * A resumed session already holds what it was told and what it said: its follow-up carries only what is new
 * (P6 in `npm run bench`), while a fresh session gets everything it needs to stand alone.
 */
const plan: Plan = {
  summary: 'split bills',
  files: [{ path: 'src/split.js', change: 'new' }],
  approach: 'floor and hand out the remainder, one cent each',
  tests: ['shares add up'],
  testChanges: [],
  risks: [],
  rollback: null,
  subtasks: [],
  answers: [],
};

describe('follow-ups to a resumed session', () => {
  it('implement: the fresh prompt carries the plan; the driver that wrote it is not sent it again', () => {
    const p = implementPrompt('task', plan, [], ['[P1] use cents']);
    expect(p.prompt).toContain('floor and hand out the remainder');
    expect(p.followup).not.toContain('floor and hand out the remainder');
    expect(p.followup).toContain('as you last revised it');
    // What is new is kept: the human's decisions, and the full rule on protected files (its first write call).
    expect(p.followup).toContain('[P1] use cents');
    expect(p.followup).toContain(PROTECTED);
  });

  it('review: the skeptic that approved the plan gets the diff, not the plan again', () => {
    const p = reviewPrompt('task', plan, 'diff --git a/x b/x', false);
    expect(p.prompt).toContain('floor and hand out the remainder');
    expect(p.followup).not.toContain('floor and hand out the remainder');
    expect(p.followup).toContain('diff --git a/x b/x');
  });

  it('review of a diff that changes protected files: the note is said before the diff, fresh or resumed', () => {
    const note = 'PROTECTED FILES CHANGED: test/x.test.js';
    const p = reviewPrompt('Review the uncommitted changes', null, 'diff --git a/x b/x', true, note);
    for (const text of [p.prompt, p.followup as string]) {
      expect(text).toContain(note);
      expect(text.indexOf(note)).toBeLessThan(text.indexOf('DIFF:'));
    }
    expect(reviewPrompt('t', null, 'diff', true).prompt).not.toContain('PROTECTED FILES CHANGED');
  });

  it("answers and diagnoses: the full rule once, a one-line reminder after; the skeptic's own findings by id and answer", () => {
    const e = entry('R1');
    e.answer = { action: 'rebut', note: 'inputs are trusted', round: 1 };
    const answer = answerFindingsPrompt('task', [e], 'The skeptic reviewed your change.');
    expect(answer.prompt).toContain(PROTECTED);
    expect(answer.followup).not.toContain(PROTECTED);
    expect(answer.followup).toMatch(/protected/);
    const diagnose = diagnosePrompt('task', '$ npm test\n(exit code 1)\nnot ok 1 - x');
    expect(diagnose.followup).toContain('not ok 1 - x');
    expect(diagnose.followup).not.toContain(PROTECTED);

    const recheck = recheckPrompt('task', [e], 'diff');
    expect(recheck.prompt).toContain(e.finding.evidence);
    expect(recheck.followup).not.toContain(e.finding.evidence);
    expect(recheck.followup).toContain('driver (rebut): inputs are trusted');
    // duo's own integrity findings are new to the skeptic: they go in full even to a resumed session.
    expect(recheckPrompt('task', [e], 'diff', "duo's gate found").followup).toContain(e.finding.evidence);

    const critique = critiquePrompt('task', plan, 2, [e]);
    expect(critique.followup).toContain('floor and hand out the remainder'); // the revised plan is new
    expect(critique.followup).not.toContain(e.finding.evidence);
    expect(critique.followup).toContain('driver (rebut): inputs are trusted');
  });
});

describe('follow-ups carry only what is new (incremental)', () => {
  const declined = {
    fingerprint: '9fa13e67e99cc6e1',
    runId: 'run-0',
    findingId: 'P3',
    phase: 'plan',
    severity: 'minor' as const,
    category: 'correctness',
    file: 'src/split.js',
    line: null,
    claim: 'Use BigInt for cents.',
    anchor: 'absent',
    reason: 'rebut: totals are far below 2^53',
    by: 'skeptic' as const,
    at: '2026-12-01T00:00:00.000Z',
    reviewer: 'codex',
  };

  it('a revised plan: the sections that changed, and the names of those that did not', () => {
    const revised = { ...plan, approach: 'floor, then one more cent to the first (total mod people) shares' };
    const p = critiquePrompt('task', revised, 2, [], { rules: [], declined: [], previous: plan });
    expect(p.followup).toContain('Approach: floor, then one more cent');
    expect(p.followup).not.toContain('floor and hand out the remainder');
    expect(p.followup).toContain('Unchanged since the last round: Summary, Files, Tests, Rollback.');
    expect(p.prompt).toContain('Files:\n- src/split.js: new'); // a fresh session gets the whole plan
  });

  it('the memory and the house rules: in full to a fresh session, only what is new to a resumed one', () => {
    const rules = [{ id: 'H1', text: 'Money stays in integer cents.' }];
    const p = reviewPrompt('task', plan, 'diff --git a/x b/x', false, undefined, { rules, declined: [declined] });
    expect(p.prompt).toContain('HOUSE RULES');
    expect(p.prompt).toContain('- [H1] Money stays in integer cents.');
    expect(p.prompt).toContain('- [9fa13e67] src/split.js (minor, correctness): Use BigInt for cents.');
    expect(p.followup).toContain('DECLINED BEFORE'); // not told yet
    expect(p.followup).not.toContain('HOUSE RULES'); // told with the plan
    const told = reviewPrompt('task', plan, 'd', false, undefined, {
      rules,
      declined: [declined],
      told: [declined.fingerprint],
    });
    expect(told.followup).not.toContain('DECLINED BEFORE');
  });

  it('a second diagnosis of the same failure (timings aside) does not send the output again', () => {
    const out = (ms: string) => `$ npm test\nnot ok 2 - shares add up\n  duration_ms: ${ms}\n# duration_ms 145.04`;
    const again = diagnosePrompt('task', out('0.91'), '', out('1.5'));
    expect(again.prompt).toContain('not ok 2 - shares add up');
    expect(again.followup).not.toContain('not ok 2');
    expect(again.followup).toContain('same as at your last attempt');
    expect(diagnosePrompt('task', `${out('1')}\nnot ok 3 - new`, '', out('1')).followup).toContain('not ok 3 - new');
  });

  it('no follow-up repeats the line on the answer shape; every fresh prompt has it', () => {
    const e = entry('R1');
    e.answer = { action: 'fix', note: 'done', round: 1 };
    const all = [
      implementPrompt('task', plan, [], []),
      reviewPrompt('task', plan, 'd', false),
      answerFindingsPrompt('task', [e], 'c'),
      recheckPrompt('task', [e], 'd'),
      critiquePrompt('task', plan, 2, [e]),
      diagnosePrompt('task', 'f'),
    ];
    for (const p of all) {
      expect(p.prompt).toContain('Answer ONLY with the JSON object');
      expect(p.followup).not.toContain('Answer ONLY with the JSON object');
    }
  });
});

describe('a sub-task patch that conflicts', () => {
  it('goes to the driver with the conflicting files and the patch, cut at 60 000 characters', () => {
    const p = resolveConflictPrompt({ id: 'S2', title: 'add y3' }, ['src/y.js', 'src/z.js'], 'diff --git a/y b/y');
    expect(p.prompt).toBe(
      [
        'A reviewed patch for sub-task S2 (add y3) does not apply cleanly to your working directory; ' +
          'git reports conflicts in: src/y.js, src/z.js.',
        'Integrate its intent by editing the files yourself, keeping what is already there. Do not commit.',
        'PATCH:\ndiff --git a/y b/y',
        'Answer ONLY with the JSON object the schema asks for.',
      ].join('\n\n'),
    );
    expect(p.followup).toBeUndefined();
    const long = resolveConflictPrompt({ id: 'S2', title: 't' }, ['a'], 'x'.repeat(70_000)).prompt;
    expect(long).toContain(`PATCH:\n${'x'.repeat(60_000)}\n…(truncated)\n\n`);
    expect(long).not.toContain('x'.repeat(60_001));
  });
});
