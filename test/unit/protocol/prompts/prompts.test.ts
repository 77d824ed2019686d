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
