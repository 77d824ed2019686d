import type { DiffSummary } from '../workspace/types.js';
import type { CallSpec } from './agent-call.js';
import { settleBlockers } from './cards.js';
import { recordChecklist } from './checklist.js';
import type { RunContext } from './context.js';
import { Ledger, type LedgerPhase } from './findings-ledger.js';
import { memoFor, tell } from './memory.js';
import { firstReview, recheckSlot } from './panel.js';
import { answerFindingsPrompt, DECISION_RECHECK, recheckPrompt, reviewPrompt } from './prompts/prompts.js';
import type { Role } from './run-events.js';
import { Answers, Critique } from './schemas.js';
import { revertNotice } from './test-guard.js';
import { raise, type Sight, sight } from './threads.js';

/**
 * Adversarial review: the skeptic reviews the diff read-only; the driver answers every finding (fix, rebut,
 * escalate); the skeptic re-checks; bounded rounds. Every finding ends fixed, rebutted, escalated or — only when
 * the rounds run out — open, and each dispute is written down.
 */
export async function reviewPhase(
  ctx: RunContext,
  /** answer false: the skeptic's findings are recorded and left open (duo review without --answer). */
  opts: { answer?: boolean; note?: string } = {},
): Promise<void> {
  const wt = ctx.state.worktree!;
  if (!ctx.state.roles.skeptic) return;
  ctx.emit({ type: 'phase', phase: 'review', round: 1 });
  const diff = await ctx.diffFrom(wt.baseSha);
  if (!diff.text.trim()) {
    ctx.state.notes.push('Review skipped: the run produced no changes.');
    return;
  }
  // Said in the report: what the skeptic saw only as a summary (binary files, very large diffs).
  for (const n of diff.notes) ctx.state.notes.push(`Review: the skeptic saw a summary, not the content — ${n}.`);
  const key = 'review/r1/review';
  if (!ctx.canCall('skeptic', key)) return;
  const files = diff.files.map((f) => f.path);
  // duox: the worker reviews its own diff in a fresh adversarial session, never its writing session; --panel: the
  // other agent reviews it too, at the same time (panel.ts). Each is told the memory on the files it reviews.
  const batches = await firstReview(ctx, 'review/r1', (fresh, slot) => {
    const memo = memoFor(ctx, slot, files, fresh);
    tell(ctx, slot, memo);
    return reviewPrompt(ctx.state.task, ctx.state.plan, withNotes(diff.text, diff.notes), fresh, opts.note, memo);
  });
  raise(ctx, 'review', 1, batches, ctx.at(key in ctx.state.steps ? key : 'review/r1/panel-review'));
  if (opts.answer === false) return;
  await answerLoop(ctx, 'review', 'review', recheckSlot(ctx));
  const instructions = await settleBlockers(ctx, 'review');
  // The human sided with the skeptic on a disputed blocker: the driver acts on it before verify.
  await actOnDecisions(ctx, 'review', 'review/decisions', instructions, {
    commitMessage: 'duo: apply the human decisions on review findings',
    intro: 'The human decided these disputes',
    slot: recheckSlot(ctx),
  });
}

/**
 * The human decided disputed findings against the driver (sided with the skeptic, or wrote their own decision):
 * the driver carries the decisions out, and — like any other fix — the skeptic re-checks the change before the gate
 * sees it. A decision carried out makes its finding fixed; otherwise it stays escalated, and the record says why.
 * What the re-check newly raises is recorded and left open (the phase's rounds are spent).
 */
export async function actOnDecisions(
  ctx: RunContext,
  phase: LedgerPhase,
  key: string,
  instructions: string[],
  opts: { commitMessage: string; intro: string; slot: string },
): Promise<void> {
  if (!instructions.length) return;
  const ledger = new Ledger(ctx.state);
  const decided = ledger.entries.filter((e) => e.phase === phase && e.decision);
  const fix = await ctx.callAgent(key, 'driver', {
    purpose: 'answer-findings',
    access: 'write',
    schema: Answers,
    schemaName: 'Answers',
    commitMessage: opts.commitMessage,
    ...answerFindingsPrompt(
      ctx.state.task,
      decided,
      `${opts.intro}:\n${instructions.join('\n')}\nApply the decisions.`,
    ),
  });
  const settled = decided.filter((e) => instructions.some((i) => i.startsWith(`[${e.id}]`)));
  const rkey = `${key}/recheck`;
  if (!settled.length || !ctx.canCall('skeptic', rkey)) return;
  const wt = ctx.state.worktree!;
  const diff = fix.commit ? await ctx.ports.workspace.diff(wt.path, `${fix.commit}~1`, fix.commit) : null;
  const recheck = await ctx.callAgent(rkey, 'skeptic', {
    purpose: 'recheck',
    access: 'read-only',
    schema: Critique,
    schemaName: 'Critique',
    slot: opts.slot,
    ...recheckPrompt(ctx.state.task, settled, diff ? withNotes(diff.text, diff.notes) : '', DECISION_RECHECK),
  });
  const at = ctx.at(rkey);
  ledger.recheckDecided(settled, recheck.answer, at, fix.commit);
  const round = Math.max(...settled.map((e) => e.round)) + 1;
  // A new problem in a fix for the gate's own findings is a finding of the verify phase, as for any other fix.
  const raised = ledger.add(phase === 'integrity' ? 'verify' : phase, round, recheck.answer.findings, at);
  ledger.leaveOpen(
    raised,
    at,
    round,
    'raised at the re-check of the change made for the human decision',
    'raised at the re-check of the change made for the human decision; left open (the rounds were spent)',
  );
}

