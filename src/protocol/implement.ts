import type { RunContext } from './context.js';
import { handleContradiction } from './contradiction.js';
import { fanOut, shouldFanOut } from './fanout.js';
import { Ledger } from './findings-ledger.js';
import { implementPrompt } from './prompts/prompts.js';
import { answerLoop } from './review.js';
import { WorkReport } from './schemas.js';

/** Implement: the driver writes the agreed plan in the run's worktree; duo commits it as one step. */
export async function implementPhase(ctx: RunContext, instructions: string[]): Promise<void> {
  ctx.emit({ type: 'phase', phase: 'implement' });
  const plan = ctx.state.plan!;
  const parallel = shouldFanOut(ctx);
  if (parallel.length) {
    const { applied, leftToDriver } = await fanOut(ctx, parallel);
    if (applied.length) {
      instructions.push(
        `Sub-tasks ${applied.join(', ')} were done in parallel and are already in your working directory; do not redo them.`,
      );
    }
    if (leftToDriver.length)
      instructions.push(`Sub-tasks ${leftToDriver.join(', ')} still need doing: do them yourself.`);
  }
  // What the plan phase left open, and the suggestions (below the severity floor, agreed nits): the driver may take them.
  const notes = new Ledger(ctx.state).entries.filter(
    (e) => e.phase === 'plan' && (e.resolution === 'open' || e.resolution === 'suggestion'),
  );
  const work = await ctx.callAgent('implement/driver', 'driver', {
    purpose: 'implement',
    access: 'write',
    schema: WorkReport,
    schemaName: 'WorkReport',
    commitMessage: `duo: implement — ${plan.summary.slice(0, 60)}`,
    ...implementPrompt(ctx.state.task, plan, notes, instructions),
  });
  await handleContradiction(ctx, 'implement/driver', work.answer);
  if (!work.commit) ctx.state.notes.push('The driver reported its implementation but changed no files.');
  if (work.answer.claims.length) {
    // Kept only to set beside what the gate measured; a claim never influences the status.
    ctx.state.notes.push(`The driver claimed: ${work.answer.claims.join('; ')}`);
  }
  if (work.permissionDenials.length) {
    ctx.state.notes.push(`The driver was denied tools while implementing: ${work.permissionDenials.join(', ')}`);
  }
  // Findings on sub-task patches are answered on the integration branch like review findings.
  if (new Ledger(ctx.state).open('subtask').length) await answerLoop(ctx, 'subtask', 'subtask');
}
