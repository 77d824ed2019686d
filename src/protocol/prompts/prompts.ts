/**
 * What duo says to the agents. Each builder returns the full prompt (fresh session) and, where a session can be
 * resumed, a short follow-up that relies on the agent's own context instead of re-sending everything.
 */

import type { Plan } from '../schemas.js';
import type { LedgerEntry } from '../types.js';
import { renderAnswers, renderFindings, renderPlan } from './render.js';

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
const ANSWER_SHAPE = 'Answer ONLY with the JSON object the schema asks for.';

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

function taskBlock(task: string, brief?: string): string {
  return `TASK:\n${task}${brief ? `\n\nBRIEF FROM THE DISPATCHER:\n${brief}` : ''}`;
}

export function planPrompt(task: string, brief?: string): Prompt {
  return {
    prompt: [
      DRIVER,
      taskBlock(task, brief),
      'Read just enough of the repository (your working directory) to plan. Do not edit anything yet.',
      'Draft a plan: the files to change and how, the approach, the tests that will prove it, the risks, and a rollback ' +
        'if the change is risky. Split it into sub-tasks; mark a sub-task independent only if it touches files no other ' +
        'sub-task touches and needs nothing from the others. `answers` is empty in a first draft.',
      'Existing tests and the check definitions (test scripts, runner/lint configs, tsconfig) are protected: if the task ' +
        'changes behaviour an existing test pins, list that file in `testChanges` with the reason — the skeptic will ' +
        'check it, and duo reverts edits to protected files the plan does not list. New tests do not go there.',
      ANSWER_SHAPE,
    ].join('\n\n'),
  };
}

export function critiquePrompt(task: string, plan: Plan, round: number, answered: LedgerEntry[]): Prompt {
  const recheckWith = (findings: string) =>
    answered.length
      ? `The driver answered your earlier findings (below). Re-check each one: "resolved" if the revised plan fixes it, ` +
        `"accept-rebuttal" if the written reason convinces you, "hold" if it does not. Put those in \`rechecks\`; put only ` +
        `NEW problems in \`findings\`.\n\nANSWERED FINDINGS:\n${findings}`
      : 'This is your first look: `rechecks` is empty.';
  const recheck = recheckWith(renderFindings(answered));
  const body = `PLAN (round ${round}):\n${renderPlan(plan)}`;
  return {
    prompt: [
      SKEPTIC,
      taskBlock(task),
      'Critique this plan before any code is written. Read the repository to check it. Scrutinise its ' +
        '"Existing tests / checks changed on purpose": approving the plan accepts them, so a test change is acceptable ' +
        'only when the task really changes the behaviour that test pins — raise a blocker otherwise.',
      body,
      recheck,
      'Verdict: approve when no blocker/major problem remains.',
      ANSWER_SHAPE,
    ].join('\n\n'),
    // The resumed skeptic raised these findings itself: their answers are what is new.
    followup: [
      `The driver revised the plan (round ${round}).`,
      body,
      recheckWith(renderAnswers(answered)),
      ANSWER_SHAPE,
    ].join('\n\n'),
  };
}

export function revisePrompt(task: string, open: LedgerEntry[], round: number): Prompt {
  const body =
    `The skeptic's open findings on your plan (round ${round}):\n${renderFindings(open)}\n\n` +
    'Revise the plan. In `answers`, answer EVERY finding above by id: "fix" (you changed the plan; say how), ' +
    '"rebut" (it is wrong; give the concrete reason), or "escalate" (a human must decide; say why).';
  return {
    prompt: [DRIVER, taskBlock(task), body, ANSWER_SHAPE].join('\n\n'),
    followup: [body, ANSWER_SHAPE].join('\n\n'),
  };
}

