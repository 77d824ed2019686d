import type { AgentEvent } from '../agents/events.js';
import { AgentError, isAgentError } from '../agents/failure.js';
import type { AgentCall, AgentResult } from '../agents/port.js';
import { retryDelay } from '../agents/retry.js';
import type { OutsideChange, OutsideStamp } from '../workspace/types.js';
import type { RunContext } from './context.js';
import { agentActivity, type Role } from './run-events.js';
import { Interrupted, Paused } from './run-stops.js';
import { type Revert, revertProtectedEdits } from './test-guard.js';
import { accountCall, accountFailure, type CallRef } from './usage.js';

/** What one agent call leaves in the journal: its answer, and what it cost, changed and was refused. */
export interface AgentStep<T> {
  agent: string;
  answer: T;
  text: string;
  sessionId: string | null;
  durationMs: number;
  permissionDenials: string[];
  /** Commit made right after a write call (null: nothing changed, or a read-only call). */
  commit: string | null;
  /** What CallSpec.after returned. */
  after?: unknown;
  /** Files the agent changed during a read-only call, and whether duo discarded them. */
  readOnlyViolation?: { paths: string[]; discarded: boolean };
  /** Undeclared edits to protected files (existing tests, the gate's definition) duo put back after a write call. */
  reverted?: Revert[];
  /** What duo found written outside the run's checkouts during the call (dependency folders, the shared .git). */
  outside?: OutsideChange[];
}

export interface CallSpec<T> extends Omit<AgentCall<T>, 'cwd' | 'prompt' | 'resume' | 'signal' | 'onEvent'> {
  /** Full prompt for a fresh session; `followup` is sent instead when the role's session can be resumed. */
  prompt: string;
  followup?: string;
  /** Continue the role's session (default true). A fresh adversarial session passes false. */
  resume?: boolean;
  /** Session slot; defaults to the role. */
  slot?: string;
  /** For write calls: commit the worktree afterwards with this message, in the same journaled step. */
  commitMessage?: string;
  /** Work somewhere other than the run worktree (a sub-task's scratch worktree). */
  cwd?: string;
  /** Runs after the agent returns, inside the same journaled step (e.g. collect a patch, read what findings point at). */
  after?: (cwd: string, answer: T) => Promise<unknown>;
  /** Pre-reserved call number (see reserveSeq), for calls started in a non-deterministic order. */
  seq?: number;
}

/** Who is called and where its answers are addressed: the step key, the role, the agent, its session slot, its call number. */
export interface CallTarget {
  key: string;
  role: Role;
  agent: string;
  slot: string;
  seq: number;
}

/**
 * One agent call, as the body of a journaled step: the prompt (full, or the follow-up when the role's session
 * resumes), retries of what can be retried with backoff, a pause for a reached plan limit, and the two guards duo
 * keeps around every agent — read-only calls leave the worktree as they found it, write calls leave protected
 * files (existing tests, the gate's definition) as the plan allowed — then the commit of what it wrote.
 */
