import { settleBlockers } from './cards.js';
import type { RunContext } from './context.js';
import { Ledger } from './findings-ledger.js';
import { memoFor, tell } from './memory.js';
import { checkPlanPaths } from './plan-risk.js';
import { critiquePrompt, planPrompt, revisePrompt } from './prompts/prompts.js';
import { PlanCommitStep } from './replay.js';
import { Critique, Plan } from './schemas.js';
import { raise, type Sight, sight } from './threads.js';

const filesOf = (plan: Plan) => [...plan.files.map((f) => f.path), ...plan.testChanges.map((c) => c.path)];

/**
 * Plan phase: the driver drafts, the skeptic critiques, the driver revises answering every finding, until the
 * skeptic has no open blocker/major finding or the round cap is reached. What stays disputed is recorded; a
 * disputed blocker goes to the human as a card. Returns the human's instructions for the implementer.
 */
export async function planPhase(ctx: RunContext, brief?: string): Promise<string[]> {
  const { task } = ctx.state;
  const ledger = new Ledger(ctx.state);
  const cap = ctx.config.limits.planRounds;
  ctx.emit({ type: 'phase', phase: 'plan', round: 1 });
  const draft = await ctx.callAgent('plan/r1/draft', 'driver', {
    purpose: 'plan',
    access: 'read-only',
    schema: Plan,
    schemaName: 'Plan',
    ...planPrompt(task, brief, ctx.recall.rules),
  });
  let plan = draft.answer;
  ctx.state.plan = plan;
  // Auto mode: a one-agent run whose plan touches risky paths becomes a pair here, before any code is written.
  await checkPlanPaths(ctx, plan);
  if (!ctx.state.roles.skeptic || ctx.state.mode === 'solo') {
    ctx.state.planConverged = true;
    return [];
  }

  let answered: typeof ledger.entries = [];
  let previous: Plan | null = null;
  for (let round = 1; round <= cap; round++) {
    if (round > 1) ctx.emit({ type: 'phase', phase: 'plan', round });
    const key = `plan/r${round}/critique`;
    if (!ctx.canCall('skeptic', key)) break;
    const memo = memoFor(ctx, 'skeptic', filesOf(plan));
    const critique = await ctx.callAgent(key, 'skeptic', {
      purpose: 'critique',
      access: 'read-only',
      schema: Critique,
      schemaName: 'Critique',
      after: sight(ctx, filesOf(plan)),
      ...critiquePrompt(task, plan, round, answered, { ...memo, previous }),
    });
    tell(ctx, 'skeptic', memo);
    ledger.recheck(critique.answer, round, ctx.at(key));
    raise(
      ctx,
      'plan',
      round,
      [{ reviewer: critique.agent, findings: critique.answer.findings, sight: critique.after as Sight | undefined }],
      ctx.at(key),
    );
    if (ledger.blocking('plan').length === 0) {
      ctx.state.planConverged = true;
      break;
    }
    if (round === cap) break;
    const open = ledger.open('plan');
    const rkey = `plan/r${round + 1}/revise`;
    const revised = await ctx.callAgent(rkey, 'driver', {
      purpose: 'revise',
      access: 'read-only',
      schema: Plan,
      schemaName: 'Plan',
      ...revisePrompt(task, open, round),
    });
    previous = plan;
    plan = revised.answer;
    ctx.state.plan = plan;
    ledger.answer(plan.answers, round + 1, ctx.at(rkey), null);
    answered = open.filter((e) => e.resolution === 'open' && e.answer?.round === round + 1);
  }
  if (ledger.blocking('plan').length > 0) {
    ctx.state.planConverged = false;
    ledger.closeRounds('plan', ctx.clock.now().toISOString(), cap);
  } else {
    ctx.state.planConverged = true;
  }
  ctx.checkpoint();
  return settleBlockers(ctx, 'plan');
}

/**
 * The agreed plan is the run branch's first step: a commit that changes no files and carries the plan in its
 * message, so `git log duo/<runId>` reads plan → implementation → each fix.
 */
export async function commitPlan(ctx: RunContext, instructions: string[]): Promise<void> {
  const { state } = ctx;
  const plan = state.plan;
  if (!plan || !state.worktree) return;
  const cwd = state.worktree.path;
  await ctx.step(
    'plan/commit',
    async () => {
      const list = (items: string[]) => items.map((i) => `- ${i}`).join('\n') || '- (none)';
      const status =
        state.mode === 'solo' || !state.roles.skeptic
          ? 'not critiqued (single agent)'
          : state.planConverged
            ? 'agreed by both agents'
            : 'still disputed after the round cap (see the disagreement log)';
      const message = [
        `duo: plan — ${plan.summary.slice(0, 60)}`,
        '',
        `Plan ${status}.`,
        '',
        plan.approach,
        '',
        `Files:\n${list(plan.files.map((f) => `${f.path}: ${f.change}`))}`,
        `Tests:\n${list(plan.tests)}`,
        `Risks:\n${list(plan.risks)}`,
        ...(plan.rollback ? [`Rollback: ${plan.rollback}`] : []),
        ...(instructions.length ? [`Human decisions:\n${list(instructions)}`] : []),
      ].join('\n');
      const sha = await ctx.ports.workspace.commitNote(cwd, message);
      state.headSha = sha;
      return sha;
    },
    PlanCommitStep,
  );
}
