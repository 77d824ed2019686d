/**
 * The findings ledger: every finding the skeptic raises gets an entry, and every entry ends in exactly one
 * resolution — fixed, rebutted, escalated, a repeat of a declined finding, a suggestion (no fix round), or (only
 * when the rounds run out) open. Nothing is ever removed.
 */

import { fingerprint } from './fingerprint.js';
import type { Critique, FindingAnswer, FindingInput } from './schemas.js';
import type { Disagreement, LedgerEntry, LedgerPhase, RunState, ThreadLink } from './types.js';

export type { LedgerPhase } from './types.js';

export class Ledger {
  constructor(private readonly state: RunState) {}

  get entries(): LedgerEntry[] {
    return this.state.findings;
  }

  get(id: string): LedgerEntry | undefined {
    return this.state.findings.find((f) => f.id === id);
  }

  /** Open entries of a phase (or all phases). */
  open(phase?: LedgerPhase): LedgerEntry[] {
    return this.state.findings.filter((f) => f.resolution === 'open' && (!phase || f.phase === phase));
  }

  /** Open entries that still block: blocker/major. */
  blocking(phase: LedgerPhase): LedgerEntry[] {
    return this.open(phase).filter((f) => f.finding.severity === 'blocker' || f.finding.severity === 'major');
  }

  /**
   * Record new findings; ids are kept unless they collide, so the skeptic's own ids stay recognisable. `anchors`
   * (by the finding's own id): what each points at in the code (fingerprint.ts), when the caller read it.
   */
  add(
    phase: LedgerPhase,
    round: number,
    findings: FindingInput[],
    at: string,
    anchors: Record<string, string | null> = {},
  ): LedgerEntry[] {
    const added: LedgerEntry[] = [];
    for (const finding of findings) {
      const base = finding.id.trim() || `${phase[0]?.toUpperCase()}${this.state.findings.length + 1}`;
      let id = base;
      for (let n = 2; this.get(id); n++) id = `${base}-${n}`;
      const anchor = anchors[finding.id] ?? null;
      const entry: LedgerEntry = {
        id,
        fingerprint: fingerprint({ claim: finding.claim, file: finding.file, anchor }),
        anchor,
        phase,
        round,
        finding: { ...finding, id, confidence: finding.confidence ?? null },
        resolution: 'open',
        answer: null,
        recheck: null,
        fixCommit: null,
        decision: null,
        history: [{ at, round, event: 'raised', note: finding.claim }],
      };
      this.state.findings.push(entry);
      added.push(entry);
    }
    return added;
  }

  /**
   * The driver's answers. `escalate` ends the entry as escalated at once; fix/rebut/nit wait for the skeptic's
   * re-check. Answers to unknown or already-closed ids are ignored (and noted), never invented into entries.
   */
  answer(answers: FindingAnswer[], round: number, at: string, commit: string | null): string[] {
    const ignored: string[] = [];
    for (const a of answers) {
      const entry = this.get(a.findingId);
      if (entry?.resolution !== 'open') {
        ignored.push(a.findingId);
        continue;
      }
      entry.answer = { action: a.action, note: a.note, round, ...(a.rule ? { rule: a.rule } : {}) };
      entry.history.push({ at, round, event: `driver-${a.action}`, note: a.note });
      if (a.action === 'fix' && commit) entry.fixCommit = commit;
      if (a.action === 'escalate') {
        entry.resolution = 'escalated';
        this.disagree(entry, at, 'the driver escalated it to the human');
      }
    }
    return ignored;
  }

  /**
   * The skeptic's re-checks of answered entries. A held rebuttal is escalated; a held fix stays open. A nit the
   * skeptic agrees with becomes a suggestion; one it holds is a correctness issue and stays open (both stances stay
   * in the entry's history).
   */
  recheck(critique: Pick<Critique, 'rechecks'>, round: number, at: string): void {
    for (const r of critique.rechecks) {
      const entry = this.get(r.findingId);
      if (entry?.resolution !== 'open' || !entry.answer) continue;
      entry.recheck = { status: r.status, note: r.note, round };
      entry.history.push({ at, round, event: `skeptic-${r.status}`, note: r.note });
      if (entry.answer.action === 'nit') {
        if (r.status !== 'hold')
          this.suggest(entry, `the driver marked it a nit and the skeptic agreed: ${r.note}`, at, round);
        continue;
      }
      if (r.status === 'resolved') {
        entry.resolution = 'fixed';
      } else if (r.status === 'accept-rebuttal') {
        entry.resolution = 'rebutted';
        this.disagree(entry, at, `the skeptic accepted the driver's rebuttal: ${r.note}`);
      } else if (entry.answer.action === 'rebut') {
        entry.resolution = 'escalated';
        this.disagree(entry, at, `unresolved — the skeptic held its finding against the rebuttal: ${r.note}`);
      }
      // A held fix stays open: the driver must try again next round.
    }
  }

