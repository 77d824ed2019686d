import { z } from 'zod';
import type { Config } from '../config/schema.js';
import { processRef } from '../sys/process-ref.js';
import { firstOf } from '../sys/text.js';
import type { DiffSummary } from '../workspace/types.js';
import { type AgentStep, type CallSpec, invokeAgent } from './agent-call.js';
import { type WorktreeEvent, worktreeCleanAfter } from './agent-guards.js';
import { EMPTY_RECALL, type Recall } from './memory.js';
import { type Clock, type EnginePorts, systemClock } from './ports.js';
import { agentStepSchema, replayed } from './replay.js';
import type { ProgressEvent, Role } from './run-events.js';
import { checkRunLimits } from './run-limits.js';
import { AwaitingDecision, Interrupted } from './run-stops.js';
import type { Decision, DecisionCard, RunState } from './types.js';

/**
 * A run in progress: its state, its ports, and the journal that makes it resumable.
 *
 * Every step goes through `step(key, fn, schema)`: a key already in the journal returns its recorded result, checked
 * against the schema, without running anything; otherwise fn runs and its result is persisted (atomically) before
 * the next step starts.
 * Resume is therefore "run the same code again": completed steps replay from disk, the first missing one runs.
 */
export class RunContext {
  readonly clock: Clock;
  /** Session ids by slot (a role, or a fresh reviewer's), so a role's next call resumes its session. */
  readonly sessions = new Map<string, string>();
  private readonly seqs = new Map<string, number>();
  /** The run worktree is exactly at headSha with nothing uncommitted (false until a step makes it so). */
  #worktreeClean = false;
  /** The repository's memory as this run took it (memory.ts): declined findings, house rules, adoption. */
  recall: Recall = EMPTY_RECALL;
  /**
   * Per session slot, the declined findings (fingerprints) it was told: a resumed session is not told them again.
   * Rebuilt on replay, since the same prompts are built in the same order.
   */
  readonly told = new Map<string, Set<string>>();

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

  get worktreeClean(): boolean {
    return this.#worktreeClean;
  }

  /** The one place the run worktree's clean flag changes, by the rule in agent-guards.ts. */
  worktreeChanged(event: WorktreeEvent): void {
    this.#worktreeClean = worktreeCleanAfter(event);
  }

  /** The commit checked out in `cwd`: headSha for the run worktree known clean at it (no git call), else git's. */
  async headOf(cwd: string): Promise<string> {
    const head = this.state.headSha;
    if (this.#worktreeClean && head && cwd === this.state.worktree?.path) return head;
    return this.ports.workspace.head(cwd);
  }

  /**
   * The run worktree's diff from commit `from`. A worktree known clean at headSha is read between commits; any other
   * has its uncommitted changes staged first, so the diff holds them too.
   */
  diffFrom(from: string): Promise<DiffSummary> {
    const ws = this.ports.workspace;
    const head = this.state.headSha;
    return this.#worktreeClean && head ? ws.diff(this.cwd, from, head) : ws.diff(this.cwd, from);
  }

  /** Something other than an agent call (a verify command, a patch) touched the run worktree. */
  markWorktreeDirty(): void {
    this.worktreeChanged({ kind: 'touched' });
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

  /**
   * `schema`: the result's shape, checked when a resumed run replays it (replay.ts); a recorded result that does not
   * have it stops the run with an error naming the step. Required, so no step replays an unchecked result.
   */
  async step<T>(key: string, run: () => Promise<T>, schema: z.ZodType<T>): Promise<T> {
    const done = this.state.steps[key];
    if (done) return replayed(key, done.result, schema);
    if (this.ports.signal?.aborted) throw new Interrupted();
    checkRunLimits(this.state, this.config.limits);
    const started = this.clock.now();
    const result = await run();
    this.state.steps[key] = {
      at: started.toISOString(),
      durationMs: this.clock.now().getTime() - started.getTime(),
      result,
    };
    this.checkpoint();
    this.ports.faults?.afterStep?.(key);
    return result;
  }

  /** Whether a call may be made: recorded steps always replay; new skeptic calls stop once it is gone for good. */
  canCall(role: Role, key: string): boolean {
    if (key in this.state.steps) return true;
    return !(role === 'skeptic' && (this.state.unreviewed || !this.state.roles.skeptic));
  }

  /** Call an agent as a journaled step, with retries, session continuity and usage accounting (agent-call.ts). */
  async callAgent<T>(key: string, role: Role, spec: CallSpec<T>): Promise<AgentStep<T>> {
    const agent = this.roleAgent(role);
    const slot = spec.slot ?? role;
    const seq = spec.seq ?? this.reserveSeq(role, spec.purpose);
    const result = await this.step(
      key,
      () => invokeAgent(this, { key, role, agent, slot, seq }, spec),
      agentStepSchema<T>(spec.schema ?? (z.string() as unknown as z.ZodType<T>)),
    );
    const v = result.readOnlyViolation;
    if (v) {
      // Outside the step, so a resumed run's report says it too.
      const shown = firstOf(v.paths, 10);
      this.state.notes.push(
        `${agent} changed ${shown} during a read-only call (${key}); ` +
          (v.discarded
            ? 'duo discarded the changes.'
            : 'they were left in place: the worktree was not clean before the call.'),
      );
    }
    for (const r of result.reverted ?? []) {
      // Outside the step too: a replayed run's report and the driver's next prompt still say it.
      this.state.reverts.push({ step: key, agent, path: r.path, reason: r.reason });
      this.state.notes.push(`duo reverted an edit by ${agent} (${key}): ${r.reason}.`);
    }
    for (const w of result.outside ?? []) {
      // A window starts a second early (file-time granularity): what an earlier call already showed is not new.
      const seen = new Set(this.state.outsideWrites.filter((o) => o.dir === w.dir).flatMap((o) => o.paths));
      const paths = w.paths.filter((p) => !seen.has(p));
      if (!paths.length) continue;
      this.state.outsideWrites.push({
        step: key,
        agent,
        dir: w.dir,
        paths,
        count: w.count - (w.paths.length - paths.length),
      });
      this.state.notes.push(
        `${agent} wrote outside its worktree during ${key}: ${paths.length} path(s) in ${w.dir} (${paths.slice(0, 3).join(', ')}${paths.length > 3 ? ', …' : ''}).`,
      );
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
      role === 'driver'
        ? r.driver
        : role === 'skeptic'
          ? r.skeptic
          : role === 'dispatcher'
            ? r.dispatcher
            : role === 'panel'
              ? r.panel
              : r.subtask;
    if (!name) throw new Error(`no agent is assigned to the ${role} role in ${this.state.mode} mode`);
    return name;
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

  /** This process, as the run's owner (its kernel start time included, so a recycled pid never passes for it). */
  owner(): NonNullable<RunState['owner']> {
    return processRef(process.pid);
  }
}
