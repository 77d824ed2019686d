/**
 * One collector per kind of integrity issue. Each reads the measurements the caller took and says, in plain words,
 * what it found and whether it blocks green; `accepted` finds an acceptance given after the issue was raised (by the
 * skeptic or the human), by the issue's key. The verdict (verdict.ts) runs them all.
 */
import { firstOf } from '../../sys/text.js';
import { ranCount } from '../counts.js';
import type { VerifyResult } from '../types.js';
import type { Suspect } from './cheats.js';
import type { Acceptance, IntegrityInput, IntegrityIssue, OriginalRun, ProtectedChange } from './shapes.js';

/** The acceptance an issue has: its own (given with the change), else one given later under its key. */
export type Accepted = (key: string, own: Acceptance | null) => Acceptance | null;

type Collector = (input: IntegrityInput, accepted: Accepted) => IntegrityIssue[];

/** An issue at no particular command or line unless it says so. */
function issue(fields: Omit<IntegrityIssue, 'command' | 'line'> & Partial<IntegrityIssue>): IntegrityIssue {
  return { command: null, line: null, ...fields };
}

/** Failures in `now` that `before` did not have; undefined when the two cannot be compared. */
export function newFailures(now: VerifyResult, before: VerifyResult | undefined): string[] | undefined {
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

/** An existing test modified or deleted (judged by re-running its original, not here), or the checks' definition. */
const changedChecks: Collector = (input, accepted) =>
  input.changes.flatMap((ch) => {
    if (ch.kind === 'test') {
      if (!ch.preExisting || ch.status === 'A') return [];
      const key = `test-changed:${ch.path}`;
      return [
        issue({
          key,
          kind: 'test-changed',
          path: ch.path,
          title: `${ch.path}, ${ch.label ?? 'an existing test'}, was ${ch.status === 'D' ? 'deleted' : 'modified'}`,
          evidence: ch.detail,
          // Judged by re-running its original version (originalsFail), not by the edit itself.
          blocking: false,
          acceptance: accepted(key, ch.acceptance),
        }),
      ];
    }
    const key = `gate-definition:${ch.path}`;
    const title =
      ch.kind === 'manifest'
        ? `the gate part of ${ch.path} (its scripts or test/lint tool entries) changed`
        : ch.kind === 'lockfile'
          ? `${ch.path} changes the locked test/lint/typecheck tools`
          : `${ch.path}, which defines how the checks run, was ${verb(ch.status)}`;
    return [
      issue({
        key,
        kind: 'gate-definition',
        path: ch.path,
        title,
        evidence: ch.detail,
        blocking: true,
        acceptance: accepted(key, ch.acceptance),
      }),
    ];
  });

/** The original-test re-runs whose commands fail where the base did not. */
function failingRuns(run: OriginalRun, input: IntegrityInput) {
  return [...run.results.entries()].flatMap(([k, r]) => {
    const before = input.baseline?.[run.commandIndexes[k] as number];
    const fresh = newFailures(r, before);
    if (r.passed || (fresh !== undefined && fresh.length === 0)) return [];
    const names = fresh?.length ? fresh : (r.failingTests ?? []);
    const failed = `${r.reason ?? 'failed'}.${names.length ? ` Failing: ${names.slice(0, 10).join('; ')}.` : ''}`;
    return [{ r, before, failed }];
  });
}

/** The original versions of changed existing tests, put back and run on the new code, fail: the change bent them. */
const originalsFail: Collector = (input, accepted) => {
  const o = input.original;
  if (!o) return [];
  return failingRuns(o, input).map(({ r, before, failed }) => {
    const key = `original-fails:${r.command}`;
    return issue({
      key,
      kind: 'original-fails',
      path: o.restored.length === 1 ? (o.restored[0] as string) : null,
      command: r.command,
      title:
        `the original version of ${firstOf(o.restored, 3)} fails on the new code` +
        (before ? (before.passed ? ' (it passed at the base)' : '') : ' (no baseline to compare with)'),
      evidence: `duo put back ${firstOf(o.restored, 3)} as they are at the base and ran \`${r.command}\` on the run's code: ${failed}`,
      blocking: true,
      acceptance: accepted(key, null),
    });
  });
};

/** The same for test changes declared and accepted: recorded so the report shows it, never blocking. */
const declaredOriginalsFail: Collector = (input) => {
  const o = input.declared;
  if (!o) return [];
  const why = input.changes.find((c) => c.kind === 'test' && c.acceptance && o.restored.includes(c.path))?.acceptance;
  return failingRuns(o, input).map(({ r, failed }) =>
    issue({
      key: `declared-original-fails:${r.command}`,
      kind: 'declared-original-fails',
      path: o.restored.length === 1 ? (o.restored[0] as string) : null,
      command: r.command,
      title: `the original version of ${firstOf(o.restored, 3)} fails on the final code — changed on purpose`,
      evidence:
        `duo put back ${firstOf(o.restored, 3)} as they are at the base and ran \`${r.command}\` on the final code: ${failed}` +
        (why ? ` Changed on purpose because: ${why.note}` : ''),
      blocking: false,
      acceptance: why ?? null,
    }),
  );
};

const SUSPECT_WHY: Record<Suspect['rule'], string> = {
  'runner-detection': 'Code that behaves differently under the test runner passes the tests without being right.',
  'exit-at-import': 'A module that exits when imported ends the test process before its tests run.',
  'patches-assertions': 'Rebinding the assertion library or the runner makes checks pass whatever the code does.',
  'special-cases-test-input':
    "Returning the expected answer for the tests' own inputs passes them without being right.",
};

/** Added code the cheat scan flagged: blocking until the skeptic (or the human) clears it. */
const suspectCode: Collector = (input, accepted) =>
  input.suspects.map((sus) => {
    const key = `suspect-code:${sus.rule}:${sus.path}:${sus.code}`;
    return issue({
      key,
      kind: 'suspect-code',
      path: sus.path,
      line: sus.line,
      title: `${sus.path}:${sus.line} ${sus.detail} (${sus.rule})`,
      evidence: `Added at ${sus.path}:${sus.line}: \`${sus.code}\`. ${SUSPECT_WHY[sus.rule]}`,
      blocking: true,
      acceptance: accepted(key, sus.acceptance),
    });
  });

/** Writes outside the worktree. Never accepted: the checks ran on what was written. */
const outsideWrites: Collector = (input) =>
  input.outside.map((w) => {
    if (w.dir === '.') {
      // Your own edits while the run went on look the same: only files the run also changes are surely its.
      const overlap = w.overlap ?? [];
      return issue({
        key: 'outside-write:.',
        kind: 'outside-write',
        path: '.',
        title: overlap.length
          ? `the run wrote into your working tree, outside its worktree: ${firstOf(overlap, 10)} (files its own change also touches)`
          : `files in your working tree changed while an agent ran (${w.count} path(s)): yours, or an agent writing outside its worktree`,
        evidence: `Changed during ${w.step}: ${firstOf(w.paths, 10, w.count)}. ${w.restore}`,
        blocking: overlap.length > 0,
        acceptance: null,
      });
    }
    return issue({
      key: `outside-write:${w.dir}`,
      kind: 'outside-write',
      path: w.dir,
      title: `the run wrote into ${w.dir === '.git' ? 'the repository’s shared .git' : `your ${w.dir}`}, outside its worktree (${w.count} path(s), during ${w.step})`,
      evidence: `Changed: ${firstOf(w.paths, 10, w.count)}. To restore: ${w.restore}`,
      blocking: true,
      acceptance: null,
    });
  });

/** Skip/focus markers added. A new test file may say what it leaves for later; an existing test turned off may not. */
const skipsAdded: Collector = (input, accepted) =>
  input.markers.map((m) => {
    const key = `skip-added:${m.path}:${m.marker}`;
    return issue({
      key,
      kind: 'skip-added',
      path: m.path,
      line: m.line,
      title: `${m.added} ${m.marker} marker(s) added to ${m.preExisting ? 'the existing test ' : 'the new test '}${m.path}`,
      evidence: `${m.path}${m.line ? `:${m.line}` : ''} has ${m.added} more ${m.marker} marker(s) than at the base.`,
      blocking: m.preExisting,
      acceptance: accepted(key, m.acceptance),
    });
  });

const acceptedTestChanges = (input: IntegrityInput) =>
  input.changes.filter((c) => c.kind === 'test' && c.preExisting && c.status !== 'A' && c.acceptance);

/** A command that ran fewer tests than at the base. A drop the agreed test changes explain is accepted with them. */
const countDrops: Collector = (input, accepted) => {
  const agreed = acceptedTestChanges(input);
  const markersAdded = input.markers.some((m) => !m.acceptance);
  return input.commands.flatMap((c, i) => {
    const before = input.baseline?.[i]?.counts;
    const now = input.final[i]?.counts;
    if (!before || !now) return [];
    const was = ranCount(before);
    const is = ranCount(now);
    if (was === null || is === null || is >= was) return [];
    const key = `count-drop:${c.command}`;
    const explained =
      agreed.length && !markersAdded
        ? {
            by: agreed[0]?.acceptance?.by ?? 'plan',
            note: `explained by the accepted test changes (${firstOf(
              agreed.map((t) => t.path),
              3,
            )})`,
          }
        : null;
    return [
      issue({
        key,
        kind: 'count-drop',
        path: null,
        command: c.command,
        title: `\`${c.command}\` ran ${was - is} fewer test(s) than at the base (${was} → ${is})`,
        evidence: `At the base ${before.runner} ran ${was} (${before.passed} passed, ${before.skipped} skipped); now ${is} (${now.passed} passed, ${now.skipped} skipped).`,
        blocking: true,
        acceptance: accepted(key, explained),
      }),
    ];
  });
};

/** A test file that named its tests at the base and is now one file-level pass: it registered no test. */
const fileLevelDrops: Collector = (input, accepted) => {
  const agreed = acceptedTestChanges(input);
  return input.commands.flatMap((c, i) => {
    if (!input.baseline?.[i]) return [];
    const was = new Set(input.baseline[i].fileLevel ?? []);
    return (input.final[i]?.fileLevel ?? [])
      .filter((file) => !was.has(file))
      .map((file) => {
        const key = `count-drop:${c.command}:${file}`;
        return issue({
          key,
          kind: 'count-drop',
          path: file,
          command: c.command,
          title: `\`${c.command}\` reported only a file-level pass for ${file}, which ran named tests at the base`,
          evidence:
            `At the base the runner reported the tests inside ${file}; now it reports the file as one test: the file ` +
            'registered no test (it exited or returned before declaring them), so none of its checks ran.',
          blocking: true,
          acceptance: accepted(key, agreed.find((t) => t.path === file)?.acceptance ?? null),
        });
      });
  });
};

/** Every collector, in the order the report lists their issues. */
export const COLLECTORS: readonly Collector[] = [
  changedChecks,
  originalsFail,
  declaredOriginalsFail,
  suspectCode,
  outsideWrites,
  skipsAdded,
  countDrops,
  fileLevelDrops,
];

function verb(status: ProtectedChange['status']): string {
  return status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'changed';
}
