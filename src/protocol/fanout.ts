/**
 * Fan-out: once the plan is agreed, its independent sub-tasks run in parallel, each by the sub-task agent in its
 * own scratch worktree from the agreed base. Each comes back as a patch; nobody trusts a patch on sight — it is
 * checked for hostile paths and reviewed by the other agent before it is applied, in plan order, with a 3-way
 * merge. A conflict goes to the driver on the integration branch. Findings join the run's ledger.
 */

import type { RunContext } from './context.js';
import { Ledger } from './findings-ledger.js';
import { resolveConflictPrompt, reviewPatchPrompt, subtaskPrompt } from './prompts/subtasks.js';
import { SubtaskApplyStep } from './replay.js';
import type { Role } from './run-events.js';
import { Critique, type FindingInput, type Subtask, WorkReport } from './schemas.js';

export interface FanOutResult {
  applied: string[];
  /** Sub-tasks whose patch was refused or never produced: the driver does them in the main implement step. */
  leftToDriver: string[];
}

interface PatchStep {
  patch: string;
  files: string[];
}

export function shouldFanOut(ctx: RunContext): Subtask[] {
  const plan = ctx.state.plan;
  if (!plan || ctx.state.mode === 'solo' || !ctx.state.roles.subtask) return [];
  const independent = plan.subtasks.filter((s) => s.independent);
  return plan.subtasks.length >= 2 && independent.length >= 1 ? independent : [];
}

export async function fanOut(ctx: RunContext, subtasks: Subtask[]): Promise<FanOutResult> {
  const ws = ctx.ports.workspace;
  const base = ctx.state.headSha!;
  const limit = Math.max(1, ctx.config.parallel);
  ctx.emit({ type: 'note', text: `fan-out: ${subtasks.length} independent sub-task(s), ${limit} at a time` });
  // Call numbers are reserved in plan order so a replay (or scripted agents) sees the same numbering.
  const seqs = subtasks.map(() => ctx.reserveSeq('subtask', 'subtask'));
  const patches = new Map<string, PatchStep>();
  let next = 0;
  const worker = async () => {
    while (next < subtasks.length) {
      const i = next++;
      const sub = subtasks[i]!;
      const res = await ctx.callAgent(`subtask/${sub.id}/work`, 'subtask', {
        purpose: 'subtask',
        access: 'write',
        schema: WorkReport,
        schemaName: 'WorkReport',
        resume: false,
        slot: `subtask-${sub.id}`,
        seq: seqs[i]!,
        cwd: await ws.createScratch(`${ctx.state.runId}-${sub.id}`, base),
        after: async (cwd) => {
          const p = await ws.extractPatch(cwd, base);
          await ws.removeScratch(cwd);
          return p;
        },
        ...subtaskPrompt(ctx.state.task, ctx.state.plan!, sub),
      });
      patches.set(sub.id, res.after as PatchStep);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, subtasks.length) }, worker));

  const ledger = new Ledger(ctx.state);
  const reviewer: Role = ctx.roleAgent('subtask') === ctx.state.roles.driver ? 'skeptic' : 'driver';
  const result: FanOutResult = { applied: [], leftToDriver: [] };
  for (const sub of subtasks) {
    const p = patches.get(sub.id)!;
    if (!p.patch.trim()) {
      ctx.state.notes.push(`Sub-task ${sub.id} came back with no changes; the driver does it.`);
      result.leftToDriver.push(sub.id);
      continue;
    }
    const check = await ws.checkPatch(p.patch, sub.files, base);
    for (const n of check.notes) ctx.state.notes.push(`Sub-task ${sub.id}: ${n}`);
    const at = ctx.at(`subtask/${sub.id}/work`);
    if (!check.ok) {
      ledger.add(
        'subtask',
        1,
        check.violations.map((v, k) => safetyFinding(sub, v, k)),
        at,
      );
      ctx.state.notes.push(
        `Sub-task ${sub.id}'s patch was REFUSED (${check.violations.map((v) => `${v.path}: ${v.reason}`).join('; ')}).`,
      );
      result.leftToDriver.push(sub.id);
      continue;
    }
    const rkey = `subtask/${sub.id}/review`;
    if (!ctx.canCall(reviewer, rkey)) {
      result.leftToDriver.push(sub.id);
      continue;
    }
    const review = await ctx.callAgent(rkey, reviewer, {
      purpose: 'review-patch',
      access: 'read-only',
      schema: Critique,
      schemaName: 'Critique',
      resume: false,
      slot: `patch-review-${sub.id}`,
      ...reviewPatchPrompt(ctx.state.task, sub, p.patch, check.notes),
    });
    const added = ledger.add('subtask', 1, review.answer.findings, ctx.at(rkey));
    if (added.some((e) => e.finding.severity === 'blocker')) {
      ctx.state.notes.push(`Sub-task ${sub.id}'s patch was not applied: its review found a blocker.`);
      result.leftToDriver.push(sub.id);
      continue;
    }
    await integrate(ctx, sub, p.patch);
    result.applied.push(sub.id);
  }
  return result;
}

/** Apply one reviewed patch to the run worktree; a conflict goes to the driver, recorded. */
async function integrate(ctx: RunContext, sub: Subtask, patch: string): Promise<void> {
  const ws = ctx.ports.workspace;
  const key = `subtask/${sub.id}/apply`;
  ctx.markWorktreeDirty();
  const applied = await ctx.step(
    key,
    async () => {
      await ws.resetTo(ctx.cwd, ctx.state.headSha!);
      const r = await ws.applyPatch(ctx.cwd, patch);
      if (!r.ok) return { ok: false as const, conflicts: r.conflicts, commit: null };
      const commit = await ws.commitAll(
        ctx.cwd,
        `duo: sub-task ${sub.id} — ${sub.title} (by ${ctx.roleAgent('subtask')})`,
      );
      if (commit) ctx.state.headSha = commit;
      return { ok: true as const, conflicts: [], commit };
    },
    SubtaskApplyStep,
  );
  if (applied.ok) return;
  ctx.state.notes.push(
    `Sub-task ${sub.id}'s patch conflicted in ${applied.conflicts.join(', ')}; the driver resolved it on the integration branch.`,
  );
  await ctx.callAgent(`subtask/${sub.id}/resolve`, 'driver', {
    purpose: 'resolve-conflict',
    access: 'write',
    schema: WorkReport,
    schemaName: 'WorkReport',
    commitMessage: `duo: integrate sub-task ${sub.id} (conflict resolved by the driver)`,
    ...resolveConflictPrompt(sub, applied.conflicts, patch),
  });
}

function safetyFinding(sub: Subtask, v: { path: string; reason: string }, k: number): FindingInput {
  return {
    id: `${sub.id}-SAFE${k + 1}`,
    severity: 'blocker',
    file: v.path,
    line: null,
    claim: `Sub-task ${sub.id}'s patch was refused: ${v.reason} (${v.path}).`,
    evidence: `Declared files for ${sub.id}: ${sub.files.join(', ') || '(none)'}.`,
    stakes: 'Applying it blindly could write outside the repository or the agreed scope.',
    confidence: null,
  };
}
