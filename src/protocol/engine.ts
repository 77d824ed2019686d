/**
 * The run as a resumable program: `execute` walks the phases; every side effect is a journaled step, so
 * `resumeRun` simply executes again and completed steps replay from the record.
 */

import { isAgentError } from '../agents/failure.js';
import { RunContext } from './context.js';
import { dispatchBrief, dispatchSummary } from './dispatch.js';
import { resolveCommands, startBaseline, stopBaseline } from './gate-checks.js';
import { implementPhase } from './implement.js';
import { recallMemory } from './memory.js';
import { rerouteIfWaiting } from './new-run.js';
import { commitPlan, planPhase } from './plan.js';
import type { EnginePorts } from './ports.js';
import { directAnswerPrompt } from './prompts/dispatcher.js';
import { SkepticGoneStep, VerifyCommandsStep, WorktreeStep } from './replay.js';
import { reviewPhase } from './review.js';
import { reviewOnly } from './review-only.js';
import { AwaitingDecision, Interrupted, Paused, RunFailure } from './run-stops.js';
import { DirectAnswer } from './schemas.js';
import { COMMANDS_STEP } from './test-guard.js';
import type { RunState } from './types.js';
import { verifyPhase } from './verify.js';

export { createRunState } from './new-run.js';

/** Step key recorded when the skeptic became unavailable for good and the user allowed a solo finish. */
const SKEPTIC_GONE = 'skeptic/unavailable';

export async function resumeRun(ports: EnginePorts, runId: string): Promise<RunState> {
  return executeRun(ports, ports.store.load(runId));
}

/** Run (or continue) a run whose state is already on disk. */
export function executeRun(ports: EnginePorts, state: RunState): Promise<RunState> {
  return execute(new RunContext(state, ports));
}

/** Projections are rebuilt by replay; the journal, decisions and usage are what persist. */
function resetProjections(state: RunState): void {
  state.plan = null;
  state.planConverged = null;
  state.findings = [];
  state.disagreements = [];
  state.cards = [];
  state.verify = [];
  state.baseline = null;
  state.reverts = [];
  state.outsideWrites = [];
  state.rewardChecks = [];
  state.panel = null;
  state.notes = [];
  state.answer = null;
  state.changes = [];
  state.error = null;
  state.finishedAt = null;
  state.unreviewed = SKEPTIC_GONE in state.steps;
}

async function execute(ctx: RunContext): Promise<RunState> {
  const { state } = ctx;
  // Marks in the event log where this process took the run (what an earlier one had in flight is gone).
  ctx.ports.store.appendEvent(state.runId, { type: 'owner', pid: process.pid });
  // An agent or verify command a killed duo left running would go on in the worktree under the resumed run: stop it.
  const reaped = await ctx.ports.store.reapProcesses(state.runId);
  if (reaped.count) {
    ctx.emit({ type: 'note', text: `stopped ${reaped.summary} left running by the interrupted run` });
    ctx.ports.store.appendEvent(state.runId, { type: 'reaped-processes', ...reaped });
  }
  for (;;) {
    resetProjections(state);
    state.status = 'running';
    state.pause = null;
    state.owner = ctx.owner();
    ctx.checkpoint();
    try {
      rerouteIfWaiting(ctx);
      await protocol(ctx);
      break;
    } catch (e) {
      if (e instanceof AwaitingDecision) {
        state.status = 'awaiting-decision';
      } else if (e instanceof Paused) {
        state.status = 'paused';
        state.pause = { agent: e.agent, until: e.until, reason: e.reason, at: ctx.clock.now().toISOString() };
      } else if (e instanceof Interrupted || ctx.ports.signal?.aborted) {
        state.status = 'interrupted';
      } else if (
        isAgentError(e) &&
        e.agent === state.roles.skeptic &&
        state.roles.skeptic !== state.roles.driver &&
        !state.unreviewed &&
        ctx.config.onSkepticUnavailable === 'solo'
      ) {
        // The user allowed finishing without the skeptic: record it and run the rest solo (replaying what's done).
        await ctx.step(SKEPTIC_GONE, async () => ({ failure: e.failure, message: e.message }), SkepticGoneStep);
        continue;
      } else if (isAgentError(e)) {
        state.status = 'failed';
        state.error = { message: e.message, hint: e.hint, detail: e.detail ?? null };
      } else if (e instanceof RunFailure) {
        state.status = 'failed';
        state.error = { message: e.message, hint: e.hint };
      } else {
        // Not a stack in the report: the message, and the stack in the events for a bug report.
        state.status = 'failed';
        state.error = {
          message: (e as Error).message ?? String(e),
          hint: 'an unexpected error; its stack is in events.jsonl',
        };
        ctx.ports.store.appendEvent(state.runId, { type: 'internal-error', stack: (e as Error).stack ?? String(e) });
      }
      if (state.error?.hint) state.error.hint = state.error.hint.replaceAll('<runId>', state.runId);
      break;
    }
  }
  // A run that stopped early (a decision, a failure, Ctrl-C) does not wait for its baseline: it is stopped and
  // taken again on resume.
  await stopBaseline(ctx);
  state.owner = null;
  if (state.status !== 'interrupted' && state.status !== 'awaiting-decision' && state.status !== 'paused') {
    state.finishedAt = ctx.clock.now().toISOString();
  }
  if (state.worktree && state.mode !== 'answer') {
    try {
      const diff = await ctx.diffFrom(state.worktree.baseSha);
      state.changes = diff.files.map((f) => ({ path: f.path, status: f.status, added: f.added, removed: f.removed }));
    } catch {
      // The record still gets written; the report just lacks the file list.
    }
  }
  if (state.unreviewed)
    state.notes.unshift('The skeptic became unavailable; the rest of the run was done solo and is UNREVIEWED.');
  ctx.checkpoint();
  await ctx.ports.store.writeArtifacts(state);
  return state;
}

