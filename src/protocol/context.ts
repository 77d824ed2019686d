import { AgentError, isAgentError } from '../agents/errors.js';
import type { AgentEvent } from '../agents/events.js';
import type { Agent, AgentCall, AgentResult } from '../agents/port.js';
import type { Budget } from '../budget/budget.js';
import type { Config } from '../config/schema.js';
import type { Gate } from '../gate/types.js';
import { forgetAgentProcess, recordAgentProcess } from '../record/agent-processes.js';
import { ownerRecord } from '../record/liveness.js';
import type { RunStore } from '../record/store.js';
import type { Workspace } from '../workspace/types.js';
import { type Revert, revertProtectedEdits } from './protect.js';
import type { Decision, DecisionCard, RunState } from './types.js';

/**
 * Ports the engine runs on, and the journal that makes it resumable.
 *
 * Every step goes through `step(key, fn)`: a key already in the journal returns its recorded result without
 * running anything; otherwise fn runs and its result is persisted (atomically) before the next step starts.
 * Resume is therefore "run the same code again": completed steps replay from disk, the first missing one runs.
 */
export type Role = 'driver' | 'skeptic' | 'dispatcher' | 'subtask';

export type ProgressEvent =
  | { type: 'phase'; phase: string; round?: number }
  | { type: 'agent'; role: Role; agent: string; purpose: string; state: 'start' | 'end' | 'retry'; detail?: string }
  | {
      type: 'verify';
      command: string;
      state: 'start' | 'end';
      exitCode?: number | null;
      passed?: boolean;
      /** Why it did not pass, in words (timed out, ran no tests, exit code). */
      reason?: string;
    }
  | { type: 'note'; text: string };

/** Asks the human. Returns null when it cannot ask (no TTY, --yes): the run then waits for `duo decide`. */
export interface Decider {
  decide(card: DecisionCard): Promise<Omit<Decision, 'decidedAt'> | null>;
}

export interface Clock {
  now(): Date;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => new Date(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    }),
};

export interface EnginePorts {
  agent(name: string): Agent;
  workspace: Workspace;
  gate: Gate;
  store: RunStore;
  config: Config;
  clock?: Clock;
  decider?: Decider;
  progress?: (event: ProgressEvent) => void;
  signal?: AbortSignal;
  /** The per-user usage ledger: every call is recorded there, and auto mode and spend caps read it. */
  budget?: Budget;
}

/** The run stopped and is waiting for a human decision on this card. */
export class AwaitingDecision extends Error {
  constructor(readonly card: DecisionCard) {
    super(`awaiting a decision on ${card.id}`);
  }
}

export class Interrupted extends Error {
  constructor() {
    super('interrupted');
  }
}

/**
 * An agent cannot be called until a reset: its plan's limit is reached (the CLI said so, with the time) or a spend
 * cap in config is. The run pauses, resumable; it is not a failure.
 */
export class Paused extends Error {
  constructor(
    readonly agent: string,
    readonly until: string | null,
    readonly reason: string,
  ) {
    super(reason);
  }
}

export class RunFailure extends Error {
  constructor(
    message: string,
    readonly hint: string | null = null,
  ) {
    super(message);
  }
}

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
  /** Runs after the agent returns, inside the same journaled step (e.g. collect a patch). */
  after?: (cwd: string) => Promise<unknown>;
  /** Pre-reserved call number (see reserveSeq), for calls started in a non-deterministic order. */
  seq?: number;
}

export class RunContext {
  readonly clock: Clock;
  /** The run worktree is exactly at headSha with nothing uncommitted (false until a step makes it so). */
  private worktreeClean = false;
  private readonly sessions = new Map<string, string>();
  private readonly seqs = new Map<string, number>();

  constructor(
    readonly state: RunState,
    readonly ports: EnginePorts,
  ) {
    this.clock = ports.clock ?? systemClock;
  }

  get config(): Config {
    return this.ports.config;
  }

  get cwd(): string {
    if (!this.state.worktree) throw new Error('the run has no worktree yet');
    return this.state.worktree.path;
  }

  /** Something other than an agent call (a verify command, a patch) touched the run worktree. */
  markWorktreeDirty(): void {
    this.worktreeClean = false;
  }

  /**
   * Progress goes to the live view and into events.jsonl, so `duo status` / `duo wait` (another process) can tell
   * what each agent is doing from the record alone.
   */
  emit(event: ProgressEvent): void {
    this.ports.progress?.(event);
    this.ports.store.appendEvent(this.state.runId, { type: 'progress', progress: event });
  }

  checkpoint(): void {
    this.state.updatedAt = this.clock.now().toISOString();
    this.ports.store.save(this.state);
  }

