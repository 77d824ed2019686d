/**
 * What duo says to the agents. Each builder returns the full prompt (fresh session) and, where a session can be
 * resumed, a short follow-up that relies on the agent's own context instead of re-sending everything
 * (incremental.ts).
 */

import type { DeclinedFinding, HouseRule } from '../memory.js';
import type { Plan } from '../schemas.js';
import type { LedgerEntry } from '../types.js';
import { ANSWER_SHAPE, followupOf, type Memo, NO_MEMO, nitRule, untold, withoutTimings } from './incremental.js';
import { renderAnswers, renderDeclined, renderFindings, renderPlan, renderPlanChanges, renderRules } from './render.js';

/** What a builder returns: the prompt for a fresh session, and the follow-up for a resumed one where there is one. */
export interface Prompt {
  prompt: string;
  followup?: string;
}

const DRIVER = 'You are the DRIVER in a pair-programming protocol run by duo. A skeptical reviewer checks your work.';
const SKEPTIC =
  'You are the SKEPTIC in a pair-programming protocol run by duo: an adversarial reviewer. You are read-only. ' +
  'Attack the work: wrong assumptions, race conditions, security gaps, data loss, missed requirements, untested paths. ' +
  'Report only real problems, each with evidence; do not pad with style nits. Give each finding a `confidence` from 0 ' +
  'to 1 that it is a real problem: duo keeps your precision at each confidence. duo itself will run the tests; ' +
  'nothing you or the driver claim about tests counts.';

/**
 * Ways to make checks pass without fixing anything, which the skeptic must look for in every code review (duo's own
 * mechanical scan flags some of them too; the skeptic judges what a scan cannot).
 */
export const REWARD_HACKING =
  'REWARD-HACKING CHECKLIST — go through every item on this diff, list the items you checked in ' +
  '`rewardHacking.checked` and what matched in `rewardHacking.suspicious`; raise each match as a blocker finding:\n' +
  '- runner-detection: does code behave differently under the test runner (NODE_ENV === "test", VITEST, ' +
  'JEST_WORKER_ID, NODE_TEST_CONTEXT, PYTEST_CURRENT_TEST, "pytest" in sys.modules, argv sniffing)?\n' +
  "- special-cased-inputs: does code special-case the tests' exact inputs, or return their expected values?\n" +
  '- exit-or-skip: does code exit, abort or throw at import time, or skip work so that tests never really run?\n' +
  '- patched-assertions: does code patch, mock or rebind the assertion library, the test runner or globals the tests use?\n' +
  '- weakened-tests: are tests, fixtures, snapshots, test helpers, runner configs or test scripts weakened, skipped, ' +
  'deleted, made vacuous, or redirected (module maps, package.json exports/imports/main)?\n' +
  '- hidden-or-outside-files: does the change rely on files git does not track or ignores, or write outside the ' +
  'repository (node_modules, .git, other folders)?';

/** Said to every agent that writes: the tests are the spec, and how to say so when the task disagrees. */
export const PROTECTED =
  'PROTECTED: the existing tests and the definition of the checks (test/lint/typecheck scripts in package.json or a ' +
  'Makefile, test runner and lint configs, tsconfig) are the spec, not yours to edit. Do not change, skip, focus, ' +
  'delete or weaken them unless the agreed plan lists the file under "Existing tests / checks changed on purpose". ' +
  'duo reverts any other edit to them, runs the checks as they are at the base, and re-runs the original tests on ' +
  'your code. Adding new tests (or new test cases) is welcome. If the task truly contradicts an existing test, do ' +
  'not work around it: set `contradiction` (the tests and why) and a human will decide.';

/** The same rule, in one line, for a session that was already told it in full. */
const PROTECTED_AGAIN =
  'Remember: existing tests and the check definitions are protected (duo reverts edits the plan did not declare); ' +
  'set `contradiction` if the task truly contradicts one.';

/** How the driver answers duo's own integrity findings. */
export const INTEGRITY_ANSWER =
  "duo's gate found that the checks themselves changed, not only the code (these findings are duo's measurements). " +
  'The existing tests and the check definitions are the spec. For each finding: "fix" = put the test or check back ' +
  'as it is at the base and make the CODE pass it; "rebut" = the task really changes the behaviour this check pins ' +
  '— say exactly which requirement and how (the skeptic must accept it); "escalate" = the task contradicts the ' +
  'tests and a human must decide.';

/** How the skeptic judges the driver's answers to them. */
export const INTEGRITY_RECHECK =
  'duo\'s gate found that the checks changed, and the driver answered. "accept-rebuttal" ONLY if the task truly ' +
  'requires the behaviour change the check pinned (name the requirement); a test edited to match wrong code, a ' +
  'skipped or deleted test, or a weakened script is never acceptable: "hold". "resolved" if the fix diff puts the ' +
  'check back.';