async function protocol(ctx: RunContext): Promise<void> {
  const { state, ports } = ctx;
  const ws = ports.workspace;
  state.phase = 'triage';
  const resumed = 'workspace' in state.steps;
  const wt = await ctx.step(
    'workspace',
    async () => {
      try {
        const review = state.options.review;
        return await ws.createWorktree(state.runId, {
          includeUncommitted: state.options.includeUncommitted,
          ...(review ? { at: { base: review.base, head: review.head } } : {}),
        });
      } catch (e) {
        // A crash between creating the worktree and recording it leaves the branch behind: adopt it.
        try {
          return await ws.openWorktree(state.runId);
        } catch {
          throw e;
        }
      }
    },
    WorktreeStep,
  );
  state.worktree = resumed ? await ws.openWorktree(state.runId) : wt;
  state.headSha ??= state.options.review?.head ?? wt.baseSha;
  if (resumed) await ws.resetTo(state.worktree.path, state.headSha);
  // A new worktree is checked out at headSha, a resumed one reset to it: the first call needs no git status.
  ctx.worktreeChanged({ kind: 'placed' });
  // What the repository remembers (declined findings, house rules), taken once and journaled: see memory.ts.
  if (state.mode !== 'answer') ctx.recall = await recallMemory(ctx);

  if (state.mode === 'review') return reviewOnly(ctx);

  if (state.mode === 'answer') {
    state.phase = 'plan';
    const r = await ctx.callAgent('answer', 'driver', {
      purpose: 'answer',
      access: 'read-only',
      schema: DirectAnswer,
      schemaName: 'DirectAnswer',
      ...directAnswerPrompt(state.task),
    });
    state.answer = r.answer.answer;
    state.status = 'answered';
    state.phase = 'done';
    return;
  }

  // The gate's commands are fixed on the untouched base, before any agent runs: what the driver later does to
  // package.json or a Makefile cannot change what the gate runs. The baseline starts now, beside the plan.
  const commands = await ctx.step(COMMANDS_STEP, () => resolveCommands(ctx), VerifyCommandsStep);
  const baseline = startBaseline(ctx, commands);

  const brief = await dispatchBrief(ctx);

  state.phase = 'plan';
  const planInstructions = await planPhase(ctx, brief);
  await commitPlan(ctx, planInstructions);
  state.phase = 'implement';
  await implementPhase(ctx, planInstructions);
  state.phase = 'review';
  await reviewPhase(ctx);
  state.phase = 'verify';
  state.status = await verifyPhase(ctx, baseline);
  state.phase = 'report';
  await dispatchSummary(ctx);
  state.phase = 'done';
}
