/**
 * What a run remembers of the repository's earlier runs, as the engine sees it: the findings declined before (a
 * rebuttal the skeptic accepted, or a human siding with the driver), the house rules, and how often each reviewer's
 * findings of each category were acted on. The record keeps the memory (record/memory.ts); the engine only reads
 * it through the `memory` port, once, as a journaled step — so a resumed run sees the memory it started with, and
 * marks the same findings as repeats.
 */

import { z } from 'zod';
import type { RunContext } from './context.js';
import { fingerprint } from './fingerprint.js';
import type { Memo } from './prompts/incremental.js';
import { replayed } from './replay.js';
import { Severity } from './schemas.js';
import type { LedgerEntry, RunState } from './types.js';

export const DeclinedFinding = z.object({
  fingerprint: z.string(),
  runId: z.string(),
  findingId: z.string(),
  phase: z.string(),
  severity: Severity,
  category: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  claim: z.string(),
  /** What the finding pointed at when it was declined (fingerprint.ts): a repeat needs that code still there. */
  anchor: z.string().nullable(),
  /** Why it was declined: the driver's rebuttal (and the skeptic's acceptance), or the human's decision. */
  reason: z.string(),
  by: z.enum(['skeptic', 'human']),
  at: z.string(),
  /** The agent that raised it. */
  reviewer: z.string().nullable(),
});
export type DeclinedFinding = z.infer<typeof DeclinedFinding>;

/** One house rule from .duo/RULES.md: its id (H1, H2…, or as the file names it) and its text. */
export const HouseRule = z.object({ id: z.string(), text: z.string() });
export type HouseRule = z.infer<typeof HouseRule>;

/** How often one reviewer's findings of one category were adopted: fixed, or decided for the skeptic. */
export const CategoryAdoption = z.object({
  agent: z.string(),
  category: z.string(),
  findings: z.number(),
  adopted: z.number(),
});
export type CategoryAdoption = z.infer<typeof CategoryAdoption>;

export const Recall = z.object({
  declined: z.array(DeclinedFinding),
  rules: z.array(HouseRule),
  adoption: z.array(CategoryAdoption),
});
export type Recall = z.infer<typeof Recall>;

/** The port: the repository's memory, without the run asking for it (its own entries are not memory yet). */
export interface RepoMemory {
  recall(exceptRunId: string): Recall | Promise<Recall>;
}

export const EMPTY_RECALL: Recall = { declined: [], rules: [], adoption: [] };

export const MEMORY_STEP = 'memory';
/** The newest declined findings a run takes with it (its journal keeps them), and how much of each text. */
const KEEP = 200;
const TEXT = 400;

/**
 * The memory this run works with, taken once before any agent runs and replayed from the journal after. A run
 * recorded before duo kept a memory (it already has later steps) works without one, so its replay is unchanged.
 */
export async function recallMemory(ctx: RunContext): Promise<Recall> {
  const { steps } = ctx.state;
  const earlier = !(MEMORY_STEP in steps) && Object.keys(steps).some((k) => k !== 'workspace');
  const recorded = steps[MEMORY_STEP];
  if (earlier || !ctx.ports.memory) return recorded ? replayed(MEMORY_STEP, recorded.result, Recall) : EMPTY_RECALL;
  const port = ctx.ports.memory;
  return ctx.step(
    MEMORY_STEP,
    async () => {
      const r = Recall.parse(await port.recall(ctx.state.runId));
      const cut = (s: string) => (s.length > TEXT ? `${s.slice(0, TEXT - 1)}…` : s);
      const declined = [...r.declined]
        .sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0))
        .slice(0, KEEP)
        .map((d) => ({ ...d, claim: cut(d.claim), reason: cut(d.reason) }));
      return { ...r, declined };
    },
    Recall,
  );
}

/**
 * What a session is told from the memory before it reviews these files: the house rules and the findings declined
 * on them (`told`: those it already heard, when it is resumed). `tell` records that it heard them.
 */