  /** Sends an open entry to the human (a decision card follows), with why. */
  escalate(entry: LedgerEntry, at: string, outcome: string): void {
    entry.resolution = 'escalated';
    entry.history.push({ at, round: entry.round, event: 'escalated', note: outcome });
    this.disagree(entry, at, outcome);
  }

  /** A finding that takes no fix round: listed as a suggestion, with why. */
  suggest(entry: LedgerEntry, why: string, at: string, round = entry.round): void {
    entry.resolution = 'suggestion';
    entry.suggestion = why;
    entry.history.push({ at, round, event: 'suggestion', note: why });
  }

  /** A declined finding raised again on unchanged code: shown, linked to the earlier decision, never answered. */
  repeat(entry: LedgerEntry, of: ThreadLink, at: string): void {
    entry.resolution = 'repeat';
    entry.repeatOf = of;
    entry.fingerprint = of.fingerprint;
    entry.history.push({
      at,
      round: entry.round,
      event: 'repeat',
      note: `declined before (${of.runId === this.state.runId ? 'this run' : `run ${of.runId}`}, ${of.findingId}): ${of.reason}`,
    });
  }

  /** Rounds ran out: whatever is still open is a recorded disagreement, left open. */
  closeRounds(phase: LedgerPhase, at: string, rounds: number): LedgerEntry[] {
    const left = this.open(phase);
    this.leaveOpen(
      left,
      at,
      rounds,
      `still open after ${rounds} round(s)`,
      `unresolved after ${rounds} round(s); left open`,
    );
    return left;
  }

  /** Entries no round is left to answer: open, and a recorded disagreement that says why. */
  leaveOpen(entries: LedgerEntry[], at: string, round: number, note: string, outcome: string): void {
    for (const entry of entries) {
      entry.history.push({ at, round, event: 'round-cap', note });
      this.disagree(entry, at, outcome);
    }
  }

  /**
   * The skeptic's re-check of the change the driver made to carry out human decisions: a decision carried out makes
   * the finding fixed (with the commit); otherwise it stays escalated, and the record says why.
   */
  recheckDecided(entries: LedgerEntry[], critique: Critique, at: string, commit: string | null): void {
    for (const entry of entries) {
      const r = critique.rechecks.find((x) => x.findingId === entry.id);
      if (r) {
        entry.recheck = { status: r.status, note: r.note, round: entry.round };
        entry.history.push({ at, round: entry.round, event: `skeptic-${r.status}`, note: r.note });
      }
      const d = this.state.disagreements.find((x) => x.findingId === entry.id);
      const outcome = (text: string) => {
        if (d) d.outcome = `${d.outcome}; ${text}`;
        else this.disagree(entry, at, text);
      };
      if (r?.status === 'resolved') {
        entry.resolution = 'fixed';
        if (commit) entry.fixCommit = commit;
        outcome(`the skeptic re-checked the change made for the decision: fixed (${r.note})`);
      } else {
        entry.resolution = 'escalated';
        outcome(
          r
            ? `still escalated — the skeptic holds that the change does not carry the decision out: ${r.note}`
            : 'still escalated — the skeptic did not say the change made for the decision settles it',
        );
      }
    }
  }

  /** A human decision on an escalated entry. */
  decided(id: string, text: string, at: string): void {
    const entry = this.get(id);
    if (!entry) return;
    entry.decision = text;
    entry.history.push({ at, round: entry.round, event: 'human-decision', note: text });
    const d = this.state.disagreements.find((x) => x.findingId === id);
    if (d) d.outcome = `${d.outcome}; decided by the human: ${text}`;
  }

  private disagree(entry: LedgerEntry, at: string, outcome: string): void {
    const existing = this.state.disagreements.find((d) => d.findingId === entry.id);
    const record: Disagreement = {
      at,
      phase: entry.phase,
      findingId: entry.id,
      severity: entry.finding.severity,
      topic: entry.finding.claim,
      driver: entry.answer ? `${entry.answer.action}: ${entry.answer.note}` : '(no answer)',
      skeptic: entry.recheck?.note ? `${entry.finding.evidence} — ${entry.recheck.note}` : entry.finding.evidence,
      outcome,
    };
    if (existing) Object.assign(existing, record);
    else this.state.disagreements.push(record);
  }
}
