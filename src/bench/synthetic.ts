/**
 * Generated run records for the bench (10,000 runs for `duo log` and a search) and the index tests: valid
 * RunStates with findings, rebuttals, disagreements, decisions, gate attempts and review verdicts, from a seeded
 * generator so every run of the bench measures the same records.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RunState } from '../protocol/types.js';

const WORDS = (
  'invoice rounding cache retry backoff uploader session token migration index schema parser lexer queue worker ' +
  'timeout race lock deadlock config loader flag cli report table column currency refund webhook signature header ' +
  'pagination cursor batch stream buffer encoding unicode locale timezone date parser regex escape path symlink ' +
  'permission sandbox env secret logging metrics trace span histogram bucket quota budget limit window reset'
)
  .split(/\s+/)
  .filter(Boolean);

/** xorshift32, seeds spread by a multiplicative hash and warmed up (small seeds start out correlated). */
export function prng(seed: number): () => number {
  let s = Math.imul(seed + 1, 2654435761) >>> 0 || 1;
  const next = () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
  for (let i = 0; i < 8; i++) next();
  return next;
}

export interface SyntheticOptions {
  index: number;
  repoRoot: string;
  /** ms since epoch of the first run; runs are a minute apart. */
  start?: number;
  rand?: () => number;
  over?: Partial<RunState>;
}

