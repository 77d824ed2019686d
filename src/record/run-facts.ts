/**
 * What the run index keeps of each run (shapes in index-shapes.ts), derived from its record (state.json) and nothing
 * else, so the index can always be rebuilt. Three parts, in three files, so each query reads only what it needs:
 * - the row `duo log` lists and filters on;
 * - the text `duo log --search` looks in: the task, findings, rebuttals, disagreements and decisions;
 * - the facts `duo stats` counts: who raised which findings and how they ended, approvals and claims the gate
 *   contradicted, tests the driver tried to bend, and the humans' decisions.
 */
import { fingerprint, shortFingerprint } from '../protocol/fingerprint.js';
import { declinedOf, raisedBy } from '../protocol/memory.js';
import { standingFindings } from '../protocol/standing.js';
import type { LedgerEntry, RunState } from '../protocol/types.js';
import {
  damagedRow,
  FACTS_VERSION,
  type IndexEntry,
  type RunFacts,
  type RunRow,
  type TextField,
} from './index-shapes.js';
import { RunFiles } from './run-files.js';

/** The store derives a run's entry from the state it saves. */
export function indexEntry(state: RunState): IndexEntry {
  return { rows: runRow(state), text: runText(state), facts: runFacts(state) };
}

/**
 * The entry of a record on disk, for a run whose index lines are missing or stale; a record that does not load gets a
 * damaged row, which says why. The index loads this module only then: it needs the record schemas.
 */
export function recordEntry(repoRoot: string, runId: string): IndexEntry {
  try {
    return indexEntry(new RunFiles(repoRoot).load(runId));
  } catch (e) {
    return { rows: damagedRow(runId, (e as Error).message), text: [], facts: null };
  }
}

const TASK_CHARS = 300;

export function runRow(state: RunState): RunRow {
  return {
    runId: state.runId,
    createdAt: state.createdAt,
    finishedAt: state.finishedAt,
    task: state.task.length > TASK_CHARS ? `${state.task.slice(0, TASK_CHARS - 1)}…` : state.task,
    mode: state.mode,
    requestedMode: state.requestedMode,
    status: state.status,
    owner: state.owner,
    driver: state.roles.driver,
    skeptic: state.roles.skeptic,
    branch: state.worktree?.branch ?? null,
    findings: state.findings.length,
    open: state.findings.filter((f) => f.resolution === 'open' || f.resolution === 'escalated').length,
    standing: standingFindings(state.findings).length,
    disagreements: state.disagreements.length,
    pausedUntil: state.status === 'paused' ? (state.pause?.until ?? null) : null,
    damaged: null,
  };
}

export function runText(state: RunState): TextField[] {
  const out: TextField[] = [['task', '', state.task]];
  const said: string[] = [state.task];
  for (const f of state.findings) {
    out.push([
      'finding',
      `${f.id} (${f.phase}, ${f.finding.severity}) ${shortFingerprint(fingerprintOf(f))}`,
      `${f.finding.claim} | ${f.finding.evidence}`,
    ]);
    said.push(f.finding.claim, f.finding.evidence);
    if (f.answer?.action === 'rebut') {
      out.push(['rebuttal', f.id, `${f.answer.note}${f.recheck ? ` | skeptic: ${f.recheck.note}` : ''}`]);
      said.push(f.answer.note, f.recheck?.note ?? '');
    }
  }
  // A disagreement repeats its finding, the rebuttal and the re-check: only what is new about it is indexed.
  const known = said.join('\n');
  for (const d of state.disagreements) {
    const parts = [d.topic, d.driver.replace(/^(fix|rebut|escalate): /, ''), ...d.skeptic.split(' — '), d.outcome];
    const fresh = parts.filter((p) => p && !known.includes(p));
    out.push(['disagreement', d.findingId, fresh.join(' | ')]);
  }
  for (const d of state.decisions) {
    const card = state.cards.find((c) => c.id === d.cardId);
    out.push(['decision', d.cardId, `${card?.question ?? ''} -> ${d.pick}${d.text ? `: ${d.text}` : ''}`]);
  }
  return out;
}

/** "Tests pass", "all green", "npm test passes": a claim about the checks the gate can prove wrong. */
const PASS_CLAIM =
  /\b(tests?|specs?|suite|checks?|build|typecheck|lint|npm test|pytest|cargo test|go test)\b[^.;]*\b(pass(es|ed|ing)?|green|succeed(s|ed)?|clean|ok)\b|\ball (green|passing)\b/i;

/** Code reviews whose verdict stands before the next gate attempt (first review, fix reviews, their re-checks). */
const CODE_REVIEW = /^(review\/r\d+\/(review|recheck)|verify\/a\d+\/(review|r\d+\/recheck))$/;

