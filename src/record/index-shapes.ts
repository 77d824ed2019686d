/**
 * What the run index keeps of each run, as shapes: the row `duo log` lists, the search text, the facts `duo stats`
 * counts, and the row of a record that does not load. Types and plain values only, so a query over the index never
 * loads the record schemas; the derivation from a record is run-facts.ts.
 */
import type { DeclinedFinding } from '../protocol/memory.js';

export interface RunRow {
  runId: string;
  createdAt: string;
  finishedAt: string | null;
  task: string;
  mode: string;
  requestedMode: string;
  status: string;
  owner: { pid: number; host: string } | null;
  driver: string;
  skeptic: string | null;
  branch: string | null;
  findings: number;
  open: number;
  /** Blocker/major findings nobody resolved (see protocol/standing.ts). */
  standing: number;
  disagreements: number;
  pausedUntil: string | null;
  /** The record does not load (edited by hand into an invalid shape, cut short): why. */
  damaged: string | null;
}

/** [kind, label, text]: kind is task | finding | rebuttal | disagreement | decision. */
export type TextField = [string, string, string];

export interface Reviewer {
  agent: string;
  model: string;
  /** Reviewing the code of the agent it is (invert mode's fresh-session self-review). */
  own: boolean;
}
export type Pick = 'driver' | 'skeptic' | 'custom';

/** The facts' shape: a line of another version is re-derived from its record (run-index.ts). */
export const FACTS_VERSION = 2;

export interface RunFacts {
  v: number;
  createdAt: string;
  mode: string;
  status: string;
  driver: { agent: string; model: string };
  findings: {
    reviewer: Reviewer;
    phase: string;
    severity: string;
    resolution: string;
    confidence: number | null;
    /** The human's decision on its card, when there was one. */
    decided: Pick | null;
    category: string | null;
    fingerprint: string;
    /** A panel review: caught by both reviewers, or only by this one; null outside a panel. */
    panel: 'both' | 'only' | null;
  }[];
  /** The findings this run declined: the repository's memory is made of these (record/memory.ts). */
  declined: DeclinedFinding[];
  /** House rules a finding or an answer cited. */
  rulesCited: string[];
  /** Each code review that approved before a gate attempt, and whether that attempt was then red. */
  approvals: { reviewer: Reviewer; contradicted: boolean }[];
  /** Driver reports that claimed the checks pass, and how many the next gate attempt contradicted. */
  claims: { made: number; contradicted: number };
  /** Edits to existing tests or the gate's definition: reverted by duo, or found by the gate. */
  bent: number;
  decisions: { human: string; pick: Pick }[];
}

/** A run's entry in the index: its three parts, one per file. */
export interface IndexEntry {
  rows: RunRow;
  text: TextField[];
  facts: RunFacts | null;
}

/** A record that does not load still gets a row: `duo log` says it is damaged and why. */
export function damagedRow(runId: string, error: string): RunRow {
  const stamp = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})/.exec(runId);
  return {
    runId,
    createdAt: stamp ? `${stamp[1]}-${stamp[2]}-${stamp[3]}T${stamp[4]}:${stamp[5]}:${stamp[6]}.000Z` : '',
    finishedAt: null,
    task: '',
    mode: '?',
    requestedMode: '?',
    status: 'damaged',
    owner: null,
    driver: '?',
    skeptic: null,
    branch: null,
    findings: 0,
    open: 0,
    standing: 0,
    disagreements: 0,
    pausedUntil: null,
    damaged: error.split('\n')[0] ?? error,
  };
}
