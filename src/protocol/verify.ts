import type { IntegrityIssue } from '../gate/integrity/index.js';
import type { VerifyResult } from '../gate/types.js';
import { settleBlockers } from './cards.js';
import type { RunContext } from './context.js';
import { handleContradiction } from './contradiction.js';
import { Ledger } from './findings-ledger.js';
import { type Baseline, baselineError, gateAttempt, removeGateCheckouts } from './gate-checks.js';
import { diagnosePrompt, INTEGRITY_ANSWER, INTEGRITY_RECHECK } from './prompts/prompts.js';
import { GateAttemptStep } from './replay.js';
import { actOnDecisions, answerLoop, reviewFix } from './review.js';
import { WorkReport } from './schemas.js';
import { acceptedByKey, revertNotice, verifyCommands } from './test-guard.js';
import type { VerifyRecord } from './types.js';

/**
 * The verify gate. duo runs the commands itself; only their exit codes, their output and the integrity verdict
 * decide the status. Red → the driver diagnoses and fixes (or answers the integrity findings: put the check back,
 * say why the task changes it, or escalate) → the skeptic reviews → verify again, bounded. No commands → unverified.
 */
export async function verifyPhase(
  ctx: RunContext,
  baseline: Promise<Baseline | null>,
  /** fix false: measure once and send nothing back to the driver (duo review without --answer). */
  opts: { fix?: boolean } = {},
): Promise<VerifyRecord['status']> {
  ctx.emit({ type: 'phase', phase: 'verify' });
  const commands = verifyCommands(ctx);
  if (commands.length === 0) {
    ctx.state.notes.push(
      'No verify commands were given or detected, so nothing was verified. Pass --verify "<cmd>" or set "verify" in duo.config.json.',
    );
  }
  ctx.state.baseline = await baseline;
  if (!ctx.state.baseline && commands.length)
    ctx.state.notes.push(
      `No baseline was taken (${baselineError(ctx) ?? 'unknown reason'}): failures cannot be told apart from ones already there at the base.`,
    );
  const cap = opts.fix === false ? 1 : ctx.config.limits.verifyRounds;
  let status: VerifyRecord['status'] = 'unverified';
  try {
    for (let attempt = 1; attempt <= cap; attempt++) {
      if (attempt > 1) ctx.emit({ type: 'phase', phase: 'verify', round: attempt });
      const prefix = `verify/a${attempt}`;
      const outcome = await ctx.step(
        `${prefix}/gate`,
        () => gateAttempt(ctx, commands, attempt, ctx.state.baseline),
        GateAttemptStep,
      );
      ctx.state.verify.push({ attempt, ...outcome });
      syncIntegrity(ctx, outcome, attempt, ctx.at(`${prefix}/gate`));
      status = outcome.status;
      if (status !== 'red' || attempt === cap) break;

      const bent = new Ledger(ctx.state)
        .open('integrity')
        .filter((e) => e.integrityKey && !e.integrityKey.startsWith('contradiction:'));
      if (bent.length) await answerIntegrity(ctx, prefix);
      const comparisons = outcome.integrity?.comparisons ?? [];
      const failing = outcome.results.filter((r, i) => !r.passed && comparisons[i]?.preExisting !== 'all');
      if (failing.length) await fixAttempt(ctx, attempt, outcome.results, comparisons);
      else if (!bent.length) {
        const outside = outcome.integrity?.unaccepted.some((k) => k.startsWith('outside-write:'));
        ctx.state.notes.push(
          outside
            ? 'The run wrote outside its worktree (see Test integrity): no fix by the driver can undo that, so the gate stays red.'
            : 'Every failing command was already failing the same way at the base: nothing this run broke is left to fix, so the gate stays red (see the baseline).',
        );
        break;
      }
    }
  } finally {
    await removeGateCheckouts(ctx);
  }
  return status;
}

/**
 * Integrity issues join the ledger as duo's own findings (phase `integrity`, blocker): one entry per issue key
 * across attempts. An issue the next measurement no longer shows is fixed — by measurement, not by anyone's word;
 * one that comes back is reopened.
 */
function syncIntegrity(ctx: RunContext, outcome: Omit<VerifyRecord, 'attempt'>, attempt: number, at: string): void {
  const verdict = outcome.integrity;
  if (!verdict) return;
  const ledger = new Ledger(ctx.state);
  const entries = ledger.entries.filter((e) => e.phase === 'integrity' && e.integrityKey);
  const unaccepted = new Set(verdict.unaccepted);
  // A write outside the worktree is nothing the driver can answer: the report says how to restore it.
  for (const issue of verdict.issues.filter((i) => unaccepted.has(i.key) && i.kind !== 'outside-write')) {
    const existing = entries.find((e) => e.integrityKey === issue.key);
    if (existing) {
      if (existing.resolution === 'fixed') {
        existing.resolution = 'open';
        existing.history.push({
          at,
          round: attempt,
          event: 'gate-measured',
          note: `still there at verify attempt ${attempt}`,
        });
      }
      continue;
    }
    const [entry] = ledger.add('integrity', attempt, [integrityFinding(issue, entries.length + 1)], at);
    if (entry) {
      entry.integrityKey = issue.key;
      entries.push(entry);
    }
  }
  for (const e of entries) {
    if (e.integrityKey?.startsWith('contradiction:')) continue;
    if ((e.resolution === 'open' || e.resolution === 'escalated') && !unaccepted.has(e.integrityKey as string)) {
      const accepted = acceptedByKey(ctx)[e.integrityKey as string];
      if (accepted) continue;
      e.resolution = 'fixed';
      e.history.push({ at, round: attempt, event: 'gate-measured', note: `gone at verify attempt ${attempt}` });
    }
  }
}