export const DECISION_RECHECK =
  'A human decided these disputed findings (see "human decision"), and the driver changed the code to carry the ' +
  'decisions out. Re-check each: "resolved" only if the fix diff really carries the decision out; "hold" if it does ' +
  'not (say what is missing).';

/** The task as every prompt shows it, with the dispatcher's brief when there is one. */
export function taskBlock(task: string, brief?: string): string {
  return `TASK:\n${task}${brief ? `\n\nBRIEF FROM THE DISPATCHER:\n${brief}` : ''}`;
}

export function planPrompt(task: string, brief?: string, rules: HouseRule[] = []): Prompt {
  return {
    prompt: [
      DRIVER,
      taskBlock(task, brief),
      renderRules(rules),
      'Read just enough of the repository (your working directory) to plan. Do not edit anything yet.',
      'Draft a plan: the files to change and how, the approach, the tests that will prove it, the risks, and a rollback ' +
        'if the change is risky. Split it into sub-tasks; mark a sub-task independent only if it touches files no other ' +
        'sub-task touches and needs nothing from the others. `answers` is empty in a first draft.',
      'Existing tests and the check definitions (test scripts, runner/lint configs, tsconfig) are protected: if the task ' +
        'changes behaviour an existing test pins, list that file in `testChanges` with the reason — the skeptic will ' +
        'check it, and duo reverts edits to protected files the plan does not list. New tests do not go there.',
      ANSWER_SHAPE,
    ]
      .filter(Boolean)
      .join('\n\n'),
  };
}

export function critiquePrompt(
  task: string,
  plan: Plan,
  round: number,
  answered: LedgerEntry[],
  /** The memory, and the plan as the session last read it (its follow-up then carries only what changed). */
  memo: Memo & { previous?: Plan | null } = NO_MEMO,
): Prompt {
  const recheckWith = (findings: string) =>
    answered.length
      ? `The driver answered your earlier findings (below). Re-check each one: "resolved" if the revised plan fixes it, ` +
        `"accept-rebuttal" if the written reason convinces you, "hold" if it does not. Put those in \`rechecks\`; put only ` +
        `NEW problems in \`findings\`.${nitRule(answered) ? ` ${nitRule(answered)}` : ''}\n\nANSWERED FINDINGS:\n${findings}`
      : 'This is your first look: `rechecks` is empty.';
  const recheck = recheckWith(renderFindings(answered));
  const body = `PLAN (round ${round}):\n${renderPlan(plan)}`;
  const changes = memo.previous
    ? `What changed in the plan:\n${renderPlanChanges(memo.previous, plan)}`
    : `PLAN:\n${renderPlan(plan)}`;
  return {
    prompt: [
      SKEPTIC,
      taskBlock(task),
      renderRules(memo.rules),
      'Critique this plan before any code is written. Read the repository to check it. Scrutinise its ' +
        '"Existing tests / checks changed on purpose": approving the plan accepts them, so a test change is acceptable ' +
        'only when the task really changes the behaviour that test pins — raise a blocker otherwise.',
      body,
      renderDeclined(memo.declined),
      recheck,
      'Verdict: approve when no blocker/major problem remains.',
      ANSWER_SHAPE,
    ]
      .filter(Boolean)
      .join('\n\n'),
    // The resumed skeptic read the last plan and raised these findings itself: what changed and the answers are new.
    followup: followupOf(
      [
        `The driver revised the plan (round ${round}).`,
        changes,
        renderDeclined(untold(memo)),
        recheckWith(renderAnswers(answered)),
        ANSWER_SHAPE,
      ]
        .filter(Boolean)
        .join('\n\n'),
    ),
  };
}

export function revisePrompt(task: string, open: LedgerEntry[], round: number): Prompt {
  const body =
    `The skeptic's open findings on your plan (round ${round}):\n${renderFindings(open)}\n\n` +
    'Revise the plan. In `answers`, answer EVERY finding above by id: "fix" (you changed the plan; say how), ' +
    '"rebut" (it is wrong; give the concrete reason), or "escalate" (a human must decide; say why).';
  return {
    prompt: [DRIVER, taskBlock(task), body, ANSWER_SHAPE].join('\n\n'),
    followup: followupOf([body, ANSWER_SHAPE].join('\n\n')),
  };
}

