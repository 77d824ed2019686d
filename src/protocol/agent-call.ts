import type { AgentEvent } from '../agents/events.js';
import { AgentError, isAgentError } from '../agents/failure.js';
import type { AgentCall } from '../agents/port.js';
import type { OutsideChange, OutsideStamp } from '../workspace/types.js';
import {
  commitStep,
  enforceReadOnly,
  guardSpendCap,
  needsReset,
  onFailure,
  type ReadOnlyViolation,
  type WorktreeEvent,
} from './agent-guards.js';
import type { RunContext } from './context.js';
import { agentActivity, type Role, type RunEvent } from './run-events.js';
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
  readOnlyViolation?: ReadOnlyViolation;
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
  /**
   * Runs after the agent returns, inside the same journaled step (e.g. collect a patch, read what findings point at).
   * After a read-only call it runs beside duo's checks of the worktree, so there it reads commits, not the worktree.
   */
  after?: (cwd: string, answer: T) => Promise<unknown>;
  /** Pre-reserved call number (see reserveSeq), for calls started in a non-deterministic order. */
  seq?: number;
}

/** An event about one call (its step and agent filled in by the call). */
type CallEvent = Extract<RunEvent, { step: string; agent: string }>;
type CallEventBody = CallEvent extends infer E ? (E extends CallEvent ? Omit<E, 'step' | 'agent'> : never) : never;

/** Who is called and where its answers are addressed: the step key, the role, the agent, its session slot, its call number. */
export interface CallTarget {
  key: string;
  role: Role;
  agent: string;
  slot: string;
  seq: number;
}

/**
 * One agent call, as the body of a journaled step: a short pipeline of the guards in agent-guards.ts. Each try:
 * spend cap, worktree reset (write), the call itself watched for writes outside the worktree, read-only
 * enforcement (read-only), protected-file reverts (write), accounting, commit (write). A failed try is recorded,
 * accounted, and retried, restarted in a fresh session, paused or thrown as `onFailure` says.
 */