function integrityFinding(issue: IntegrityIssue, n: number) {
  return {
    id: `I${n}`,
    severity: 'blocker' as const,
    file: issue.path,
    line: issue.line,
    claim: `duo's gate: ${issue.title}.`,
    evidence: issue.evidence,
    stakes:
      'A check changed to pass proves nothing about the code: unless the task really changes this behaviour, green here would be a lie.',
  };
}

/** The driver answers the integrity findings; the skeptic (or, without one, the human) judges a rebuttal. */
async function answerIntegrity(ctx: RunContext, prefix: string): Promise<void> {
  const slot = ctx.state.mode === 'invert' ? 'reviewer' : 'skeptic';
  await answerLoop(ctx, 'integrity', `${prefix}/integrity`, slot, {
    context: `${INTEGRITY_ANSWER}${revertNotice(ctx) ? `\n\n${revertNotice(ctx)}` : ''}`,
    recheck: INTEGRITY_RECHECK,
  });
  if (!ctx.state.roles.skeptic || ctx.state.unreviewed) {
    // No skeptic to check a rebuttal: a human must accept a changed check.
    const ledger = new Ledger(ctx.state);
    for (const e of ledger.open('integrity').filter((x) => x.answer?.action === 'rebut'))
      ledger.escalate(
        e,
        ctx.at(`${prefix}/integrity/r1/answer`),
        'no skeptic can check the rebuttal: the human decides',
      );
  }
  const instructions = await settleBlockers(ctx, 'integrity');
  await actOnDecisions(ctx, 'integrity', `${prefix}/integrity/decisions`, instructions, {
    commitMessage: 'duo: apply the human decisions on the checks',
    intro: 'The human decided',
    slot,
  });
}

/**
 * The failures, as the driver needs them. The output is the gate's own, from its pristine checkout; paths into that
 * checkout are shown as paths into the driver's worktree, so the driver edits its own files, not the gate's.
 */
function renderFailures(
  results: VerifyResult[] | VerifyRecord['results'],
  comparisons: NonNullable<VerifyRecord['integrity']>['comparisons'] = [],
  worktree = '.',
): string {
  return results
    .map((r, i) => ({ r, c: comparisons[i] }))
    .filter(({ r }) => !r.passed)
    .map(({ r, c }) => {
      const why = r.startError ?? r.reason ?? (r.timedOut ? 'timed out' : `exit code ${r.exitCode}`);
      const label =
        c?.preExisting === 'all'
          ? ' — already failing the same way at the base (pre-existing)'
          : c?.preExisting === 'some'
            ? ` — new failures since the base: ${(c.newFailures ?? []).slice(0, 10).join('; ')}`
            : '';
      const output = r.cwd ? r.output.replaceAll(r.cwd, worktree) : r.output;
      return `$ ${r.command}\n(${why}${label})\n${output.slice(-12_000)}`;
    })
    .join('\n\n');
}

async function fixAttempt(
  ctx: RunContext,
  attempt: number,
  results: VerifyResult[] | VerifyRecord['results'],
  comparisons: NonNullable<VerifyRecord['integrity']>['comparisons'],
): Promise<void> {
  const prefix = `verify/a${attempt}`;
  const fix = await ctx.callAgent(`${prefix}/diagnose`, 'driver', {
    purpose: 'diagnose',
    access: 'write',
    schema: WorkReport,
    schemaName: 'WorkReport',
    commitMessage: `duo: fix verify failure (attempt ${attempt})`,
    ...diagnosePrompt(
      ctx.state.task,
      renderFailures(results, comparisons, ctx.cwd),
      revertNotice(ctx),
      previousFailures(ctx, attempt),
    ),
  });
  await handleContradiction(ctx, `${prefix}/diagnose`, fix.answer);
  if (!fix.commit) {
    ctx.state.notes.push(`Verify attempt ${attempt}: the driver's diagnosis changed no files.`);
    return;
  }
  const key = `${prefix}/review`;
  if (!ctx.canCall('skeptic', key)) return;
  const wt = ctx.state.worktree!;
  const diff = await ctx.ports.workspace.diff(wt.path, `${fix.commit}~1`, fix.commit);
  const fresh = ctx.state.mode === 'invert';
  await reviewFix(ctx, key, attempt, diff);
  await answerLoop(ctx, 'verify', prefix, fresh ? 'reviewer' : 'skeptic');
}

/** What the driver was shown at the previous attempt, when it diagnosed that one too (its follow-up then says "the same"). */
function previousFailures(ctx: RunContext, attempt: number): string | undefined {
  const prev = ctx.state.verify.find((v) => v.attempt === attempt - 1);
  if (!prev || !(`verify/a${attempt - 1}/diagnose` in ctx.state.steps)) return undefined;
  return renderFailures(prev.results, prev.integrity?.comparisons, ctx.cwd);
}
