/**
 * The first review of a diff, by the skeptic alone or — with `--panel` — by both agents at once. A panel's two
 * reviewers read the same commit independently (the second in a scratch checkout of it, in a fresh session), in
 * parallel; their findings are merged into threads (threads.ts), each labelled both or `<agent>-only`, so the driver
 * answers each once and `duo stats` can count who caught what.
 *
 * A reviewer that is out of room (its plan, or a spend cap) is left out before the review starts; one that fails
 * (not installed, not logged in, retries spent, a limit reached) is left out after it: the review goes on with the
 * other alone, and the report says so. Both choices are journaled, so a resumed run reviews with the same panel.
 */

import type { z } from 'zod';
import { isAgentError } from '../agents/failure.js';
import type { AgentStep } from './agent-call.js';
import { recordChecklist } from './checklist.js';
import type { RunContext } from './context.js';
import type { Prompt } from './prompts/prompts.js';
import { PanelChoiceStep, replayed, UnavailableStep } from './replay.js';
import type { Role } from './run-events.js';
import { Paused } from './run-stops.js';
import { Critique } from './schemas.js';
import { type Batch, type Sight, sight } from './threads.js';

/** Who reviews and in which session: the skeptic (a fresh "reviewer" session in invert mode), or the panel's other agent. */
interface Reviewer {
  role: Role;
  agent: string;
  slot: string;
  key: string;
  fresh: boolean;
}

/** What the panel step records: who reviews, and who was left out before the review and why. */
type PanelChoice = z.infer<typeof PanelChoiceStep>;

/** The reviewer answering re-checks after the first review: the skeptic, unless only the panel's other agent reviewed. */
export function recheckSlot(ctx: RunContext, prefix = 'review/r1'): string {
  const fresh = ctx.state.mode === 'invert' ? 'reviewer' : 'skeptic';
  if (!ctx.state.options.panel || `${prefix}/review` in ctx.state.steps) return fresh;
  return `${prefix}/panel-review` in ctx.state.steps ? 'panel' : fresh;
}

function reviewersOf(ctx: RunContext, prefix: string): Reviewer[] {
  const fresh = ctx.state.mode === 'invert';
  const skeptic: Reviewer = {
    role: 'skeptic',
    agent: ctx.roleAgent('skeptic'),
    slot: fresh ? 'reviewer' : 'skeptic',
    key: `${prefix}/review`,
    fresh,
  };
  const other = ctx.state.roles.panel;
  if (!ctx.state.options.panel || !other || other === skeptic.agent) return [skeptic];
  return [skeptic, { role: 'panel', agent: other, slot: 'panel', key: `${prefix}/panel-review`, fresh: true }];
}

/** Left out before the review: out of room, as long as the other reviewer is not. */
function outOfRoom(ctx: RunContext, agents: string[]): PanelChoice['skipped'] {
  const now = ctx.clock.now();
  const why = (agent: string): string | null => {
    const cap = ctx.ports.budget?.capReached(agent, now);
    if (cap) return `reached a spend cap (${cap.why})`;
    const h = ctx.ports.budget?.headroom(agent, now);
    return h?.level === 'out' ? `is out of room (${h.why})` : null;
  };
  const out = agents.map((agent) => ({ agent, why: why(agent) }));
  if (out.every((o) => o.why)) return []; // both out: the review waits for the skeptic as any review would
  return out.filter((o): o is { agent: string; why: string } => o.why !== null);
}

/**
 * The first review of `prefix` (e.g. review/r1): one batch of findings per reviewer that answered. `build` makes the
 * prompt for a reviewer (fresh: a session that has not seen the run; slot: its session).
 */