export function syntheticRun(o: SyntheticOptions): RunState {
  const rand = o.rand ?? prng(o.index + 1);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const at = new Date((o.start ?? Date.UTC(2026, 0, 1)) + o.index * 60_000);
  const stamp = at.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const runId = `${stamp}-${o.index.toString(16).padStart(4, '0')}`;
  const status = pick(['green', 'green', 'green', 'red', 'unverified', 'awaiting-decision', 'paused'] as const);
  const mode = pick(['pair', 'pair', 'invert', 'solo'] as const);
  const severities = ['blocker', 'major', 'minor', 'nit'] as const;
  const resolutions = ['fixed', 'fixed', 'rebutted', 'escalated', 'open'] as const;
  const findings = Array.from({ length: mode === 'solo' ? 0 : Math.floor(rand() * 6) }, (_, k) => {
    const resolution = pick(resolutions);
    const id = `R${k + 1}`;
    return {
      id,
      phase: pick(['plan', 'review', 'review', 'verify'] as const),
      round: 1,
      finding: {
        id,
        severity: pick(severities),
        file: `src/${pick(WORDS)}.ts`,
        line: 1 + Math.floor(rand() * 300),
        claim: `The ${words(3)} ${pick(['drops', 'leaks', 'double-counts', 'ignores'])} the ${words(2)} when ${words(4)}.`,
        evidence: `Calling it with ${words(3)} returns ${words(2)}; see the ${words(2)} path, which never checks ${words(2)}.`,
        stakes: rand() < 0.5 ? `Wrong ${words(2)} in production.` : null,
        confidence: rand() < 0.8 ? Math.round(rand() * 100) / 100 : null,
      },
      resolution,
      answer:
        resolution === 'rebutted' || resolution === 'escalated'
          ? { action: 'rebut', note: `Not an issue: the ${words(3)} is already guarded by ${words(3)}.`, round: 1 }
          : resolution === 'fixed'
            ? { action: 'fix', note: `Fixed the ${words(2)}.`, round: 1 }
            : null,
      recheck:
        resolution === 'rebutted'
          ? { status: 'accept-rebuttal', note: `Agreed, ${words(3)}.`, round: 1 }
          : resolution === 'fixed'
            ? { status: 'resolved', note: 'ok', round: 1 }
            : null,
      fixCommit: resolution === 'fixed' ? 'a'.repeat(40) : null,
      decision: null,
      history: [],
    };
  });
  const disagreements = findings
    .filter((f) => f.resolution === 'rebutted' || f.resolution === 'escalated')
    .map((f) => ({
      at: at.toISOString(),
      phase: f.phase,
      findingId: f.id,
      severity: f.finding.severity,
      topic: f.finding.claim,
      driver: `rebut: ${f.answer?.note ?? ''}`,
      skeptic: f.finding.evidence,
      outcome: f.resolution === 'rebutted' ? 'the skeptic accepted the rebuttal' : 'escalated to the human',
    }));
  const escalated = findings.filter((f) => f.resolution === 'escalated' && f.finding.severity === 'blocker');
  const cards = escalated.map((f) => ({
    id: `card-${f.id}`,
    phase: f.phase,
    findingId: f.id,
    question: f.finding.claim,
    driverPosition: f.answer?.note ?? '',
    skepticPosition: f.finding.evidence,
    stakes: 'expensive',
    createdAt: at.toISOString(),
  }));
  const decisions = cards
    .filter(() => rand() < 0.7)
    .map((c) => ({
      cardId: c.id,
      pick: pick(['driver', 'skeptic', 'custom'] as const),
      text: rand() < 0.3 ? `Keep the ${words(2)} as it is.` : '',
      decidedAt: at.toISOString(),
      by: 'duo decide',
      human: pick(['ana@example.com', 'bo@example.com']),
    }));
  const gateStatus = status === 'red' ? 'red' : 'green';
  const steps: RunState['steps'] = {
    'review/r1/review': {
      at: new Date(at.getTime() + 1000).toISOString(),
      durationMs: 1000,
      result: { answer: { verdict: rand() < 0.7 ? 'approve' : 'revise', findings: [], rechecks: [] } },
    },
    'implement/driver': {
      at: new Date(at.getTime() + 500).toISOString(),
      durationMs: 1000,
      result: { answer: { summary: 'done', filesChanged: [], claims: rand() < 0.4 ? ['npm test passes'] : [] } },
    },
    'verify/a1/gate': {
      at: new Date(at.getTime() + 2000).toISOString(),
      durationMs: 1000,
      result: { status: gateStatus, results: [{ passed: gateStatus === 'green' }] },
    },
  };
  const task = `${pick(['Fix', 'Add', 'Refactor', 'Speed up', 'Document'])} the ${words(4)} so that ${words(6)} (ticket SHOP-${o.index})`;
  return RunState.parse({
    version: 1,
    runId,
    task,
    requestedMode: rand() < 0.2 ? 'auto' : mode,
    mode,
    roles: {
      driver: mode === 'invert' ? 'codex' : 'claude',
      skeptic: mode === 'solo' ? null : 'codex',
      dispatcher: mode === 'invert' ? 'claude' : null,
      subtask: null,
    },
    repoRoot: o.repoRoot,
    createdAt: at.toISOString(),
    updatedAt: at.toISOString(),
    finishedAt: status === 'awaiting-decision' || status === 'paused' ? null : at.toISOString(),
    status,
    phase: 'done',
    options: { verify: [], includeUncommitted: false, apply: false },
    worktree: null,
    headSha: null,
    steps,
    plan: null,
    planConverged: true,
    findings,
    disagreements,
    cards,
    decisions,
    verify: [],
    answer: null,
    changes: [],
    unreviewed: false,
    triage: null,
    pause:
      status === 'paused' ? { agent: 'claude', until: at.toISOString(), reason: 'limit', at: at.toISOString() } : null,
    models: { claude: 'claude-sonnet-4-5', codex: 'gpt-5.5' },
    notes: [],
    usage: {},
    error: null,
    owner: null,
    ...o.over,
  });
}

/** `runs` generated records under `repo`/.duo/runs, as an older duo (or a restored backup) leaves them: no index yet. */
export function writeSyntheticRecords(repo: string, runs: number, rand = prng(7)): void {
  const runsDir = join(repo, '.duo', 'runs');
  for (let i = 0; i < runs; i++) {
    const run = syntheticRun({ index: i, repoRoot: repo, rand });
    mkdirSync(join(runsDir, run.runId), { recursive: true });
    writeFileSync(join(runsDir, run.runId, 'state.json'), `${JSON.stringify(run, null, 2)}\n`);
  }
}
