/**
 * Findings as threads. A reviewer's new findings do not simply join the ledger: each is first placed against what
 * is already known —
 * - the same thread still open in this phase: merged into it (one thread, not a second entry to answer);
 * - a finding declined before (in the repository's memory, or earlier in this run) raised again on unchanged code:
 *   a `repeat`, linked to that decision, never answered — unless the reviewer cites it in `reopens` with new
 *   evidence, which makes a new thread that cites the old one;
 * - below the severity floor (review.minSeverity), or in a category the reviewer's findings are rarely adopted in
 *   (review.demoteBelow): a suggestion, with no fix round;
 * - otherwise an open finding the driver must answer.
 * A round that raises only repeats and suggestions leaves nothing open, so the answer loop ends.
 *
 * What a finding points at is read inside the reviewing call's own journaled step (`sight`), so a replay places
 * every finding exactly as the first run did.
 */

import type { RunContext } from './context.js';
import { Ledger } from './findings-ledger.js';
import { anchorOf, anchorsIn, fingerprint, type Located, repeats, sameThread } from './fingerprint.js';
import { type DeclinedFinding, declinedOf, demotion } from './memory.js';
import type { FindingInput, Severity } from './schemas.js';
import type { LedgerEntry, LedgerPhase, ThreadLink } from './types.js';

/** What a reviewing call saw of the code, at the commit it reviewed. */
export interface Sight {
  head: string;
  /** By the finding's own id: what it points at (fingerprint.ts). */
  anchors: Record<string, string | null>;
  /** By file: the anchors of declined findings that are still in that file, unchanged. */
  present: Record<string, string[]>;
}

/** One reviewer's findings from one call, with what that call saw. */
export interface Batch {
  reviewer: string;
  findings: FindingInput[];
  sight: Sight | undefined;
}

const RANK: Record<Severity, number> = { blocker: 0, major: 1, minor: 2, nit: 3 };
/** Phases whose findings are a reviewer's judgement (not duo's own measurements): memory and the floor apply. */
const JUDGED = new Set<LedgerPhase>(['plan', 'review', 'verify']);

/** Every finding declined so far: the repository's memory, and this run's own. */
function declinedThreads(ctx: RunContext): DeclinedFinding[] {
  return [...declinedOf(ctx.state), ...ctx.recall.declined];
}

/**
 * Reads at the head, in the background while the call runs, the files a reviewer's findings most likely name, so
 * sight finds them already read (reads at a commit id are kept). A failed read costs nothing: sight reads again.
 */
function foresee(ctx: RunContext, likely: readonly string[] | 'changed' | undefined): void {
  const ws = ctx.ports.workspace;
  const head = ctx.state.headSha;
  const base = ctx.state.worktree?.baseSha;
  if (!likely || !head) return;
  // Once the call has started: its own start comes first.
  setImmediate(() => {
    const files =
      likely === 'changed'
        ? base
          ? ws.changedBetween(base, head).then((cs) => cs.filter((c) => c.status !== 'D').map((c) => c.path))
          : Promise.resolve([])
        : Promise.resolve([...likely]);
    files
      .then((fs) => (fs.length ? ws.readManyAt(head, [...new Set(fs)].slice(0, FORESEEN_MAX)) : undefined))
      .catch(() => undefined);
  });
}

const FORESEEN_MAX = 200;

/**
 * The `after` hook of a reviewing call: reads, at the commit the call reviewed, what each finding points at and
 * which declined findings' code is still there. Runs inside the call's journaled step.
 */
export function sight(
  ctx: RunContext,
  /** What the findings will most likely point at, read while the reviewer works: files, or the run's changed files. */
  likely?: readonly string[] | 'changed',
): (cwd: string, answer: { findings: FindingInput[] }) => Promise<Sight> {
  foresee(ctx, likely);
  return async (cwd, answer) => {
    const ws = ctx.ports.workspace;
    const declined = declinedThreads(ctx);
    const head = await ctx.headOf(cwd);
    const files = [...new Set(answer.findings.flatMap((f) => (f.file ? [f.file] : [])))];
    // One git process for every file the findings name (and none when they name none).
    const contents = files.length ? await ws.readManyAt(head, files) : new Map<string, string>();
    const anchors: Record<string, string | null> = {};
    const present: Record<string, string[]> = {};
    for (const f of answer.findings) {
      if (!f.file) continue;
      const content = contents.get(f.file) ?? null;
      anchors[f.id] = anchorOf(f.file, content, f.line);
      const candidates = declined.filter((d) => d.file === f.file && d.anchor).map((d) => d.anchor as string);
      if (!candidates.length || f.file in present) continue;
      const there = anchorsIn(content);
      present[f.file] = [...new Set(candidates.filter((a) => there.has(a)))];
    }
    return { head, anchors, present };
  };
}

