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
import { z } from 'zod';
import { ranCount, TestCounts } from '../counts.js';
import { type VerifyCommand, VerifyKind, type VerifyResult } from '../types.js';
import type { Suspect } from './cheats.js';
import type { AddedMarker } from './markers.js';
import type { ProtectedKind } from './protection.js';

export const Acceptance = z.object({ by: z.enum(['plan', 'skeptic', 'human']), note: z.string() });
export type Acceptance = z.infer<typeof Acceptance>;

export interface ProtectedChange {
  path: string;
  status: 'A' | 'M' | 'D';
  kind: ProtectedKind;
  /** The file existed at the base (only pre-existing tests are protected; new ones are the run's own). */
  preExisting: boolean;
  /** What changed, in a line or a short diff, for the report and the agents. */
  detail: string;
  /** For a test-side file: "an existing test" or "an existing test helper". */
  label?: string;
  acceptance: Acceptance | null;
}

export interface MarkerChange extends AddedMarker {
  preExisting: boolean;
  acceptance: Acceptance | null;
}

export interface OriginalRun {
  /** Pre-existing test files put back to their base version for this run. */
  restored: string[];
  /** Index into the gate's commands of each result. */
  commandIndexes: number[];
  results: VerifyResult[];
}

export interface SuspectCode extends Suspect {
  acceptance: Acceptance | null;
}

/** Files a run changed outside its worktree: the user's dependencies, or the repository's shared .git. */
export interface OutsideWrite {
  /** The folder written into, as the user knows it (`node_modules`, `packages/app/node_modules`, `.git`). */
  dir: string;
  /** Changed paths under it (capped), and how many in all. */
  paths: string[];
  count: number;
  /** The step during which it was found. */
  step: string;
  /** How to put it back. */
  restore: string;
  /**
   * For the user's working tree (`dir` "."): the changed paths the run's own change also touches. Only those are
   * the run's beyond doubt; other files there may be the user's own edits while the run went on.
   */
  overlap?: string[];
}

export interface IntegrityInput {
  commands: VerifyCommand[];
  /** The same commands on the untouched base, in the same order; null when no baseline could be taken. */
  baseline: VerifyResult[] | null;
  final: VerifyResult[];
  original: OriginalRun | null;
  /** The original versions of declared and accepted test changes, re-run for the record: never blocking. */
  declared: OriginalRun | null;
  changes: ProtectedChange[];
  markers: MarkerChange[];
  suspects: SuspectCode[];
  outside: OutsideWrite[];
  /** Issues accepted after they were raised (by the skeptic or the human), by issue key. */
  accepted: Record<string, Acceptance>;
}

/** The verdict is stored in the run record as it is; these schemas are its one definition. */
export const IssueKind = z.enum([
  'gate-definition',
  'test-changed',
  'original-fails',
  'skip-added',
  'count-drop',
  /** Added code that detects the runner, exits at import, patches assertions or special-cases test inputs. */
  'suspect-code',
  /** The run wrote outside its worktree (the user's dependencies, the shared .git). */
  'outside-write',
  /** The original version of a test changed on purpose fails on the final code: shown, never blocking. */
  'declared-original-fails',
]);
export type IssueKind = z.infer<typeof IssueKind>;

export const IntegrityIssue = z.object({
  /** Stable across attempts: the same problem keeps its key (and its ledger entry). */
  key: z.string(),
  kind: IssueKind,
  path: z.string().nullable(),
  command: z.string().nullable(),
  line: z.number().nullable(),
  /** One line, in words a user understands. */
  title: z.string(),
  evidence: z.string(),
  /** Needs acceptance before the run can be green. */
  blocking: z.boolean(),
  acceptance: Acceptance.nullable(),
});
export type IntegrityIssue = z.infer<typeof IntegrityIssue>;

export const Side = z.object({
  exitCode: z.number().nullable(),
  passed: z.boolean(),
  counts: TestCounts.optional(),
  problems: z.number().optional(),
});
export type Side = z.infer<typeof Side>;