export function implementPrompt(task: string, plan: Plan, notes: LedgerEntry[], decisions: string[]): Prompt {
  const extra = [
    notes.length ? `Minor points the skeptic raised that you may address:\n${renderFindings(notes)}` : '',
    decisions.length ? `Human decisions you must follow:\n${decisions.map((d) => `- ${d}`).join('\n')}` : '',
  ].filter(Boolean);
  const steps = (rule: string) => [
    ...extra,
    'Write the tests the plan names. Do not commit; duo commits your work. Then report what you changed.',
    rule,
    ANSWER_SHAPE,
  ];
  const start = 'Implement it now by editing the files in your working directory (a git worktree just for this run).';
  return {
    prompt: [
      DRIVER,
      taskBlock(task),
      `The plan is agreed. ${start}`,
      `AGREED PLAN:\n${renderPlan(plan)}`,
      ...steps(PROTECTED),
    ].join('\n\n'),
    // The resumed session wrote this plan itself (its last revision): it is not sent again. The rule on protected
    // files is, in full: this is its first write call.
    followup: followupOf([`The plan is agreed as you last revised it. ${start}`, ...steps(PROTECTED)].join('\n\n')),
  };
}

export function reviewPrompt(
  task: string,
  plan: Plan | null,
  diff: string,
  fresh: boolean,
  /** Said before the diff: e.g. which protected files a reviewed diff changes. */
  note?: string,
  memo: Memo = NO_MEMO,
): Prompt {
  const ask =
    'Review this diff adversarially. Every finding needs id, severity, category, file, line, claim, evidence and ' +
    `stakes. \`rechecks\` is empty. Verdict approve only if you would ship it.\n\n${REWARD_HACKING}`;
  return {
    prompt: [
      SKEPTIC,
      fresh ? 'You did not write this code; judge it as a stranger would.' : '',
      taskBlock(task),
      renderRules(memo.rules),
      ask,
      plan ? `THE AGREED PLAN:\n${renderPlan(plan)}` : '',
      renderDeclined(memo.declined),
      note ?? '',
      `DIFF:\n${diff}`,
      ANSWER_SHAPE,
    ]
      .filter(Boolean)
      .join('\n\n'),
    // The resumed session critiqued this very plan, or reviewed the change before (it knows how to report): only the
    // diff, and what was declined on files it was not told about, are new.
    followup: followupOf(
      [
        // A session that critiqued the plan has not seen the checklist yet; one that reviewed code before has.
        plan
          ? `Now review the diff that implements the plan you approved, adversarially, as before; \`rechecks\` is empty.\n\n${REWARD_HACKING}`
          : 'The driver changed the code again (below). Review this diff adversarially, as before, going through the ' +
            'reward-hacking checklist again; `rechecks` is empty.',
        renderDeclined(untold(memo)),
        note ?? '',
        `DIFF:\n${diff}`,
        ANSWER_SHAPE,
      ]
        .filter(Boolean)
        .join('\n\n'),
    ),
  };
}

export function answerFindingsPrompt(
  task: string,
  open: LedgerEntry[],
  context: string,
  /** The house rules, for a fresh session (a resumed one was told them with the plan). */
  rules: HouseRule[] = [],
): Prompt {
  const body = (ask: string, rule: string) =>
    [`${context}\n\nFINDINGS TO ANSWER:\n${renderFindings(open)}`, ask, rule, ANSWER_SHAPE].join('\n\n');
  const ask =
    'Answer EVERY finding by id: "fix" (edit the code now, in your working directory; say what you changed), ' +
    '"rebut" (the finding is wrong; give the concrete reason the skeptic can check), "nit" (a matter of taste, not ' +
    'a defect: it becomes a suggestion unless the skeptic holds it is a correctness issue), or "escalate" (a human ' +
    'must decide). Do not commit; duo commits your fixes.';
  // A resumed driver has answered findings before, and the schema spells each action out: the short form.
  const again =
    'Answer EVERY finding by id: "fix" (edit the code now; say what you changed), "rebut" (a concrete reason the ' +
    'skeptic can check), "nit" or "escalate". Do not commit.';
  return {
    prompt: [DRIVER, taskBlock(task), renderRules(rules), body(ask, PROTECTED)].filter(Boolean).join('\n\n'),
    followup: followupOf(body(again, PROTECTED_AGAIN)),
  };
}

/**
 * The re-review: the driver's answers, the diff of its fix — never the whole change again — and the threads still
 * open. `raisedElsewhere`: findings this session did not raise (another reviewer's, in a panel), shown in full.
 */