interface GateOutcome {
  status?: string;
  results?: { passed?: boolean }[];
  integrity?: { comparisons?: { preExisting?: string | null }[] };
}

/** Red because of this run: a failure that was not already there at the base (or a bent check). */
function redByRun(outcome: GateOutcome | undefined): boolean {
  if (outcome?.status !== 'red') return false;
  const comparisons = outcome.integrity?.comparisons ?? [];
  const results = outcome.results ?? [];
  if (!results.some((r) => !r.passed)) return true; // red from integrity alone
  return results.some((r, i) => !r.passed && comparisons[i]?.preExisting !== 'all');
}

export function runFacts(state: RunState): RunFacts {
  const model = (agent: string) => state.models[agent] ?? 'default';
  const driver = state.roles.driver;
  const skeptic = state.roles.skeptic;
  const decisionOf = (id: string) => state.decisions.find((d) => d.cardId === `card-${id}`)?.pick ?? null;
  const findings: RunFacts['findings'] = [];
  const rulesCited = new Set<string>();
  for (const e of state.findings) {
    if (e.finding.rule) rulesCited.add(e.finding.rule);
    if (e.answer?.rule) rulesCited.add(e.answer.rule);
    // A finding both panel reviewers raised counts for each of them.
    for (const agent of raisedBy(state, e)) {
      findings.push({
        reviewer: { agent, model: model(agent), own: agent === driver },
        phase: e.phase,
        severity: e.finding.severity,
        resolution: e.resolution,
        confidence: e.finding.confidence ?? null,
        decided: decisionOf(e.id),
        category: e.finding.category ?? null,
        fingerprint: fingerprintOf(e),
        panel: e.panel ? (e.panel === 'both' ? 'both' : 'only') : null,
      });
    }
  }

  const steps = Object.entries(state.steps).sort((a, b) => a[1].at.localeCompare(b[1].at));
  const gates = steps.filter(([k]) => /^verify\/a\d+\/gate$/.test(k));
  const approvals: RunFacts['approvals'] = [];
  let lastReview: { verdict: string; at: string } | null = null;
  let gi = 0;
  for (const [key, step] of steps) {
    if (CODE_REVIEW.test(key)) {
      const verdict = (step.result as { answer?: { verdict?: string } } | undefined)?.answer?.verdict;
      if (verdict) lastReview = { verdict, at: step.at };
    } else if (gates[gi]?.[0] === key) {
      gi++;
      if (lastReview?.verdict === 'approve' && skeptic)
        approvals.push({
          reviewer: { agent: skeptic, model: model(skeptic), own: skeptic === driver },
          contradicted: redByRun(step.result as GateOutcome),
        });
      lastReview = null;
    }
  }

  const claims = { made: 0, contradicted: 0 };
  const gateAfter = (key: string): GateOutcome | undefined => {
    const n = key === 'implement/driver' ? 1 : Number(/^verify\/a(\d+)\/diagnose$/.exec(key)?.[1] ?? Number.NaN) + 1;
    return state.steps[`verify/a${n}/gate`]?.result as GateOutcome | undefined;
  };
  for (const key of [
    'implement/driver',
    ...Object.keys(state.steps).filter((k) => /^verify\/a\d+\/diagnose$/.test(k)),
  ]) {
    const said = (state.steps[key]?.result as { answer?: { claims?: string[] } } | undefined)?.answer?.claims ?? [];
    if (!said.some((c) => PASS_CLAIM.test(c))) continue;
    const next = gateAfter(key);
    if (!next) continue;
    claims.made++;
    if (redByRun(next)) claims.contradicted++;
  }

  const reverted = new Set(state.reverts.map((r) => `${r.step}\0${r.path}`)).size;
  const flagged = state.findings.filter(
    (e) => e.phase === 'integrity' && e.integrityKey && !e.integrityKey.startsWith('contradiction:'),
  ).length;

  return {
    v: FACTS_VERSION,
    createdAt: state.createdAt,
    mode: state.mode,
    status: state.status,
    driver: { agent: driver, model: model(driver) },
    findings,
    approvals,
    claims,
    bent: reverted + flagged,
    decisions: state.decisions.map((d) => ({ human: d.human ?? 'you', pick: d.pick })),
    declined: declinedOf(state),
    rulesCited: [...rulesCited].sort(),
  };
}

/** A finding's fingerprint; one from a record older than fingerprints is derived from its claim and file. */
export function fingerprintOf(e: LedgerEntry): string {
  return e.fingerprint ?? fingerprint({ claim: e.finding.claim, file: e.finding.file, anchor: e.anchor ?? null });
}