export const CommandComparison = z.object({
  command: z.string(),
  kind: VerifyKind,
  base: Side.nullable(),
  final: Side,
  /** For a command failing at the end: were its failures already there at the base? null: it passed, or no base. */
  preExisting: z.enum(['all', 'some', 'none', 'unknown']).nullable(),
  newFailures: z.array(z.string()).optional(),
});
export type CommandComparison = z.infer<typeof CommandComparison>;

export const IntegrityVerdict = z.object({
  comparisons: z.array(CommandComparison),
  issues: z.array(IntegrityIssue),
  /** Keys of blocking issues nobody accepted: while any is left, the run is not green. */
  unaccepted: z.array(z.string()),
  /** Why the run is not green because of the checks, in plain words; null when nothing is unaccepted. */
  headline: z.string().nullable(),
});
export type IntegrityVerdict = z.infer<typeof IntegrityVerdict>;

const side = (r: VerifyResult): Side => ({
  exitCode: r.exitCode,
  passed: r.passed,
  ...(r.counts ? { counts: r.counts } : {}),
  ...(r.problems !== undefined ? { problems: r.problems } : {}),
});

/** Failures in `now` that `before` did not have; undefined when the two cannot be compared. */
function newFailures(now: VerifyResult, before: VerifyResult | undefined): string[] | undefined {
  if (!before) return undefined;
  if (before.passed) return now.passed ? [] : (now.failingTests ?? [now.reason ?? 'failed']);
  if (now.passed) return [];
  if (now.failingTests && before.failingTests) {
    const was = new Set(before.failingTests);
    return now.failingTests.filter((t) => !was.has(t));
  }
  if (now.counts && before.counts)
    return now.counts.failed > before.counts.failed ? ['more failing tests than at the base'] : [];
  if (now.problems !== undefined && before.problems !== undefined)
    return now.problems > before.problems ? [`${now.problems - before.problems} more problem(s) than at the base`] : [];
  return undefined;
}