const located = (e: LedgerEntry): Located => ({
  fingerprint: e.fingerprint ?? fingerprint({ claim: e.finding.claim, file: e.finding.file, anchor: null }),
  claim: e.finding.claim,
  file: e.finding.file,
  line: e.finding.line,
  anchor: e.anchor ?? null,
});

const link = (d: DeclinedFinding): ThreadLink => ({
  fingerprint: d.fingerprint,
  runId: d.runId,
  findingId: d.findingId,
  reason: d.reason,
  by: d.by,
  at: d.at,
});

interface Merged {
  finding: FindingInput;
  loc: Located;
  reviewers: string[];
  present: Set<string>;
}

/** Findings of several reviewers of the same diff (a panel), as threads: the same finding from both is one. */
function mergeBatches(batches: Batch[]): Merged[] {
  const merged: Merged[] = [];
  for (const b of batches) {
    for (const f of b.findings) {
      const anchor = b.sight?.anchors[f.id] ?? null;
      const loc: Located = {
        fingerprint: fingerprint({ claim: f.claim, file: f.file, anchor }),
        claim: f.claim,
        file: f.file,
        line: f.line,
        anchor,
      };
      const same = merged.find((m) => !m.reviewers.includes(b.reviewer) && sameThread(m.loc, loc));
      const present = b.sight?.present[f.file ?? ''] ?? [];
      if (same) {
        same.reviewers.push(b.reviewer);
        for (const a of present) same.present.add(a);
      } else merged.push({ finding: f, loc, reviewers: [b.reviewer], present: new Set(present) });
    }
  }
  return merged;
}

/**
 * New findings from one round of review (one batch per reviewer; two for a panel), placed as threads (see the
 * file's overview). Returns the entries added; a finding merged into an open thread adds none.
 */
export function raise(ctx: RunContext, phase: LedgerPhase, round: number, batches: Batch[], at: string): LedgerEntry[] {
  const ledger = new Ledger(ctx.state);
  const panel = batches.length > 1;
  const added: LedgerEntry[] = [];
  for (const m of mergeBatches(batches)) {
    const open = ledger.open(phase).find((e) => sameThread(located(e), m.loc));
    if (open) {
      open.history.push({ at, round, event: 'raised-again', note: m.finding.claim });
      if (open.reviewers) open.reviewers = [...new Set([...open.reviewers, ...m.reviewers])];
      continue;
    }
    const declined = JUDGED.has(phase) ? declinedThreads(ctx) : [];
    const [entry] = ledger.add(phase, round, [m.finding], at, { [m.finding.id]: m.loc.anchor });
    if (!entry) continue;
    added.push(entry);
    // Who caught it: both reviewers of a panel, or one of them; also a lone reviewer that is not the skeptic.
    if (panel || m.reviewers[0] !== ctx.state.roles.skeptic) entry.reviewers = m.reviewers;
    if (panel) entry.panel = m.reviewers.length === batches.length ? 'both' : `${m.reviewers[0]}-only`;
    if (!JUDGED.has(phase)) continue;
    const cited = m.finding.reopens?.trim().toLowerCase();
    const reopened = cited && cited.length >= 6 ? declined.find((d) => d.fingerprint.startsWith(cited)) : undefined;
    if (reopened) {
      // New evidence against a declined finding: a new thread (its own fingerprint) that cites the old one.
      entry.reopens = link(reopened);
      entry.fingerprint = fingerprint({
        claim: `${m.finding.claim} ${reopened.fingerprint}`,
        file: m.finding.file,
        anchor: m.loc.anchor,
      });
      continue;
    }
    const repeated = declined.find((d) => repeats(m.finding, d, m.present));
    if (repeated) {
      ledger.repeat(entry, link(repeated), at);
      continue;
    }
    const review = ctx.config.review;
    if (RANK[entry.finding.severity] > RANK[review.minSeverity]) {
      ledger.suggest(entry, `below the severity floor (review.minSeverity: ${review.minSeverity})`, at);
      continue;
    }
    if (entry.finding.severity === 'blocker') continue; // a blocker is never demoted
    // Demoted only when every reviewer that raised it is rarely adopted in this category.
    const why = m.reviewers.map((r) => demotion(ctx.recall, review, r, entry.finding.category ?? null));
    if (why.every(Boolean)) ledger.suggest(entry, why[0] as string, at);
  }
  return added;
}
