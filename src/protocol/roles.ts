import type { Config } from '../config/schema.js';
import type { ConcreteMode, RunState } from './types.js';

/**
 * Who plays what in each mode.
 * - pair:   driver = roles.driver (Claude), skeptic = roles.skeptic (Codex).
 * - invert: (duox) the skeptic's agent (Codex) does the heavy lifting — plans, implements, reviews its own diff in a
 *           fresh adversarial session, diagnoses; the driver's agent (Claude) only dispatches (brief) and reports.
 * - review: (duo review) the skeptic reviews the user's own diff; the driver may answer; the gate runs.
 * - solo / answer: the driver alone; the gate still runs in solo.
 */
export function rolesFor(mode: ConcreteMode, config: Config): RunState['roles'] {
  const { driver, skeptic } = config.roles;
  switch (mode) {
    case 'pair':
      return { driver, skeptic, dispatcher: null, subtask: config.roles.subtask ?? skeptic };
    case 'invert':
      return { driver: skeptic, skeptic, dispatcher: driver, subtask: config.roles.subtask ?? skeptic };
    case 'review':
      // The skeptic reviews what the user has; the driver answers only with --answer.
      return { driver, skeptic, dispatcher: null, subtask: null };
    case 'solo':
    case 'answer':
      return { driver, skeptic: null, dispatcher: null, subtask: config.roles.subtask ?? driver };
  }
}