export async function invokeAgent<T>(ctx: RunContext, target: CallTarget, spec: CallSpec<T>): Promise<AgentStep<T>> {
  const { key, role, agent: name, slot, seq } = target;
  const agent = ctx.ports.agent(name);
  const ws = ctx.ports.workspace;
  const limits = ctx.config.limits;
  const cwd = spec.cwd ?? ctx.cwd;
  const inRun = !spec.cwd;
  const ref: CallRef = { key, role, agent: name, purpose: spec.purpose };
  let resumeId = spec.resume === false ? undefined : ctx.sessions.get(slot);
  /** Writes outside the worktree found after each attempt of this call, failed attempts included. */
  const outside: OutsideChange[] = [];
  const checkOutside = async (stamp: OutsideStamp) => {
    const found = await ws.outsideWrites(stamp);
    if (found.length)
      ctx.ports.store.appendEvent(ctx.state.runId, { type: 'outside-write', step: key, agent: name, outside: found });
    outside.push(...found);
  };
  for (let attempt = 0; ; attempt++) {
    const cap = ctx.ports.budget?.capReached(name, ctx.clock.now());
    if (cap) throw new Paused(name, cap.until, `${name} reached a spend cap in duo.config.json (${cap.why})`);
    if (spec.access === 'write' && inRun && ctx.state.headSha && !ctx.worktreeClean) {
      // A write step that died halfway (a crash, a failed attempt) may have left edits behind: start it from the
      // last checkpointed commit.
      await ws.resetTo(ctx.cwd, ctx.state.headSha);
    }
    if (spec.access === 'write' && inRun) ctx.worktreeClean = false;
    const prompt = resumeId && spec.followup ? spec.followup : spec.prompt;
    ctx.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'start' });
    const started = ctx.clock.now().getTime();
    let stamp: OutsideStamp | null = null;
    try {
      const call: AgentCall<T> & { seq: number; key: string } = {
        purpose: spec.purpose,
        prompt,
        cwd,
        access: spec.access,
        timeoutMs: spec.timeoutMs ?? limits.agentTimeoutMs,
        idleTimeoutMs: spec.idleTimeoutMs ?? limits.idleTimeoutMs,
        stallTimeoutMs: limits.networkTimeoutMs,
        onEvent: (e) => logAgentEvent(ctx, key, role, name, e),
        onProcess: (pid, st) => ctx.ports.store.trackProcess(ctx.state.runId, 'agent', pid, st),
        seq,
        key,
        ...(spec.schema ? { schema: spec.schema } : {}),
        ...(spec.schemaName ? { schemaName: spec.schemaName } : {}),
        ...(resumeId ? { resume: resumeId } : {}),
        ...(ctx.ports.signal ? { signal: ctx.ports.signal } : {}),
      };
      // A worktree known to be clean at headSha spares the git calls that would only confirm it.
      const known = inRun && ctx.worktreeClean;
      const before = spec.access === 'read-only' ? (known ? [] : await ws.changedFiles(cwd)) : undefined;
      const preSha =
        spec.access === 'write' ? (inRun && ctx.state.headSha ? ctx.state.headSha : await ws.head(cwd)) : undefined;
      stamp = await ws.outsideStamp();
      const res: AgentResult<T> = await agent.run(call);
      // Before anything else touches git: what the call wrote outside its worktree.
      const used = stamp;
      stamp = null;
      await checkOutside(used);
      const violation = before ? await enforceReadOnly(ctx, key, name, cwd, before) : undefined;
      if (violation && inRun) ctx.worktreeClean = violation.discarded;
      const guarded = preSha ? await revertProtectedEdits(ctx, cwd, preSha) : { reverted: [], changed: 0 };
      const reverted = guarded.reverted;
      if (reverted.length)
        ctx.ports.store.appendEvent(ctx.state.runId, { type: 'protected-revert', step: key, agent: name, reverted });
      accountCall(ctx, agent, ref, res, prompt.length, attempt, new Date(started));
      ctx.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'end' });
      let commit: string | null = null;
      if (spec.access === 'write' && spec.commitMessage) {
        if (guarded.changed > 0) {
          commit = await ws.commitAll(cwd, spec.commitMessage, { staged: reverted.length === 0 });
          // An agent that committed by itself moved HEAD with nothing left to stage: that is the step's commit.
          if (!commit && preSha && (await ws.head(cwd)) !== preSha) commit = await ws.head(cwd);
        }
        if (commit && inRun) ctx.state.headSha = commit;
        if (inRun) ctx.worktreeClean = true;
      }
      const after = spec.after ? await spec.after(cwd, res.answer) : undefined;
      return {
        agent: name,
        answer: res.answer,
        text: res.text,
        sessionId: res.sessionId ?? null,
        durationMs: res.durationMs,
        permissionDenials: res.permissionDenials,
        commit,
        ...(after !== undefined ? { after } : {}),
        ...(violation ? { readOnlyViolation: violation } : {}),
        ...(reverted.length ? { reverted } : {}),
        ...(outside.length ? { outside } : {}),
      };
    } catch (e) {
      if (stamp) await checkOutside(stamp);
      const err = isAgentError(e) ? e : new AgentError(name, 'crashed', (e as Error).message);
      const durationMs = ctx.clock.now().getTime() - started;
      ctx.ports.store.appendEvent(ctx.state.runId, {
        type: 'agent-failure',
        step: key,
        agent: name,
        role,
        attempt,
        failure: err.failure,
        message: err.message,
        detail: err.detail,
        startedAt: new Date(started).toISOString(),
        durationMs,
      });
      accountFailure(ctx, agent, ref, err, durationMs);
      if (err.failure === 'aborted' || ctx.ports.signal?.aborted) throw new Interrupted();
      // The plan's limit is reached until a known time: retrying now only spends the retries. Pause instead.
      if (err.failure === 'rate-limited' && err.resetAt) throw new Paused(name, err.resetAt, err.message);
      if (err.failure === 'session-lost' && resumeId) {
        resumeId = undefined; // start a fresh session with the full prompt
        continue;
      }
      const wait = retryDelay(err, attempt, limits);
      if (wait !== null) {
        ctx.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'retry', detail: err.message });
        await ctx.clock.sleep(wait, ctx.ports.signal);
        continue;
      }
      throw err;
    }
  }
}

/**
 * Read-only is enforced by duo, not only by each CLI's sandbox: whatever an agent wrote in the worktree during a
 * read-only call is discarded and recorded. One mechanism for every agent, including a `command` CLI that has
 * no sandbox of its own.
 */
async function enforceReadOnly(
  ctx: RunContext,
  key: string,
  name: string,
  cwd: string,
  before: string[],
): Promise<{ paths: string[]; discarded: boolean } | undefined> {
  const ws = ctx.ports.workspace;
  const paths = (await ws.changedFiles(cwd)).filter((p) => !before.includes(p));
  if (!paths.length) return undefined;
  // Only a worktree that was clean before the call can be put back without losing anything of duo's.
  const discarded = before.length === 0;
  if (discarded) await ws.resetTo(cwd, await ws.head(cwd));
  ctx.ports.store.appendEvent(ctx.state.runId, {
    type: 'read-only-violation',
    step: key,
    agent: name,
    paths,
    discarded,
  });
  return { paths, discarded };
}

/**
 * Streamed message text is noise in the log; commands, file changes and errors are what a reader needs. They go
 * into events.jsonl (where `duo status` and `duo wait` read them) and, as live activity, to the progress view.
 */
function logAgentEvent(ctx: RunContext, step: string, role: Role, agent: string, e: AgentEvent): void {
  if (e.type === 'command' || e.type === 'file_change' || e.type === 'error' || e.type === 'started') {
    ctx.ports.store.appendEvent(ctx.state.runId, { type: `agent-${e.type}`, step, agent, event: e });
  }
  const activity = agentActivity(e);
  if (activity) ctx.ports.progress?.({ type: 'activity', role, agent, ...activity });
}
