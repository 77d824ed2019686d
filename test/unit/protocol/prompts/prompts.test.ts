import { describe, expect, it } from 'vitest';
import {
  answerFindingsPrompt,
  critiquePrompt,
  diagnosePrompt,
  implementPrompt,
  PROTECTED,
  recheckPrompt,
  resolveConflictPrompt,
  reviewPrompt,
} from '../../../../src/protocol/prompts/prompts.js';
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
