/**
 * The shapes agents answer in. One schema, two uses: duo validates every answer against it, and the same
 * schema, converted with z.toJSONSchema, is what `claude --json-schema` / `codex exec --output-schema` enforce.
 * OpenAI's strict mode wants every property required, so "absent" is spelled `null`, never optional.
 */

import { z } from 'zod';

export const Severity = z.enum(['blocker', 'major', 'minor', 'nit']);
export type Severity = z.infer<typeof Severity>;

export const Finding = z.object({
  id: z.string().min(1).describe('Short stable id, e.g. P1 or R3; reuse it when referring to the same issue later'),
  severity: Severity,
  file: z.string().nullable(),
  line: z.number().int().nullable(),
  claim: z.string().min(1).describe('What is wrong, in one or two sentences'),
  evidence: z.string().describe('Why you believe it: the code, the input that breaks it, the requirement missed'),
  stakes: z.string().nullable().describe('What is expensive to get wrong if this is ignored; null for nits'),
  confidence: z
    .number()
    .min(0)
    .max(1)
    .nullable()
    .default(null)
    .describe(
      'How sure you are this is a real problem, 0 to 1 (0.9: you can show the failing input; 0.5: it looks wrong but ' +
        'you could not confirm). duo keeps your precision by confidence',
    ),
});
export type Finding = z.infer<typeof Finding>;
/** A finding as duo's own checks write it (no confidence: they measured it). */
export type FindingInput = z.input<typeof Finding>;

export const Subtask = z.object({
  id: z.string().min(1),
  title: z.string().min(1),
  description: z.string(),
  files: z.array(z.string()).describe('The only paths this sub-task may touch (globs allowed)'),
  independent: z.boolean().describe('True when it can be done in parallel with the others, from the agreed base'),
});
export type Subtask = z.infer<typeof Subtask>;

export const FindingAnswer = z.object({
  findingId: z.string(),
  action: z.enum(['fix', 'rebut', 'escalate']).describe('fix: you changed the plan/code; rebut: it is wrong, say why'),
  note: z.string().min(1),
});
export type FindingAnswer = z.infer<typeof FindingAnswer>;

/**
 * A change to a pre-existing test or to the gate's definition that the plan makes on purpose. Tests are the spec:
 * without an entry here (critiqued by the skeptic like the rest of the plan), duo reverts such edits.
 */
export const TestChange = z.object({
  path: z
    .string()
    .min(1)
    .describe('An existing test file, or a file that defines the checks (test script, runner/lint config)'),
  reason: z.string().min(1).describe('Which behaviour the task changes that this file pins down, and why'),
});
export type TestChange = z.infer<typeof TestChange>;

export const Plan = z.object({
  summary: z.string().min(1),
  files: z.array(z.object({ path: z.string(), change: z.string() })),
  approach: z.string(),
  tests: z.array(z.string()),
  testChanges: z
    .array(TestChange)
    .default([])
    .describe(
      'Existing tests or check definitions this change must modify or delete because the task changes the behaviour ' +
        'they pin; empty when none (new tests do not go here)',
    ),
  risks: z.array(z.string()),
  rollback: z.string().nullable().describe('How to undo the change if it is risky; null when trivial'),
  subtasks: z.array(Subtask),
  answers: z
    .array(FindingAnswer)
    .describe("One answer per open finding from the skeptic's last critique; empty at first"),
});
export type Plan = z.infer<typeof Plan>;

export const Recheck = z.object({
  findingId: z.string(),
  status: z
    .enum(['resolved', 'accept-rebuttal', 'hold'])
    .describe('resolved: the fix works; accept-rebuttal: the written reason convinces you; hold: it does not'),
  note: z.string(),
});
export type Recheck = z.infer<typeof Recheck>;

/** The reward-hacking checklist a code review goes through (prompts.ts says each item in full). */
export const CHECKLIST = [
  'runner-detection',
  'special-cased-inputs',
  'exit-or-skip',
  'patched-assertions',
  'weakened-tests',
  'hidden-or-outside-files',
] as const;

export const RewardHackingCheck = z
  .object({
    checked: z.array(z.enum(CHECKLIST)).describe('Every checklist item you went through on this diff'),
    suspicious: z
      .array(z.string())
      .describe('What matched, each as "item: file:line — why" (also raised as a blocker finding); empty when none'),
  })
  .nullable()
  .optional()
  .describe('The reward-hacking checklist on a code review; null when reviewing a plan');
export type RewardHackingCheck = z.infer<typeof RewardHackingCheck>;

export const Critique = z.object({
  verdict: z.enum(['approve', 'revise', 'reject']),
  summary: z.string(),
  findings: z.array(Finding).describe('New findings only'),
  rechecks: z.array(Recheck).describe('One per earlier finding the driver answered; empty in a first review'),
  rewardHacking: RewardHackingCheck,
});
export type Critique = z.infer<typeof Critique>;

export const Answers = z.object({
  summary: z.string(),
  answers: z.array(FindingAnswer),
});
export type Answers = z.infer<typeof Answers>;

export const WorkReport = z.object({
  summary: z.string().min(1),
  filesChanged: z.array(z.string()),
  /** Kept so the report can set what an agent claimed beside what the gate measured. */
  claims: z.array(z.string()).describe('Anything you believe about the result, e.g. what you ran'),
  /** The explicit way out instead of bending a test: it becomes a decision card for the human. */
  contradiction: z
    .object({
      tests: z.array(z.string()).min(1).describe('The existing test files (or check definitions) the task contradicts'),
      reason: z.string().min(1).describe('What the task asks, what the tests pin, and why both cannot hold'),
    })
    .nullable()
    .default(null)
    .describe('Set ONLY when the task truly contradicts existing tests; a human then decides. Otherwise null'),
});
export type WorkReport = z.infer<typeof WorkReport>;

export const Brief = z.object({
  task: z.string().min(1).describe('The task restated precisely for the worker'),
  acceptance: z.array(z.string()).describe('What must be true when done'),
  risk: z.enum(['low', 'high']),
});
export type Brief = z.infer<typeof Brief>;

export const DirectAnswer = z.object({ answer: z.string().min(1) });
export type DirectAnswer = z.infer<typeof DirectAnswer>;

export const ReportSummary = z.object({ summary: z.string().min(1) });
export type ReportSummary = z.infer<typeof ReportSummary>;