export function implementPrompt(task: string, plan: Plan, notes: LedgerEntry[], decisions: string[]): Prompt {
  const extra = [
    notes.length ? `Minor points the skeptic raised that you may address:\n${renderFindings(notes)}` : '',
    decisions.length ? `Human decisions you must follow:\n${decisions.map((d) => `- ${d}`).join('\n')}` : '',
  ].filter(Boolean);
  const steps = [
    ...extra,
    'Write the tests the plan names. Do not commit; duo commits your work. Then report what you changed.',
    PROTECTED,
    ANSWER_SHAPE,
  ];
  const start = 'Implement it now by editing the files in your working directory (a git worktree just for this run).';
  return {
    prompt: [
      DRIVER,
      taskBlock(task),
      `The plan is agreed. ${start}`,
      `AGREED PLAN:\n${renderPlan(plan)}`,
      ...steps,
    ].join('\n\n'),
    // The resumed session wrote this plan itself (its last revision): it is not sent again.
    followup: [`The plan is agreed as you last revised it. ${start}`, ...steps].join('\n\n'),
  };
}

export function reviewPrompt(
  task: string,
  plan: Plan | null,
  diff: string,
  fresh: boolean,
  /** Said before the diff: e.g. which protected files a reviewed diff changes. */
  note?: string,
): Prompt {
  const ask =
    'Review this diff adversarially. Every finding needs id, severity, file, line, claim, evidence and stakes. ' +
    `\`rechecks\` is empty. Verdict approve only if you would ship it.\n\n${REWARD_HACKING}`;
  return {
    prompt: [
      SKEPTIC,
      fresh ? 'You did not write this code; judge it as a stranger would.' : '',
      taskBlock(task),
      ask,
      plan ? `THE AGREED PLAN:\n${renderPlan(plan)}` : '',
      note ?? '',
      `DIFF:\n${diff}`,
      ANSWER_SHAPE,
    ]
      .filter(Boolean)
      .join('\n\n'),
    // The resumed session critiqued this very plan: only the diff is new.
    followup: [plan ? `${ask} It implements the plan you approved.` : ask, note ?? '', `DIFF:\n${diff}`, ANSWER_SHAPE]
      .filter(Boolean)
      .join('\n\n'),
  };
}

export function answerFindingsPrompt(task: string, open: LedgerEntry[], context: string): Prompt {
  const body = (rule: string) =>
    [
      `${context}\n\nFINDINGS TO ANSWER:\n${renderFindings(open)}`,
      'Answer EVERY finding by id: "fix" (edit the code now, in your working directory; say what you changed), ' +
        '"rebut" (the finding is wrong; give the concrete reason the skeptic can check), or "escalate" (a human must decide). ' +
        'Do not commit; duo commits your fixes.',
      rule,
      ANSWER_SHAPE,
    ].join('\n\n');
  return { prompt: [DRIVER, taskBlock(task), body(PROTECTED)].join('\n\n'), followup: body(PROTECTED_AGAIN) };
}

export function recheckPrompt(task: string, answered: LedgerEntry[], fixDiff: string, intro?: string): Prompt {
  const body = (findings: string) =>
    [
      `${intro ?? 'The driver answered your findings:'}\n${findings}`,
      `THE DRIVER'S FIX DIFF:\n${fixDiff || '(no code changed)'}`,
      'Re-check each answered finding in `rechecks`: "resolved" only if the diff really fixes it, "accept-rebuttal" if the ' +
        'reason convinces you, "hold" otherwise (say why). Put NEW problems the fix introduced in `findings`.',
      ANSWER_SHAPE,
    ].join('\n\n');
  // A resumed skeptic raised its own findings: it needs only the driver's answers. duo's own (integrity) findings,
  // introduced by `intro`, are new to it and go in full.
  return {
    prompt: [SKEPTIC, taskBlock(task), body(renderFindings(answered))].join('\n\n'),
    followup: body(intro ? renderFindings(answered) : renderAnswers(answered)),
  };
}