  /** When the step ran (its journal time), for dated records that stay the same on replay. */
  at(key: string): string {
    return this.state.steps[key]?.at ?? this.clock.now().toISOString();
  }

  async step<T>(key: string, run: () => Promise<T>): Promise<T> {
    const done = this.state.steps[key];
    if (done) return done.result as T;
    if (this.ports.signal?.aborted) throw new Interrupted();
    this.checkBudget();
    const started = this.clock.now();
    const result = await run();
    this.state.steps[key] = {
      at: started.toISOString(),
      durationMs: this.clock.now().getTime() - started.getTime(),
      result,
    };
    this.checkpoint();
    // Fault injection for the resilience suite: die hard, or be interrupted, right after a step is on disk.
    if (process.env.DUO_FAULT_KILL_AFTER === key) process.kill(process.pid, 'SIGKILL');
    if (process.env.DUO_FAULT_SIGINT_AFTER === key) process.kill(process.pid, 'SIGINT');
    return result;
  }

  /** Whether a call may be made: recorded steps always replay; new skeptic calls stop once it is gone for good. */
  canCall(role: Role, key: string): boolean {
    if (key in this.state.steps) return true;
    return !(role === 'skeptic' && (this.state.unreviewed || !this.state.roles.skeptic));
  }

  /** Call an agent as a journaled step, with retries, session continuity and usage accounting. */
  async callAgent<T>(key: string, role: Role, spec: CallSpec<T>): Promise<AgentStep<T>> {
    const name = this.roleAgent(role);
    const slot = spec.slot ?? role;
    const seq = spec.seq ?? this.reserveSeq(role, spec.purpose);
    const result = await this.step(key, () => this.invoke(key, role, name, slot, seq, spec));
    const v = result.readOnlyViolation;
    if (v) {
      // Outside the step, so a resumed run's report says it too.
      const shown = v.paths.slice(0, 10).join(', ') + (v.paths.length > 10 ? ` and ${v.paths.length - 10} more` : '');
      this.state.notes.push(
        `${name} changed ${shown} during a read-only call (${key}); ` +
          (v.discarded
            ? 'duo discarded the changes.'
            : 'they were left in place: the worktree was not clean before the call.'),
      );
    }
    for (const r of result.reverted ?? []) {
      // Outside the step too: a replayed run's report and the driver's next prompt still say it.
      this.state.reverts.push({ step: key, agent: name, path: r.path, reason: r.reason });
      this.state.notes.push(`duo reverted an edit by ${name} (${key}): ${r.reason}.`);
    }
    if (result.sessionId) this.sessions.set(slot, result.sessionId);
    return result;
  }

  /**
   * The n-th call of this purpose to this role's agent in the run. Assigned in program order, so a replay
   * assigns the same numbers; parallel callers reserve theirs up front.
   */
  reserveSeq(role: Role, purpose: string): number {
    const key = `${this.roleAgent(role)}:${purpose}`;
    const seq = this.seqs.get(key) ?? 0;
    this.seqs.set(key, seq + 1);
    return seq;
  }

  roleAgent(role: Role): string {
    const r = this.state.roles;
    const name =
      role === 'driver' ? r.driver : role === 'skeptic' ? r.skeptic : role === 'dispatcher' ? r.dispatcher : r.subtask;
    if (!name) throw new Error(`no agent is assigned to the ${role} role in ${this.state.mode} mode`);
    return name;
  }

