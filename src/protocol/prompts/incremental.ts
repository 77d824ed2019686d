/**
 * What a resumed session is not told again: the prompts' follow-ups lean on what the agent's own session holds
 * (P6 in `npm run bench` measures what that saves). The memory it was already given, the line on the answer's shape,
 * a verify output that did not change.
 */

import type { DeclinedFinding, HouseRule } from '../memory.js';
import type { LedgerEntry } from '../types.js';

export const ANSWER_SHAPE = 'Answer ONLY with the JSON object the schema asks for.';

/**
 * A follow-up, as a resumed session gets it: without the line on the answer's shape — the session was told it in its
 * first prompt, and the CLIs that resume a session (Claude Code, Codex) hold the answer to the schema themselves.
 */
export function followupOf(text: string): string {
  return text
    .split('\n\n')
    .filter((part) => part !== ANSWER_SHAPE)
    .join('\n\n');
}

/**
 * What the repository remembers, for a reviewer: its house rules and the findings declined before on the files in
 * play. `told`: fingerprints of declined findings this session was already given (a resumed session is not told
 * them again).
 */
export interface Memo {
  rules: HouseRule[];
  declined: DeclinedFinding[];
  told?: string[];
}

export const NO_MEMO: Memo = { rules: [], declined: [] };

/** The declined findings a resumed session was not given yet. */
export function untold(memo: Memo): DeclinedFinding[] {
  const told = new Set(memo.told ?? []);
  return memo.declined.filter((d) => !told.has(d.fingerprint));
}

/** How a reviewer re-checks a finding the driver called a nit (said only when there is one). */
export function nitRule(answered: LedgerEntry[]): string {
  return answered.some((e) => e.answer?.action === 'nit')
    ? 'For a finding the driver marked a nit: "accept-rebuttal" if it is indeed a matter of taste (it becomes a ' +
        'suggestion, no fix), "hold" if it is a correctness issue (say why).'
    : '';
}

/** Verify output with its timings masked: two runs that failed the same way compare equal. */
export function withoutTimings(output: string): string {
  return output.replace(/(duration_ms:?\s*)[\d.]+/g, '$1#').replace(/\b\d+(\.\d+)?\s?(ms|s)\b/g, '#$2');
}