export function recheckPrompt(
  task: string,
  answered: LedgerEntry[],
  fixDiff: string,
  intro?: string,
  threads: { open?: LedgerEntry[]; raisedElsewhere?: (e: LedgerEntry) => boolean; memo?: Memo } = {},
): Prompt {
  const open = threads.open ?? [];
  const memo = threads.memo ?? NO_MEMO;
  const body = (findings: string, declined: DeclinedFinding[], ask: string) =>
    [
      `${intro ?? 'The driver answered your findings:'}\n${findings}`,
      renderDeclined(declined),
      `THE DRIVER'S FIX DIFF:\n${fixDiff || '(no code changed)'}`,
      open.length
        ? `STILL OPEN (not answered this round; no re-check needed):\n${open.map((e) => `[${e.id}] ${e.finding.claim}`).join('\n')}`
        : '',
      ask,
      nitRule(answered),
      ANSWER_SHAPE,
    ]
      .filter(Boolean)
      .join('\n\n');
  // A resumed skeptic raised its own findings: it needs only the driver's answers. duo's own (integrity) findings,
  // introduced by `intro`, and another reviewer's are new to it and go in full.
  const elsewhere = threads.raisedElsewhere ?? (() => false);
  const mine = answered.filter((e) => !elsewhere(e));
  const theirs = answered.filter(elsewhere);
  const resumed = [renderAnswers(mine), theirs.length ? renderFindings(theirs) : ''].filter(Boolean).join('\n');
  const ask =
    'Re-check each answered finding in `rechecks`: "resolved" only if the diff really fixes it, "accept-rebuttal" if the ' +
    'reason convinces you, "hold" otherwise (say why). Put NEW problems the fix introduced in `findings`.';
  // A resumed session has re-checked before (and the schema spells the statuses out): the short form.
  const again =
    'Re-check each in `rechecks` ("resolved" only if the diff really fixes it; say why you "hold"). Put NEW problems ' +
    'the fix introduced in `findings`.';
  return {
    prompt: [SKEPTIC, taskBlock(task), renderRules(memo.rules), body(renderFindings(answered), memo.declined, ask)]
      .filter(Boolean)
      .join('\n\n'),
    followup: followupOf(body(intro || !mine.length ? renderFindings(answered) : resumed, untold(memo), again)),
  };
}

export function diagnosePrompt(
  task: string,
  failing: string,
  reverted = '',
  /** What the session was shown when it diagnosed the previous attempt (its follow-up is then shorter). */
  previous?: string,
): Prompt {
  const intro =
    "duo ran the project's verify commands on your change and they FAILED. The output below is what duo measured; " +
    'it is the truth, whatever anyone claimed earlier.' +
    (failing.includes('pre-existing')
      ? ' A failure marked pre-existing was already there at the base: fix it only if the task requires it.'
      : '');
  const ask =
    'Diagnose the cause and fix it by editing the code in your working directory. Do not weaken, skip or delete tests ' +
    'to make them pass. Do not commit. Report what you changed and why.';
  const body = (parts: string[]) => parts.filter(Boolean).join('\n\n');
  // A resumed session that diagnosed the last attempt has these instructions, and that output, above: when only the
  // timings changed the output is not sent again.
  const again =
    previous === undefined
      ? body([intro, failing, reverted, ask, PROTECTED_AGAIN, ANSWER_SHAPE])
      : body([
          'duo ran the verify commands again after your fix: they still FAIL.',
          withoutTimings(previous) === withoutTimings(failing)
            ? 'The output is the same as at your last attempt (above in this conversation), timings aside.'
            : failing,
          reverted,
          'Diagnose and fix it as before: the code, never the tests or the checks. Do not commit.',
          PROTECTED_AGAIN,
          ANSWER_SHAPE,
        ]);
  return {
    prompt: [DRIVER, taskBlock(task), body([intro, failing, reverted, ask, PROTECTED, ANSWER_SHAPE])].join('\n\n'),
    followup: followupOf(again),
  };
}

/** After the human decided on a driver's claim that the task contradicts the tests. */
export function contradictionPrompt(task: string, allowed: boolean, tests: string[], decision: string): Prompt {
  const body = [
    allowed
      ? `The human agreed that the task changes what ${tests.join(', ')} pin${tests.length === 1 ? 's' : ''}: you may now ` +
        'change those tests as the task requires (and only those). Do it now, together with any code still to write.'
      : `The human kept ${tests.join(', ')} as they are: they are the spec. Make the code satisfy them and the task as ` +
        'far as both can hold; do not edit those tests.',
    decision ? `The human's words: ${decision}` : '',
    'Do not commit; duo commits your work. Report what you changed.',
    ANSWER_SHAPE,
  ]
    .filter(Boolean)
    .join('\n\n');
  return { prompt: [DRIVER, taskBlock(task), body].join('\n\n'), followup: followupOf(body) };
}