/**
 * A reviewer's call whose new findings join the ledger as threads (threads.ts): the call reads what they point at
 * inside its own step. For the reviews after the first (a verify fix, a re-check).
 */
export async function reviewCall(
  ctx: RunContext,
  key: string,
  role: Role,
  phase: LedgerPhase,
  /** The round its re-checks close, and the round its new findings open. */
  round: { recheck: number; raise: number },
  spec: Omit<CallSpec<Critique>, 'schema' | 'schemaName' | 'after' | 'access'>,
): Promise<Critique> {
  const step = await ctx.callAgent(key, role, {
    ...spec,
    access: 'read-only',
    schema: Critique,
    schemaName: 'Critique',
    after: sight(ctx, 'changed'),
  });
  if (spec.purpose === 'review') recordChecklist(ctx, key, step.agent, step.answer);
  // Re-checks first (they may decline a thread), then the new findings, placed against what is now known.
  new Ledger(ctx.state).recheck(step.answer, round.recheck, ctx.at(key));
  raise(
    ctx,
    phase,
    round.raise,
    [{ reviewer: step.agent, findings: step.answer.findings, sight: step.after as Sight | undefined }],
    ctx.at(key),
  );
  return step.answer;
}

/**
 * The skeptic reviews the driver's fix for a red gate (the fix diff only). Its findings join the ledger as threads: a
 * repeat of a declined one, or one below the floor, takes no fix round.
 */
export async function reviewFix(ctx: RunContext, key: string, attempt: number, diff: DiffSummary): Promise<void> {
  const fresh = ctx.state.mode === 'invert';
  const slot = fresh ? 'reviewer' : 'skeptic';
  const memo = memoFor(
    ctx,
    slot,
    diff.files.map((f) => f.path),
  );
  await reviewCall(
    ctx,
    key,
    'skeptic',
    'verify',
    { recheck: attempt, raise: attempt },
    {
      purpose: 'review',
      ...(fresh ? { slot } : {}),
      ...reviewPrompt(ctx.state.task, null, withNotes(diff.text, diff.notes), fresh, undefined, memo),
    },
  );
  tell(ctx, slot, memo);
}

/**
 * Driver answers open findings of a phase, a reviewer re-checks (the skeptic, or the panel's other agent when only
 * it reviewed: slot "panel"), until none is open or the round cap. The re-check gets the fix diff and the open
 * threads, never the whole change again.
 */
export async function answerLoop(
  ctx: RunContext,
  phase: LedgerPhase,
  prefix: string,
  skepticSlot = 'skeptic',
  /** What the driver and the skeptic are told about these findings (default: the skeptic's review). */
  framing: { context?: string; recheck?: string } = {},
): Promise<void> {
  const ledger = new Ledger(ctx.state);
  const cap = ctx.config.limits.reviewRounds;
  const wt = ctx.state.worktree!;
  for (let round = 1; round <= cap; round++) {
    const open = ledger.open(phase);
    if (open.length === 0) return;
    if (round > 1) ctx.emit({ type: 'phase', phase, round });
    const akey = `${prefix}/r${round}/answer`;
    const answers = await ctx.callAgent(akey, 'driver', {
      purpose: 'answer-findings',
      access: 'write',
      schema: Answers,
      schemaName: 'Answers',
      commitMessage: `duo: answer ${phase} findings (round ${round})`,
      ...answerFindingsPrompt(
        ctx.state.task,
        open,
        framing.context ??
          [`The skeptic reviewed your change (${phase}, round ${round}).`, revertNotice(ctx)]
            .filter(Boolean)
            .join('\n\n'),
        ctx.recall.rules,
      ),
    });
    const ignored = ledger.answer(answers.answer.answers, round, ctx.at(akey), answers.commit);
    if (ignored.length)
      ctx.state.notes.push(`The driver answered unknown or closed finding ids: ${ignored.join(', ')}.`);
    const answered = open.filter((e) => e.resolution === 'open' && e.answer?.round === round);
    if (answered.length === 0) continue;
    const fixDiff = answers.commit
      ? await ctx.ports.workspace.diff(wt.path, `${answers.commit}~1`, answers.commit)
      : null;
    const rkey = `${prefix}/r${round}/recheck`;
    const role: Role = skepticSlot === 'panel' ? 'panel' : 'skeptic';
    if (!ctx.canCall(role, rkey)) break;
    const rechecker = ctx.roleAgent(role);
    const memo = memoFor(ctx, skepticSlot, fixDiff?.files.map((f) => f.path) ?? []);
    await reviewCall(
      ctx,
      rkey,
      role,
      phase,
      { recheck: round, raise: round + 1 },
      {
        purpose: 'recheck',
        slot: skepticSlot,
        ...recheckPrompt(
          ctx.state.task,
          answered,
          fixDiff ? withNotes(fixDiff.text, fixDiff.notes) : '',
          framing.recheck,
          {
            open: ledger.open(phase).filter((e) => !answered.includes(e)),
            raisedElsewhere: (e) => !!e.reviewers && !e.reviewers.includes(rechecker),
            memo,
          },
        ),
      },
    );
    tell(ctx, skepticSlot, memo);
  }
  if (ledger.open(phase).length) ledger.closeRounds(phase, ctx.clock.now().toISOString(), cap);
}

export function withNotes(text: string, notes: string[]): string {
  return notes.length ? `${text}\n\n(duo: ${notes.join('; ')})` : text;
}
