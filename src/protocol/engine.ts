import { randomBytes } from 'node:crypto';
import { isAgentError } from '../agents/errors.js';
import { type Headroom, unknownHeadroom } from '../budget/headroom.js';
import type { Mode } from '../config/schema.js';
import { reapRunProcesses } from '../record/agent-processes.js';
import { writeRunArtifacts } from '../record/report.js';
import { AwaitingDecision, type EnginePorts, Interrupted, Paused, RunContext, RunFailure } from './context.js';
import { implementPhase } from './implement.js';
import { resolveCommands, startBaseline, stopBaseline } from './integrity.js';
import { Ledger } from './ledger.js';
import { planPhase } from './plan.js';
import { answerFindingsPrompt, briefPrompt, directAnswerPrompt, summaryPrompt } from './prompts/prompts.js';
import { COMMANDS_STEP } from './protect.js';
import { reviewPhase } from './review.js';
import { reviewOnly } from './review-only.js';
import { rolesFor } from './roles.js';
import { route, routeRecord } from './route.js';
import { Answers, Brief, DirectAnswer, ReportSummary } from './schemas.js';
import type { ConcreteMode, RunOptions, RunState } from './types.js';
import { verifyPhase } from './verify.js';

/**
 * The run as a resumable program: `execute` walks the phases; every side effect is a journaled step, so
 * `resumeRun` simply executes again and completed steps replay from the record.
 */
export interface RunInput {
  task: string;
  /** `review` (duo review) needs options.review: what to review. */
  mode: Mode | 'review';
  options: RunOptions;
  runId?: string;
}

/** Step key recorded when the skeptic became unavailable for good and the user allowed a solo finish. */
const SKEPTIC_GONE = 'skeptic/unavailable';

