import type { RunState, VerifyRecord } from '../protocol/types.js';

/**
 * The report's "Test integrity" section: how the run's checks compare with the untouched base, what it did to the
 * protected files (existing tests, the gate's definition) and how each change was judged. A reader weeks later
 * must be able to tell "green because the code is right" from "green because the tests were changed on purpose,
 * and who accepted that".
 */
type Integrity = NonNullable<VerifyRecord['integrity']>;
type Side = Integrity['comparisons'][number]['final'];

export function renderIntegrity(state: RunState): string[] {
  const last = state.verify.at(-1);
  const integrity = last?.integrity;
  if (!last) return state.outsideWrites.length ? ['', '## Test integrity', '', ...outsideLines(state)] : [];
  if (!integrity && !state.reverts.length && !state.baseline && !state.outsideWrites.length) return [];
  const out = ['', '## Test integrity', ''];
  out.push(
    "duo ran the checks on the untouched base as well (the baseline), ran them on a pristine checkout of the run's " +
      `commit${last.sha ? ` ${last.sha.slice(0, 12)} (exactly what applying the run brings in)` : ''} with the base's ` +
      'definition of the checks, and re-ran the original version of every existing test the run changed.',
  );
  out.push(...outsideLines(state));

  if (integrity?.comparisons.length) {
    out.push('', '| command | base | final |', '|---|---|---|');
    for (const c of integrity.comparisons) {
      const label = comparisonNote(c);
      out.push(
        `| \`${cell(c.command)}\` | ${c.base ? side(c.base) : 'not taken'} | ${side(c.final)}${cell(label ? ` — ${label}` : '')} |`,
      );
    }
  } else if (!state.baseline) {
    out.push('', 'No baseline was taken.');
  }

  if (last.baseDefinition?.length) {
    out.push(
      '',
      `**The gate ran the checks as defined at the base** for ${last.baseDefinition.map((p) => `\`${p}\``).join(', ')}: ` +
        "the run's change to them was not accepted.",
    );
  }

  const issues = (integrity?.issues ?? []).filter((i) => i.kind !== 'outside-write');
  const onPurpose = issues.filter((i) => i.acceptance && i.kind !== 'declared-original-fails');
  const unaccepted = issues.filter((i) => i.blocking && !i.acceptance);
  const info = issues.filter((i) => !i.blocking && !i.acceptance);
  const originalsPass = !!last.original && !unaccepted.some((i) => i.kind === 'original-fails');
  if (unaccepted.length) {
    out.push('', '**Not accepted — the run cannot be green while these stand:**');
    for (const i of unaccepted) out.push(`- ${i.title}. ${i.evidence}`);
  }
  if (onPurpose.length) {
    out.push('', '**Tests changed on purpose:**');
    for (const i of onPurpose) {
      out.push(`- ${i.title} — ${acceptedBy(i.acceptance?.by)}: ${i.acceptance?.note}`);
    }
  }
  if (info.length) {
    out.push('', '**Also changed:**');
    for (const i of info) {
      const passes = originalsPass && i.kind === 'test-changed' && last.original?.restored.includes(i.path ?? '');
      out.push(`- ${i.title}${passes ? ' — its original version still passes on the new code' : ''}`);
    }
  }
  if (last.original) {
    out.push('', '**Original tests re-run** (as they are at the base, on the new code):');
    for (const r of last.original.results)
      out.push(
        `- \`${r.command}\` with ${last.original.restored.map((p) => `\`${p}\``).join(', ')}: ` +
          `${r.passed ? 'passed' : `FAILED (${r.reason ?? `exit ${r.exitCode}`})`}`,
      );
  }
  if (last.declared) {
    const reasons = issues.filter((i) => i.acceptance && i.path && last.declared?.restored.includes(i.path));
    const because = reasons.map((i) => i.acceptance?.note).find(Boolean);
    out.push(
      '',
      '**Tests changed on purpose, their original versions re-run** (as they are at the base, on the final code):',
    );
    for (const r of last.declared.results)
      out.push(
        `- original ${last.declared.restored.map((p) => `\`${p}\``).join(', ')} with \`${r.command}\`: ` +
          `${r.passed ? 'still passes on the final code' : `fails on the final code (${r.reason ?? `exit ${r.exitCode}`})`}` +
          `${because ? ` — changed on purpose because: ${because}` : ''}`,
      );
  }
  if (state.reverts.length) {
    out.push(
      '',
      '**Reverted by duo** (undeclared edits to protected files, put back right after the agent wrote them):',
    );
    for (const r of state.reverts) out.push(`- ${r.reason} (${r.agent}, ${r.step})`);
  }
  out.push(...checklistLines(state));
  const reruns = last.results.filter((r) => r.firstTry);
  if (reruns.length) {
    out.push('', '**Re-run alone:**');
    for (const r of reruns)
      out.push(
        `- \`${r.command}\` failed while other checks ran beside it (${r.firstTry?.reason ?? `exit ${r.firstTry?.exitCode}`}); ` +
          `alone it ${r.passed ? 'passed' : 'failed too'}.`,
      );
  }
  return out;
}

