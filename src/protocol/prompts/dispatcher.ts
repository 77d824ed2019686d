/**
 * What duo says to the dispatcher (a cheap first and last call: the task's brief, the run's summary) and to the
 * agent that answers a question directly (answer mode).
 */

import { ANSWER_SHAPE } from './incremental.js';
import { type Prompt, taskBlock } from './prompts.js';

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
