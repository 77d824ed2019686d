/**
 * What duo says around a plan's sub-tasks (fanout.ts): the worker's sub-task, the review of its patch before it is
 * applied, and the driver's hand integration of a reviewed patch that did not apply.
 */

import type { Plan } from '../schemas.js';
import { ANSWER_SHAPE } from './incremental.js';
import { PROTECTED, type Prompt, taskBlock } from './prompts.js';
import { renderPlan } from './render.js';

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