export function memoFor(ctx: RunContext, slot: string, files: string[], fresh = false): Memo {
  return {
    rules: ctx.recall.rules,
    declined: relevantDeclined(ctx.recall, files),
    told: fresh ? [] : [...(ctx.told.get(slot) ?? [])],
  };
}

export function tell(ctx: RunContext, slot: string, memo: Memo): void {
  const heard = ctx.told.get(slot) ?? new Set<string>();
  for (const d of memo.declined) heard.add(d.fingerprint);
  ctx.told.set(slot, heard);
}

/** The declined findings on these files (or on no file), newest first, at most `limit`. */
export function relevantDeclined(recall: Recall, files: string[], limit = 20): DeclinedFinding[] {
  const inPlay = new Set(files);
  return recall.declined.filter((d) => d.file === null || inPlay.has(d.file)).slice(0, limit);
}

/** A reviewer's category whose findings are rarely acted on (review.demoteBelow): why its findings are demoted. */
export function demotion(
  recall: Recall,
  config: { demoteBelow: number | null; demoteAfter: number },
  agent: string,
  category: string | null,
): string | null {
  if (config.demoteBelow === null || !category) return null;
  const a = recall.adoption.find((x) => x.agent === agent && x.category === category);
  if (!a || a.findings < config.demoteAfter) return null;
  const share = a.adopted / a.findings;
  if (share >= config.demoteBelow) return null;
  const pct = (x: number) => `${Math.round(x * 100)}%`;
  return (
    `demoted: ${agent}'s ${category} findings were adopted ${a.adopted} of ${a.findings} times (${pct(share)}), ` +
    `below review.demoteBelow (${pct(config.demoteBelow)})`
  );
}

/** Who raised an entry: the panel's reviewers, the other agent for a sub-task patch, else the skeptic. */
export function raisedBy(state: RunState, e: LedgerEntry): string[] {
  if (e.phase === 'integrity') return []; // duo's own measurement
  if (e.reviewers?.length) return e.reviewers;
  const { driver, skeptic, subtask } = state.roles;
  const agent = e.phase === 'subtask' && subtask !== driver ? driver : skeptic;
  return agent ? [agent] : [];
}

/**
 * The run's declined findings — what the memory keeps: a rebuttal the skeptic accepted, or a human who sided with
 * the driver. Repeats and suggestions are not decisions; duo's own integrity findings are not a reviewer's.
 */
export function declinedOf(state: RunState): DeclinedFinding[] {
  const out: DeclinedFinding[] = [];
  for (const e of state.findings) {
    const human = state.decisions.find((d) => d.cardId === `card-${e.id}`);
    const byHuman = human?.pick === 'driver';
    if (e.phase === 'integrity' || !(e.resolution === 'rebutted' || byHuman)) continue;
    const rebuttal = e.answer ? `${e.answer.action}: ${e.answer.note}` : '';
    const reason = byHuman
      ? `the human sided with the driver${human?.text ? ` (${human.text})` : ''}${rebuttal ? ` — ${rebuttal}` : ''}`
      : `${rebuttal}${e.recheck?.note ? ` — the skeptic accepted: ${e.recheck.note}` : ''}`;
    const f = e.finding;
    out.push({
      fingerprint: e.fingerprint ?? fingerprint({ claim: f.claim, file: f.file, anchor: e.anchor ?? null }),
      runId: state.runId,
      findingId: e.id,
      phase: e.phase,
      severity: f.severity,
      category: f.category ?? null,
      file: f.file,
      line: f.line,
      claim: f.claim,
      anchor: e.anchor ?? null,
      reason,
      by: byHuman ? 'human' : 'skeptic',
      at: (byHuman ? human?.decidedAt : e.history.at(-1)?.at) ?? state.createdAt,
      reviewer: raisedBy(state, e)[0] ?? null,
    });
  }
  return out;
}
