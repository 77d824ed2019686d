/**
 * The verdict: did the run make the checks pass by changing the code, or by changing the checks? SWE-bench's
 * harness never trusts a model's own test edits; neither does duo. From measurements the caller took — the
 * baseline (the untouched base), the final gate (a pristine checkout of the run's commit, with the base's
 * definition of the gate unless a change to it was accepted), the original versions of the pre-existing tests the
 * run changed (re-run on the new code), the protected files the run changed, the skip/focus markers it added, the
 * suspect code it added and what it wrote outside its worktree — this module decides, purely:
 * - which failures were already there at the base (labelled, never hidden, never blamed on the run);
 * - which integrity issues block green until someone accepted them: the agreed plan (declared, critiqued by the
 *   skeptic), the skeptic (a rebuttal it accepted) or the human (a decision card). A write outside the worktree is
 *   never accepted: it blocks green until the run is gated again after the user restored what was written.
 */
import type { VerifyResult } from '../types.js';
import { type Accepted, COLLECTORS, newFailures } from './issues.js';
import type { CommandComparison, IntegrityInput, IntegrityIssue, IntegrityVerdict, IssueKind, Side } from './shapes.js';

const side = (r: VerifyResult): Side => ({
  exitCode: r.exitCode,
  passed: r.passed,
  ...(r.counts ? { counts: r.counts } : {}),
  ...(r.problems !== undefined ? { problems: r.problems } : {}),
});

/** Each command, base against final: which of its failures were already there at the base. */
function compare(input: IntegrityInput): CommandComparison[] {
  return input.commands.map((c, i) => {
    const now = input.final[i] as VerifyResult;
    const before = input.baseline?.[i];
    let preExisting: CommandComparison['preExisting'] = null;
    let fresh: string[] | undefined;
    if (!now.passed && before?.passed) preExisting = 'none';
    else if (!now.passed && before && !now.startError) {
      fresh = newFailures(now, before);
      preExisting = fresh === undefined ? 'unknown' : fresh.length === 0 ? 'all' : 'some';
    }
    return {
      command: c.command,
      kind: c.kind,
      base: before ? side(before) : null,
      final: side(now),
      preExisting,
      ...(fresh?.length ? { newFailures: fresh } : {}),
    };
  });
}

export function assessIntegrity(input: IntegrityInput): IntegrityVerdict {
  const accepted: Accepted = (key, own) => own ?? input.accepted[key] ?? null;
  const issues = COLLECTORS.flatMap((collect) => collect(input, accepted));
  const unaccepted = issues.filter((i) => i.blocking && !i.acceptance).map((i) => i.key);
  return {
    comparisons: compare(input),
    issues,
    unaccepted,
    headline: headline(issues.filter((i) => unaccepted.includes(i.key))),
  };
}

/** Why the run is not green on integrity, most serious first, in plain words. */
function headline(standing: IntegrityIssue[]): string | null {
  if (!standing.length) return null;
  const titles = (kinds: IssueKind[]) => standing.filter((i) => kinds.includes(i.kind)).map((i) => i.title);
  const some = (t: string[]) => `${t.slice(0, 3).join('; ')}${t.length > 3 ? ` (and ${t.length - 3} more)` : ''}`;
  const parts: string[] = [];
  const outside = titles(['outside-write']);
  if (outside.length) parts.push(`the run wrote outside its worktree: ${some(outside)}`);
  const checks = titles(['gate-definition', 'test-changed', 'original-fails', 'skip-added', 'count-drop']);
  if (checks.length) parts.push(`the checks were changed, not only the code, and nobody accepted it: ${some(checks)}`);
  const suspect = titles(['suspect-code']);
  if (suspect.length) parts.push(`added code looks made to pass the tests and nobody cleared it: ${some(suspect)}`);
  return parts.join('; ');
}