export async function firstReview(
  ctx: RunContext,
  prefix: string,
  build: (fresh: boolean, slot: string) => Prompt,
): Promise<Batch[]> {
  const all = reviewersOf(ctx, prefix);
  if (all.length === 1) {
    const [r] = all as [Reviewer];
    const step = await call(ctx, r, build);
    return [{ reviewer: r.agent, findings: step.answer.findings, sight: step.after as Sight | undefined }];
  }
  const choice = await ctx.step<PanelChoice>(
    `${prefix}/panel`,
    async () => {
      const skipped = outOfRoom(
        ctx,
        all.map((r) => r.agent),
      );
      return { reviewers: all.map((r) => r.agent).filter((a) => !skipped.some((s) => s.agent === a)), skipped };
    },
    PanelChoiceStep,
  );
  const chosen = all.filter((r) => choice.reviewers.includes(r.agent));
  const left: PanelChoice['skipped'] = [...choice.skipped];
  // Numbered in a fixed order before either starts, so a replay (and scripted agents) sees the same calls.
  const seqs = chosen.map((r) => ctx.reserveSeq(r.role, 'review'));
  const settled = await Promise.allSettled(
    chosen.map((r, i) => {
      const gone = `${r.key}/unavailable`;
      const recorded = ctx.state.steps[gone];
      if (recorded) return Promise.reject(replayed(gone, recorded.result, UnavailableStep));
      return call(ctx, r, build, seqs[i]);
    }),
  );
  const batches: Batch[] = [];
  for (const [i, s] of settled.entries()) {
    const r = chosen[i] as Reviewer;
    if (s.status === 'fulfilled') {
      batches.push({ reviewer: r.agent, findings: s.value.answer.findings, sight: s.value.after as Sight | undefined });
      continue;
    }
    const e = s.reason;
    const recorded = e && typeof e === 'object' && 'why' in e ? (e as { why: string }).why : null;
    if (!recorded && !isAgentError(e) && !(e instanceof Paused)) throw e;
    const why = recorded ?? `was unavailable (${(e as Error).message})`;
    left.push({ agent: r.agent, why });
    if (!recorded) await ctx.step(`${r.key}/unavailable`, async () => ({ why }), UnavailableStep);
  }
  if (!batches.length) {
    const first = settled.find((s) => s.status === 'rejected');
    throw first?.status === 'rejected' && first.reason instanceof Error ? first.reason : new Error('no reviewer');
  }
  ctx.state.panel = { reviewers: batches.map((b) => b.reviewer), unavailable: left };
  if (left.length)
    ctx.state.notes.push(
      `Panel review: a single-reviewer review by ${batches.map((b) => b.reviewer).join(', ')} — ` +
        `${left.map((l) => `${l.agent} ${l.why}`).join('; ')}.`,
    );
  return batches;
}

/** One reviewer's call: the skeptic in the run worktree, the panel's other agent in a scratch checkout of the same commit. */
async function call(
  ctx: RunContext,
  r: Reviewer,
  build: (fresh: boolean, slot: string) => Prompt,
  seq?: number,
): Promise<AgentStep<Critique>> {
  const ws = ctx.ports.workspace;
  const scratch =
    r.role === 'panel' && !(r.key in ctx.state.steps)
      ? await ws.createScratch(`${ctx.state.runId}-panel`, ctx.state.headSha ?? (await ws.head(ctx.cwd)))
      : undefined;
  try {
    const step = await ctx.callAgent(r.key, r.role, {
      purpose: 'review',
      access: 'read-only',
      schema: Critique,
      schemaName: 'Critique',
      after: sight(ctx, 'changed'),
      // duox and the panel: a reviewer in a session of its own, never the one that wrote the code.
      ...(r.fresh ? { slot: r.slot, resume: false } : {}),
      ...(scratch ? { cwd: scratch } : {}),
      ...(seq !== undefined ? { seq } : {}),
      ...build(r.fresh, r.slot),
    });
    recordChecklist(ctx, r.key, step.agent, step.answer);
    return step;
  } finally {
    if (scratch) await ws.removeScratch(scratch);
  }
}