export function diagnosePrompt(task: string, failing: string, reverted = ''): Prompt {
  const body = (rule: string) =>
    [
      "duo ran the project's verify commands on your change and they FAILED. The output below is what duo measured; " +
        'it is the truth, whatever anyone claimed earlier. A failure marked pre-existing was already there at the base: ' +
        'fix it only if the task requires it.',
      failing,
      reverted,
      'Diagnose the cause and fix it by editing the code in your working directory. Do not weaken, skip or delete tests ' +
        'to make them pass. Do not commit. Report what you changed and why.',
      rule,
      ANSWER_SHAPE,
    ]
      .filter(Boolean)
      .join('\n\n');
  return { prompt: [DRIVER, taskBlock(task), body(PROTECTED)].join('\n\n'), followup: body(PROTECTED_AGAIN) };
}

export function briefPrompt(task: string): Prompt {
  return {
    prompt: [
      'You are the DISPATCHER for duo. Another agent will do the work; keep your own effort minimal. Do not read the ' +
        'repository in depth. Restate the task precisely, list acceptance criteria, and rate its risk ' +
        '(high for money, auth, data integrity, migrations).',
      taskBlock(task),
      ANSWER_SHAPE,
    ].join('\n\n'),
  };
}

export function summaryPrompt(facts: string): Prompt {
  return {
    prompt: [
      'You are the DISPATCHER for duo. Write a 2–4 sentence summary of this run for the user, from these recorded facts only. ' +
        'Do not claim anything the facts do not show; the verify result is what duo measured.',
      facts,
      ANSWER_SHAPE,
    ].join('\n\n'),
  };
}

export function directAnswerPrompt(task: string): Prompt {
  return {
    prompt: [
      "Answer the user's question directly and concretely. Read the repository (your working directory) as needed; " +
        'do not edit anything.',
      `QUESTION:\n${task}`,
      ANSWER_SHAPE,
    ].join('\n\n'),
  };
}

export function subtaskPrompt(
  task: string,
  plan: Plan,
  sub: { id: string; title: string; description: string; files: string[] },
): Prompt {
  return {
    prompt: [
      'You are a SUB-TASK WORKER in a pair-programming protocol run by duo. Your patch will be reviewed before it is applied.',
      taskBlock(task),
      `THE AGREED PLAN:\n${renderPlan(plan)}`,
      `YOUR SUB-TASK [${sub.id}] ${sub.title}:\n${sub.description}`,
      `You may ONLY touch these paths: ${sub.files.join(', ') || '(none declared)'}. A patch touching anything else is refused.`,
      'Edit the files in your working directory. Do not commit. Report what you changed.',
      PROTECTED,
      ANSWER_SHAPE,
    ].join('\n\n'),
  };
}

export function reviewPatchPrompt(
  task: string,
  sub: { id: string; title: string; files: string[] },
  patch: string,
  notes: string[],
): Prompt {
  const shown = patch.length > 80_000 ? `${patch.slice(0, 80_000)}\n…(truncated by duo)` : patch;
  return {
    prompt: [
      'You are reviewing a patch another agent produced for one sub-task, before duo applies it. Nobody trusts a patch on sight.',
      taskBlock(task),
      `SUB-TASK [${sub.id}] ${sub.title}; declared files: ${sub.files.join(', ')}`,
      `PATCH:\n${shown}${notes.length ? `\n\n(duo: ${notes.join('; ')})` : ''}`,
      'Report real problems as findings (a blocker stops the patch from being applied). `rechecks` is empty.',
      ANSWER_SHAPE,
    ].join('\n\n'),
  };
}

/** A reviewed sub-task patch that did not apply: the driver integrates its intent by hand. */
export function resolveConflictPrompt(sub: { id: string; title: string }, conflicts: string[], patch: string): Prompt {
  return {
    prompt: [
      `A reviewed patch for sub-task ${sub.id} (${sub.title}) does not apply cleanly to your working directory; ` +
        `git reports conflicts in: ${conflicts.join(', ')}.`,
      'Integrate its intent by editing the files yourself, keeping what is already there. Do not commit.',
      `PATCH:\n${patch.length > 60_000 ? `${patch.slice(0, 60_000)}\n…(truncated)` : patch}`,
      ANSWER_SHAPE,
    ].join('\n\n'),
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
  return { prompt: [DRIVER, taskBlock(task), body].join('\n\n'), followup: body };
}