/** How a final result compares with the base's (the markdown report and the run page say it the same way). */
export function comparisonNote(c: Integrity['comparisons'][number]): string {
  switch (c.preExisting) {
    case 'all':
      return 'already failing at the base (pre-existing)';
    case 'some':
      return `new failures: ${(c.newFailures ?? []).slice(0, 5).join('; ')}`;
    case 'unknown':
      return 'also failing at the base (cannot tell whether the failures are the same)';
    case 'none':
      return 'passed at the base: a failure this run introduced';
    default:
      return '';
  }
}

/** Who accepted a change to the checks made on purpose. */
export function acceptedBy(by: string | undefined): string {
  return by === 'plan'
    ? 'declared in the agreed plan, accepted by the skeptic with it'
    : by === 'skeptic'
      ? 'accepted by the skeptic'
      : 'accepted by the human';
}

export function side(s: Side): string {
  const exit = s.exitCode === null ? 'no exit code (timed out, or did not start)' : `exit ${s.exitCode}`;
  const c = s.counts;
  if (c) return `${exit} · ${c.passed ?? '?'} passed, ${c.failed} failed, ${c.skipped} skipped`;
  if (s.problems !== undefined) return `${exit} · ${s.problems} problem(s)`;
  return exit;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** Writes the run made outside its worktree, each folder with the files, the verdict and how to put them back. */
function outsideLines(state: RunState): string[] {
  if (!state.outsideWrites.length) return [];
  const verdict = state.verify.at(-1)?.integrity?.issues.filter((i) => i.kind === 'outside-write') ?? [];
  const out = ['', '**Written outside the run’s worktree, during agent calls:**'];
  for (const w of state.outsideWrites) {
    const where =
      w.dir === '.git' ? 'the repository’s shared `.git`' : w.dir === '.' ? 'your working tree' : `your \`${w.dir}\``;
    const shown = w.paths
      .slice(0, 10)
      .map((p) => `\`${cell(p)}\``)
      .join(', ');
    out.push(
      `- ${where}, by ${w.agent} during \`${w.step}\`: ${w.count} path(s): ${shown}${w.count > 10 ? ', …' : ''}`,
    );
  }
  for (const i of verdict) out.push(`- ${i.blocking ? '**Not green:**' : 'Not blocking:'} ${i.title}.`);
  const restore = [...new Set(verdict.map((i) => i.evidence.replace(/^.*?(To restore: |\. (?=Look at))/, '')))];
  for (const r of restore) out.push(`- To restore: ${r.replaceAll('<runId>', state.runId)}`);
  return out;
}

/** Whether each code review went through the reward-hacking checklist, and what it found. */
function checklistLines(state: RunState): string[] {
  if (!state.rewardChecks.length) return [];
  const out = ['', "**The reviewer's reward-hacking checklist:**"];
  for (const c of state.rewardChecks) {
    const ran = c.missing.length
      ? c.checked.length
        ? `went through ${c.checked.length} of ${c.checked.length + c.missing.length} items (not: ${c.missing.join(', ')})`
        : 'did not say it went through it'
      : 'went through every item';
    const found = c.suspicious.length
      ? `; suspicious: ${c.suspicious.slice(0, 5).map(cell).join('; ')}`
      : '; nothing suspicious';
    out.push(`- ${c.agent} at \`${c.step}\`: ${ran}${c.checked.length ? found : ''}`);
  }
  return out;
}