export function assessIntegrity(input: IntegrityInput): IntegrityVerdict {
  const { commands, baseline, final } = input;
  const issues: IntegrityIssue[] = [];
  const accepted = (key: string, own: Acceptance | null) => own ?? input.accepted[key] ?? null;

  const comparisons: CommandComparison[] = commands.map((c, i) => {
    const now = final[i] as VerifyResult;
    const before = baseline?.[i];
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

  for (const ch of input.changes) {
    if (ch.kind === 'test') {
      if (!ch.preExisting || ch.status === 'A') continue;
      const key = `test-changed:${ch.path}`;
      issues.push({
        key,
        kind: 'test-changed',
        path: ch.path,
        command: null,
        line: null,
        title: `${ch.path}, ${ch.label ?? 'an existing test'}, was ${ch.status === 'D' ? 'deleted' : 'modified'}`,
        evidence: ch.detail,
        // Judged by re-running its original version (below), not by the edit itself.
        blocking: false,
        acceptance: accepted(key, ch.acceptance),
      });
      continue;
    }
    const key = `gate-definition:${ch.path}`;
    const what =
      ch.kind === 'manifest'
        ? `the gate part of ${ch.path} (its scripts or test/lint tool entries) changed`
        : ch.kind === 'lockfile'
          ? `${ch.path} changes the locked test/lint/typecheck tools`
          : `${ch.path}, which defines how the checks run, was ${verb(ch.status)}`;
    issues.push({
      key,
      kind: 'gate-definition',
      path: ch.path,
      command: null,
      line: null,
      title: what,
      evidence: ch.detail,
      blocking: true,
      acceptance: accepted(key, ch.acceptance),
    });
  }

  if (input.original) {
    const o = input.original;
    for (const [k, r] of o.results.entries()) {
      const idx = o.commandIndexes[k] as number;
      const before = baseline?.[idx];
      const fresh = newFailures(r, before);
      if (r.passed || (fresh !== undefined && fresh.length === 0)) continue;
      const key = `original-fails:${r.command}`;
      const names = fresh?.length ? fresh : (r.failingTests ?? []);
      issues.push({
        key,
        kind: 'original-fails',
        path: o.restored.length === 1 ? (o.restored[0] as string) : null,
        command: r.command,
        line: null,
        title:
          `the original version of ${list(o.restored)} fails on the new code` +
          (before ? (before.passed ? ' (it passed at the base)' : '') : ' (no baseline to compare with)'),
        evidence:
          `duo put back ${list(o.restored)} as they are at the base and ran \`${r.command}\` on the run's code: ` +
          `${r.reason ?? 'failed'}.${names.length ? ` Failing: ${names.slice(0, 10).join('; ')}.` : ''}`,
        blocking: true,
        acceptance: accepted(key, null),
      });
    }
  }

  if (input.declared) {
    const o = input.declared;
    const why = input.changes.find((c) => c.kind === 'test' && c.acceptance && o.restored.includes(c.path))?.acceptance;
    for (const [k, r] of o.results.entries()) {
      const before = baseline?.[o.commandIndexes[k] as number];
      const fresh = newFailures(r, before);
      if (r.passed || (fresh !== undefined && fresh.length === 0)) continue;
      const names = fresh?.length ? fresh : (r.failingTests ?? []);
      issues.push({
        key: `declared-original-fails:${r.command}`,
        kind: 'declared-original-fails',
        path: o.restored.length === 1 ? (o.restored[0] as string) : null,
        command: r.command,
        line: null,
        title: `the original version of ${list(o.restored)} fails on the final code — changed on purpose`,
        evidence:
          `duo put back ${list(o.restored)} as they are at the base and ran \`${r.command}\` on the final code: ` +
          `${r.reason ?? 'failed'}.${names.length ? ` Failing: ${names.slice(0, 10).join('; ')}.` : ''}` +
          (why ? ` Changed on purpose because: ${why.note}` : ''),
        blocking: false,
        acceptance: why ?? null,
      });
    }
  }

  for (const sus of input.suspects) {
    const key = `suspect-code:${sus.rule}:${sus.path}:${sus.code}`;
    issues.push({
      key,
      kind: 'suspect-code',
      path: sus.path,
      command: null,
      line: sus.line,
      title: `${sus.path}:${sus.line} ${sus.detail} (${sus.rule})`,
      evidence: `Added at ${sus.path}:${sus.line}: \`${sus.code}\`. ${SUSPECT_WHY[sus.rule]}`,
      blocking: true,
      acceptance: accepted(key, sus.acceptance),
    });
  }

  for (const w of input.outside) {
    const shown = (paths: string[], count: number) =>
      `${paths.slice(0, 10).join(', ')}${count > 10 ? ` and ${count - 10} more` : ''}`;
    if (w.dir === '.') {
      // Your own edits while the run went on look the same: only files the run also changes are surely its.
      const overlap = w.overlap ?? [];
      issues.push({
        key: 'outside-write:.',
        kind: 'outside-write',
        path: '.',
        command: null,
        line: null,
        title: overlap.length
          ? `the run wrote into your working tree, outside its worktree: ${shown(overlap, overlap.length)} (files its own change also touches)`
          : `files in your working tree changed while an agent ran (${w.count} path(s)): yours, or an agent writing outside its worktree`,
        evidence: `Changed during ${w.step}: ${shown(w.paths, w.count)}. ${w.restore}`,
        blocking: overlap.length > 0,
        acceptance: null,
      });
      continue;
    }
    issues.push({
      key: `outside-write:${w.dir}`,
      kind: 'outside-write',
      path: w.dir,
      command: null,
      line: null,
      title: `the run wrote into ${w.dir === '.git' ? 'the repository’s shared .git' : `your ${w.dir}`}, outside its worktree (${w.count} path(s), during ${w.step})`,
      evidence: `Changed: ${shown(w.paths, w.count)}. To restore: ${w.restore}`,
      // The checks ran on what was written: nobody can accept that after the fact.
      blocking: true,
      acceptance: null,
    });
  }

  for (const m of input.markers) {
    const key = `skip-added:${m.path}:${m.marker}`;
    issues.push({
      key,
      kind: 'skip-added',
      path: m.path,
      command: null,
      line: m.line,
      title: `${m.added} ${m.marker} marker(s) added to ${m.preExisting ? 'the existing test ' : 'the new test '}${m.path}`,
      evidence: `${m.path}${m.line ? `:${m.line}` : ''} has ${m.added} more ${m.marker} marker(s) than at the base.`,
      // A new test file may say what it leaves for later; an existing test turned off is a weakened check.
      blocking: m.preExisting,
      acceptance: accepted(key, m.acceptance),
    });
  }

  const acceptedTestChanges = input.changes.filter(
    (c) => c.kind === 'test' && c.preExisting && c.status !== 'A' && c.acceptance,
  );
  const markersAdded = input.markers.some((m) => !m.acceptance);
  for (const [i, c] of commands.entries()) {
    const before = baseline?.[i]?.counts;
    const now = final[i]?.counts;
    if (!before || !now) continue;
    const was = ranCount(before);
    const is = ranCount(now);
    if (was === null || is === null || is >= was) continue;
    const key = `count-drop:${c.command}`;
    // A drop the agreed test changes explain (a test deleted on purpose) is accepted with them.
    const explained =
      acceptedTestChanges.length && !markersAdded
        ? {
            by: acceptedTestChanges[0]?.acceptance?.by ?? 'plan',
            note: `explained by the accepted test changes (${list(acceptedTestChanges.map((t) => t.path))})`,
          }
        : null;
    issues.push({
      key,
      kind: 'count-drop',
      path: null,
      command: c.command,
      line: null,
      title: `\`${c.command}\` ran ${was - is} fewer test(s) than at the base (${was} → ${is})`,
      evidence: `At the base ${before.runner} ran ${was} (${before.passed} passed, ${before.skipped} skipped); now ${is} (${now.passed} passed, ${now.skipped} skipped).`,
      blocking: true,
      acceptance: accepted(key, explained),
    });
  }
  for (const [i, c] of commands.entries()) {
    const was = new Set(baseline?.[i]?.fileLevel ?? []);
    if (!baseline?.[i]) continue;
    for (const file of final[i]?.fileLevel ?? []) {
      if (was.has(file)) continue;
      const key = `count-drop:${c.command}:${file}`;
      const explained = acceptedTestChanges.find((t) => t.path === file)?.acceptance ?? null;
      issues.push({
        key,
        kind: 'count-drop',
        path: file,
        command: c.command,
        line: null,
        title: `\`${c.command}\` reported only a file-level pass for ${file}, which ran named tests at the base`,
        evidence:
          `At the base the runner reported the tests inside ${file}; now it reports the file as one test: the file ` +
          'registered no test (it exited or returned before declaring them), so none of its checks ran.',
        blocking: true,
        acceptance: accepted(key, explained),
      });
    }
  }

  const unaccepted = issues.filter((i) => i.blocking && !i.acceptance).map((i) => i.key);
  return { comparisons, issues, unaccepted, headline: headline(issues.filter((i) => unaccepted.includes(i.key))) };
}

const SUSPECT_WHY: Record<Suspect['rule'], string> = {
  'runner-detection': 'Code that behaves differently under the test runner passes the tests without being right.',
  'exit-at-import': 'A module that exits when imported ends the test process before its tests run.',
  'patches-assertions': 'Rebinding the assertion library or the runner makes checks pass whatever the code does.',
  'special-cases-test-input':
    "Returning the expected answer for the tests' own inputs passes them without being right.",
};

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

function verb(status: ProtectedChange['status']): string {
  return status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'changed';
}

function list(paths: string[]): string {
  return paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more`;
}