export function newRunId(now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(2).toString('hex')}`;
}

export function createRunState(ports: EnginePorts, input: RunInput, repoRoot: string): RunState {
  const clockNow = ports.clock?.now() ?? new Date();
  const now = clockNow.toISOString();
  let mode: ConcreteMode;
  let roles: RunState['roles'];
  let triaged: RunState['triage'] = null;
  if (input.mode === 'auto') {
    const decision = route(input.task, ports.config, headroomOf(ports, clockNow), clockNow);
    mode = decision.mode;
    roles = decision.roles;
    triaged = routeRecord(decision);
  } else {
    mode = input.mode;
    roles = rolesFor(mode, ports.config);
  }
  return {
    version: 1,
    runId: input.runId ?? newRunId(new Date(now)),
    task: input.task,
    requestedMode: input.mode,
    mode,
    roles,
    repoRoot,
    createdAt: now,
    updatedAt: now,
    finishedAt: null,
    status: 'running',
    phase: 'triage',
    options: input.options,
    worktree: null,
    headSha: null,
    steps: {},
    plan: null,
    planConverged: null,
    findings: [],
    disagreements: [],
    cards: [],
    decisions: [],
    verify: [],
    baseline: null,
    reverts: [],
    answer: null,
    changes: [],
    unreviewed: false,
    triage: triaged,
    pause: null,
    models: {},
    notes: [],
    usage: {},
    error: null,
    owner: null,
  };
}

/** Each agent's headroom from the usage ledger; without one (tests, the demo) every agent is "unknown". */
function headroomOf(ports: EnginePorts, now: Date): (agent: string) => Headroom {
  return (agent) => ports.budget?.headroom(agent, now) ?? unknownHeadroom(agent);
}

/**
 * A run that was created while both agents were out routes again when it is resumed, before anything has run: by
 * then one of them may have room, and the figures decide afresh.
 */
function rerouteIfWaiting(ctx: RunContext): void {
  const { state } = ctx;
  if (state.requestedMode !== 'auto' || !state.triage?.wait || Object.keys(state.steps).length) return;
  const now = ctx.clock.now();
  const decision = route(state.task, ctx.config, headroomOf(ctx.ports, now), now);
  state.mode = decision.mode;
  state.roles = decision.roles;
  state.triage = routeRecord(decision);
  if (decision.wait)
    throw new Paused(
      decision.headroom[0]?.agent ?? state.roles.driver,
      decision.wait.until,
      `every agent is out of room: ${decision.reason}`,
    );
}

export async function startRun(ports: EnginePorts, input: RunInput): Promise<RunState> {
  const state = createRunState(ports, input, ports.workspace.repoRoot);
  ports.store.save(state);
  return executeRun(ports, state);
}

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
  const reaped = await reapRunProcesses(ctx.ports.store.dir(state.runId));
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
        await ctx.step(SKEPTIC_GONE, async () => ({ failure: e.failure, message: e.message }));
        continue;
      } else if (isAgentError(e)) {
        state.status = 'failed';
        state.error = { message: e.message, hint: e.hint };
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
      const diff = await ctx.ports.workspace.diff(state.worktree.path, state.worktree.baseSha);
      state.changes = diff.files.map((f) => ({ path: f.path, status: f.status, added: f.added, removed: f.removed }));
    } catch {
      // The record still gets written; the report just lacks the file list.
    }
  }
  if (state.unreviewed)
    state.notes.unshift('The skeptic became unavailable; the rest of the run was done solo and is UNREVIEWED.');
  ctx.checkpoint();
  writeRunArtifacts(ctx.ports.store, state);
  return state;
}

async function protocol(ctx: RunContext): Promise<void> {
  const { state, ports } = ctx;
  const ws = ports.workspace;
  state.phase = 'triage';
  const resumed = 'workspace' in state.steps;
  const wt = await ctx.step('workspace', async () => {
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
  });
  state.worktree = resumed ? await ws.openWorktree(state.runId) : wt;
  state.headSha ??= state.options.review?.head ?? wt.baseSha;
  if (resumed) await ws.resetTo(state.worktree.path, state.headSha);

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
  const commands = await ctx.step(COMMANDS_STEP, () => resolveCommands(ctx));
  const baseline = startBaseline(ctx, commands);

  let brief: string | undefined;
  if (state.roles.dispatcher) {
    const b = await ctx.callAgent('dispatch/brief', 'dispatcher', {
      purpose: 'brief',
      access: 'read-only',
      schema: Brief,
      schemaName: 'Brief',
      ...briefPrompt(state.task),
    });
    brief = `${b.answer.task}\nAcceptance:\n${b.answer.acceptance.map((a) => `- ${a}`).join('\n')}\nRisk: ${b.answer.risk}`;
  }

  state.phase = 'plan';
  const planInstructions = await planPhase(ctx, brief);
  await commitPlan(ctx, planInstructions);
  state.phase = 'implement';
  await implementPhase(ctx, planInstructions);
  state.phase = 'review';
  const reviewInstructions = await reviewPhase(ctx);
  if (reviewInstructions.length) {
    // The human sided with the skeptic on a disputed blocker: the driver must act on it before verify.
    const open = new Ledger(state).entries.filter((e) => e.decision && e.phase === 'review');
    await ctx.callAgent('review/decisions', 'driver', {
      purpose: 'answer-findings',
      access: 'write',
      schema: Answers,
      schemaName: 'Answers',
      commitMessage: 'duo: apply the human decisions on review findings',
      ...answerFindingsPrompt(
        state.task,
        open,
        `The human decided these disputes:\n${reviewInstructions.join('\n')}\nApply the decisions.`,
      ),
    });
  }
  state.phase = 'verify';
  state.status = await verifyPhase(ctx, baseline);
  state.phase = 'report';
  if (state.roles.dispatcher) {
    const facts = JSON.stringify({
      task: state.task,
      status: state.status,
      findings: state.findings.map((f) => ({
        id: f.id,
        severity: f.finding.severity,
        claim: f.finding.claim,
        resolution: f.resolution,
      })),
      verify: state.verify.at(-1)?.results.map((r) => ({ command: r.command, exitCode: r.exitCode, passed: r.passed })),
    });
    const s = await ctx.callAgent('report/summary', 'dispatcher', {
      purpose: 'report',
      access: 'read-only',
      schema: ReportSummary,
      schemaName: 'ReportSummary',
      resume: false,
      ...summaryPrompt(facts),
    });
    state.notes.push(`Dispatcher's summary: ${s.answer.summary}`);
  }
  state.phase = 'done';
}

/**
 * The agreed plan is the run branch's first step: a commit that changes no files and carries the plan in its
 * message, so `git log duo/<runId>` reads plan → implementation → each fix.
 */
async function commitPlan(ctx: RunContext, instructions: string[]): Promise<void> {
  const { state } = ctx;
  const plan = state.plan;
  if (!plan || !state.worktree) return;
  const cwd = state.worktree.path;
  await ctx.step('plan/commit', async () => {
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
  });
}