  private async invoke<T>(
    key: string,
    role: Role,
    name: string,
    slot: string,
    seq: number,
    spec: CallSpec<T>,
  ): Promise<AgentStep<T>> {
    const agent = this.ports.agent(name);
    const ws = this.ports.workspace;
    const limits = this.config.limits;
    const cwd = spec.cwd ?? this.cwd;
    const inRun = !spec.cwd;
    let resumeId = spec.resume === false ? undefined : this.sessions.get(slot);
    for (let attempt = 0; ; attempt++) {
      const cap = this.ports.budget?.capReached(name, this.clock.now());
      if (cap) throw new Paused(name, cap.until, `${name} reached a spend cap in duo.config.json (${cap.why})`);
      if (spec.access === 'write' && inRun && this.state.headSha && !this.worktreeClean) {
        // A write step that died halfway (a crash, a failed attempt) may have left edits behind: start it from the
        // last checkpointed commit.
        await ws.resetTo(this.cwd, this.state.headSha);
      }
      if (spec.access === 'write' && inRun) this.worktreeClean = false;
      const prompt = resumeId && spec.followup ? spec.followup : spec.prompt;
      this.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'start' });
      const started = this.clock.now().getTime();
      try {
        const call: AgentCall<T> & { seq: number; key: string } = {
          purpose: spec.purpose,
          prompt,
          cwd,
          access: spec.access,
          timeoutMs: spec.timeoutMs ?? limits.agentTimeoutMs,
          idleTimeoutMs: spec.idleTimeoutMs ?? limits.idleTimeoutMs,
          onEvent: (e) => this.logAgentEvent(key, name, e),
          onProcess: (pid, st) => {
            const dir = this.ports.store.dir(this.state.runId);
            if (st === 'started') recordAgentProcess(dir, pid);
            else forgetAgentProcess(dir, pid);
          },
          seq,
          key,
          ...(spec.schema ? { schema: spec.schema } : {}),
          ...(spec.schemaName ? { schemaName: spec.schemaName } : {}),
          ...(resumeId ? { resume: resumeId } : {}),
          ...(this.ports.signal ? { signal: this.ports.signal } : {}),
        };
        // A worktree known to be clean at headSha spares the git calls that would only confirm it.
        const known = inRun && this.worktreeClean;
        const before = spec.access === 'read-only' ? (known ? [] : await ws.changedFiles(cwd)) : undefined;
        const preSha =
          spec.access === 'write' ? (inRun && this.state.headSha ? this.state.headSha : await ws.head(cwd)) : undefined;
        const res: AgentResult<T> = await agent.run(call);
        const violation = before ? await this.enforceReadOnly(key, name, cwd, before) : undefined;
        if (violation && inRun) this.worktreeClean = violation.discarded;
        const guarded = preSha ? await revertProtectedEdits(this, cwd, preSha) : { reverted: [], changed: 0 };
        const reverted = guarded.reverted;
        if (reverted.length)
          this.ports.store.appendEvent(this.state.runId, {
            type: 'protected-revert',
            step: key,
            agent: name,
            reverted,
          });
        this.account(agent, name, res, prompt.length, key, role, spec.purpose, attempt);
        this.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'end' });
        let commit: string | null = null;
        if (spec.access === 'write' && spec.commitMessage) {
          if (guarded.changed > 0) {
            commit = await ws.commitAll(cwd, spec.commitMessage, { staged: reverted.length === 0 });
            // An agent that committed by itself moved HEAD with nothing left to stage: that is the step's commit.
            if (!commit && preSha && (await ws.head(cwd)) !== preSha) commit = await ws.head(cwd);
          }
          if (commit && inRun) this.state.headSha = commit;
          if (inRun) this.worktreeClean = true;
        }
        const after = spec.after ? await spec.after(cwd) : undefined;
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
        };
      } catch (e) {
        const err = isAgentError(e) ? e : new AgentError(name, 'crashed', (e as Error).message);
        this.ports.store.appendEvent(this.state.runId, {
          type: 'agent-failure',
          step: key,
          agent: name,
          role,
          attempt,
          failure: err.failure,
          message: err.message,
          detail: err.detail,
          durationMs: this.clock.now().getTime() - started,
        });
        if (err.limits) this.recordFailure(agent, name, err, key, role, spec.purpose, started);
        if (err.failure === 'aborted' || this.ports.signal?.aborted) throw new Interrupted();
        // The plan's limit is reached until a known time: retrying now only spends the retries. Pause instead.
        if (err.failure === 'rate-limited' && err.resetAt) throw new Paused(name, err.resetAt, err.message);
        if (err.failure === 'session-lost' && resumeId) {
          resumeId = undefined; // start a fresh session with the full prompt
          continue;
        }
        if (err.retryable && attempt < limits.retries) {
          const wait = limits.retryBaseMs * 2 ** attempt;
          this.emit({ type: 'agent', role, agent: name, purpose: spec.purpose, state: 'retry', detail: err.failure });
          await this.clock.sleep(wait, this.ports.signal);
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
  private async enforceReadOnly(
    key: string,
    name: string,
    cwd: string,
    before: string[],
  ): Promise<{ paths: string[]; discarded: boolean } | undefined> {
    const ws = this.ports.workspace;
    const paths = (await ws.changedFiles(cwd)).filter((p) => !before.includes(p));
    if (!paths.length) return undefined;
    // Only a worktree that was clean before the call can be put back without losing anything of duo's.
    const discarded = before.length === 0;
    if (discarded) await ws.resetTo(cwd, await ws.head(cwd));
    this.ports.store.appendEvent(this.state.runId, {
      type: 'read-only-violation',
      step: key,
      agent: name,
      paths,
      discarded,
    });
    return { paths, discarded };
  }

  private account(
    agent: Agent,
    name: string,
    res: AgentResult<unknown>,
    promptChars: number,
    key: string,
    role: Role,
    purpose: string,
    attempt: number,
  ): void {
    const u = this.state.usage[name] ?? {
      calls: 0,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      costUsd: null,
      durationMs: 0,
    };
    this.state.usage[name] = u;
    u.calls++;
    u.durationMs += res.durationMs;
    if (res.usage) {
      u.inputTokens += res.usage.inputTokens;
      u.outputTokens += res.usage.outputTokens;
      u.cachedInputTokens += res.usage.cachedInputTokens;
      if (res.usage.costUsd !== undefined) u.costUsd = (u.costUsd ?? 0) + res.usage.costUsd;
    }
    if (res.model) this.state.models[name] = res.model;
    this.ports.budget?.record({
      at: this.clock.now().toISOString(),
      agent: name,
      kind: agent.kind,
      model: res.model ?? this.state.models[name] ?? null,
      repo: this.state.repoRoot,
      runId: this.state.runId,
      step: key,
      purpose,
      role,
      durationMs: res.durationMs,
      inputTokens: res.usage?.inputTokens ?? 0,
      outputTokens: res.usage?.outputTokens ?? 0,
      cachedInputTokens: res.usage?.cachedInputTokens ?? 0,
      costUsd: res.usage?.costUsd ?? null,
      failure: null,
      limits: res.limits ?? null,
    });
    this.ports.store.appendEvent(this.state.runId, {
      type: 'agent-call',
      step: key,
      agent: name,
      role,
      purpose,
      attempt,
      promptChars,
      durationMs: res.durationMs,
      usage: res.usage ?? null,
      costUsd: res.usage?.costUsd ?? null,
      sessionId: res.sessionId ?? null,
      permissionDenials: res.permissionDenials,
    });
  }

  /** A failed call that reported the plan's limits: the ledger learns when this agent has room again. */
  private recordFailure(
    agent: Agent,
    name: string,
    err: AgentError,
    key: string,
    role: Role,
    purpose: string,
    started: number,
  ): void {
    this.ports.budget?.record({
      at: this.clock.now().toISOString(),
      agent: name,
      kind: agent.kind,
      model: this.state.models[name] ?? null,
      repo: this.state.repoRoot,
      runId: this.state.runId,
      step: key,
      purpose,
      role,
      durationMs: this.clock.now().getTime() - started,
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
      costUsd: null,
      failure: err.failure,
      limits: err.limits ?? null,
    });
  }

  private logAgentEvent(step: string, agent: string, e: AgentEvent): void {
    // Streamed message text is noise in the log; commands, file changes and errors are what a reader needs.
    if (e.type === 'command' || e.type === 'file_change' || e.type === 'error' || e.type === 'started') {
      this.ports.store.appendEvent(this.state.runId, { type: `agent-${e.type}`, step, agent, event: e });
    }
  }

  private checkBudget(): void {
    const l = this.config.limits;
    const spentMs = Object.values(this.state.steps).reduce((s, r) => s + r.durationMs, 0);
    if (spentMs > l.maxMinutes * 60_000) {
      throw new RunFailure(
        `the run used its time budget (${l.maxMinutes} min of agent and verify time)`,
        'Raise limits.maxMinutes in duo.config.json, then `duo resume <runId>`.',
      );
    }
    const usage = Object.values(this.state.usage);
    const cost = usage.reduce((s, u) => s + (u.costUsd ?? 0), 0);
    if (l.maxCostUsd !== undefined && cost > l.maxCostUsd) {
      throw new RunFailure(
        `the run spent $${cost.toFixed(2)}, over limits.maxCostUsd ($${l.maxCostUsd})`,
        'Raise limits.maxCostUsd, then `duo resume <runId>`.',
      );
    }
    const tokens = usage.reduce((s, u) => s + u.inputTokens + u.outputTokens, 0);
    if (l.maxTokens !== undefined && tokens > l.maxTokens) {
      throw new RunFailure(
        `the run used ${tokens} tokens, over limits.maxTokens (${l.maxTokens})`,
        'Raise limits.maxTokens, then `duo resume <runId>`.',
      );
    }
  }

  /** Ask the human about a card; a recorded decision replays, and without a way to ask the run waits. */
  async decide(card: DecisionCard): Promise<Decision> {
    const recorded = this.state.decisions.find((d) => d.cardId === card.id);
    if (recorded) return recorded;
    if (!this.state.cards.some((c) => c.id === card.id)) this.state.cards.push(card);
    const asked = this.ports.decider ? await this.ports.decider.decide(card) : null;
    if (!asked) throw new AwaitingDecision(card);
    const decision: Decision = { ...asked, decidedAt: this.clock.now().toISOString() };
    this.state.decisions.push(decision);
    this.checkpoint();
    return decision;
  }

  owner(): NonNullable<RunState['owner']> {
    return ownerRecord(process.pid);
  }
}