export async function invokeAgent<T>(ctx: RunContext, target: CallTarget, spec: CallSpec<T>): Promise<AgentStep<T>> {
  const { key, role, agent: name } = target;
  const agent = ctx.ports.agent(name);
  const ws = ctx.ports.workspace;
  const cwd = spec.cwd ?? ctx.cwd;
  const inRun = !spec.cwd;
  const ref: CallRef = { key, role, agent: name, purpose: spec.purpose };
  /** What the call did to the run worktree; a scratch worktree's state is not the run's. */
  const worktree = (event: WorktreeEvent) => {
    if (inRun) ctx.worktreeChanged(event);
  };
  const record = ({ type, ...rest }: CallEventBody) =>
    ctx.ports.store.appendEvent(ctx.state.runId, { type, step: key, agent: name, ...rest } as CallEvent);
  let resumeId = spec.resume === false ? undefined : ctx.sessions.get(target.slot);
  /** Writes outside the worktree found after each try of this call, failed tries included. */
  const outside: OutsideChange[] = [];
  const checkOutside = async (stamp: OutsideStamp) => {
    const found = await ws.outsideWrites(stamp);
    if (found.length) record({ type: 'outside-write', outside: found });
    outside.push(...found);
  };
  for (let attempt = 0; ; attempt++) {
    guardSpendCap(name, ctx.ports.budget?.capReached(name, ctx.clock.now()));
    if (needsReset(spec.access, inRun, ctx.state.headSha, ctx.worktreeClean)) {
      await ws.resetTo(ctx.cwd, ctx.state.headSha as string);
    }
    if (spec.access === 'write') worktree({ kind: 'write-start' });
    const prompt = resumeId && spec.followup ? spec.followup : spec.prompt;
    ctx.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'start' });
    const started = ctx.clock.now().getTime();
    let stamp: OutsideStamp | null = null;
    try {
      // A worktree known to be clean at headSha spares the git calls that would only confirm it.
      const known = inRun && ctx.worktreeClean;
      const before = spec.access === 'read-only' ? (known ? [] : await ws.changedFiles(cwd)) : undefined;
      const headBefore = before ? await ctx.headOf(cwd) : undefined;
      const preSha =
        spec.access === 'write' ? (inRun && ctx.state.headSha ? ctx.state.headSha : await ws.head(cwd)) : undefined;
      stamp = await ws.outsideStamp(before ? cwd : undefined);
      const res = await agent.run(agentCall(ctx, target, spec, prompt, cwd, resumeId));
      // What the call wrote outside its worktree is looked for beside the checks of the worktree itself: git's
      // writes for those land in the worktree and under .git, which the outside walk leaves out.
      const used = stamp;
      stamp = null;
      // A read-only call's hook reads commits, not the worktree: it runs beside the checks below.
      const early = spec.access === 'read-only' && spec.after ? settled(spec.after(cwd, res.answer)) : undefined;
      const [violation, guarded] = await besideOutsideCheck(checkOutside(used), async () => {
        // Nothing in the checkout changed since the stamp: git status would say what it said before.
        const untouched = headBefore !== undefined && (await ws.untouchedSince(cwd, used, headBefore));
        const v = before && !untouched ? await enforceReadOnly(ws, cwd, before) : undefined;
        return [v, preSha ? await revertProtectedEdits(ctx, cwd, preSha) : { reverted: [], changed: 0 }] as const;
      });
      if (violation) {
        record({ type: 'read-only-violation', ...violation });
        worktree({ kind: 'read-only-violation', discarded: violation.discarded });
      }
      // Checked clean after the call: the next read-only call needs no git status to know it.
      else if (before) worktree({ kind: 'read-only-checked', wasClean: before.length === 0 });
      const reverted = guarded.reverted;
      if (reverted.length) record({ type: 'protected-revert', reverted });
      accountCall(ctx, agent, ref, res, prompt.length, attempt, new Date(started));
      ctx.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'end' });
      let commit: string | null = null;
      if (spec.access === 'write' && spec.commitMessage) {
        commit = await commitStep(ws, cwd, spec.commitMessage, preSha, guarded.changed, reverted.length);
        if (commit && inRun) ctx.state.headSha = commit;
        worktree({ kind: 'committed' });
      }
      const after = early ? await early() : spec.after ? await spec.after(cwd, res.answer) : undefined;
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
      record({
        type: 'agent-failure',
        role,
        attempt,
        failure: err.failure,
        message: err.message,
        detail: err.detail,
        startedAt: new Date(started).toISOString(),
        durationMs,
      });
      accountFailure(ctx, agent, ref, err, durationMs);
      const next = onFailure(err, attempt, ctx.config.limits, {
        aborted: !!ctx.ports.signal?.aborted,
        resuming: !!resumeId,
      });
      if (next.kind === 'interrupt') throw new Interrupted();
      if (next.kind === 'pause') throw new Paused(name, next.until, err.message);
      if (next.kind === 'fail') throw err;
      if (next.kind === 'fresh-session') {
        resumeId = undefined; // start a fresh session with the full prompt
        continue;
      }
      ctx.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'retry', detail: err.message });
      await ctx.clock.sleep(next.waitMs, ctx.ports.signal);
    }
  }
}

/** A promise started now and read later: its failure is the reader's, never an unhandled rejection meanwhile. */
function settled<T>(p: Promise<T>): () => Promise<T> {
  const kept = p.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  return async () => {
    const r = await kept;
    if (!r.ok) throw r.error;
    return r.value;
  };
}

/**
 * Runs `checks` while the outside-write walk runs, and returns the checks' result once both are done, the walk's
 * findings recorded first whichever fails: a failed check must not leave a walk unawaited or its findings unsaid.
 */
async function besideOutsideCheck<R>(outside: Promise<void>, checks: () => Promise<R>): Promise<R> {
  const [walk, result] = await Promise.allSettled([outside, checks()]);
  if (walk.status === 'rejected') throw walk.reason;
  if (result.status === 'rejected') throw result.reason;
  return result.value;
}

/** The call as the agent port takes it: limits from the run's config, events into the record. */
function agentCall<T>(
  ctx: RunContext,
  target: CallTarget,
  spec: CallSpec<T>,
  prompt: string,
  cwd: string,
  resumeId: string | undefined,
): AgentCall<T> & { seq: number; key: string } {
  const { key, role, agent: name, seq } = target;
  const limits = ctx.config.limits;
  return {
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
