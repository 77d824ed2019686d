import { emptyProjections } from '../../src/protocol/new-run.js';
import type { Finding } from '../../src/protocol/schemas.js';
import type { LedgerEntry, RunState, VerifyRecord } from '../../src/protocol/types.js';

/**
 * Hand-built run records for unit tests of the code that reads them (ledger, cards, report): plain objects, no
 * engine, no git. Every field has the value a fresh run starts with unless the test says otherwise.
 */
export function runState(over: Partial<RunState> = {}): RunState {
  return {
    version: 1,
    runId: 'run-1',
    task: 'make x return 2',
    requestedMode: 'pair',
    mode: 'pair',
    roles: { driver: 'claude', skeptic: 'codex', dispatcher: null, subtask: null },
    repoRoot: '/repo',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    finishedAt: null,
    status: 'running',
    phase: 'plan',
    options: { verify: ['npm test'], includeUncommitted: false, apply: false },
    triage: null,
    config: null,
    ...emptyProjections(),
    ...over,
  };
}

export const WORKTREE: NonNullable<RunState['worktree']> = {
  runId: 'run-1',
  path: '/home/u/.cache/duo/worktrees/run-1',
  branch: 'duo/run-1',
  baseSha: '0123456789abcdef0123456789abcdef01234567',
  includesUncommitted: false,
};

export function finding(id: string, over: Partial<Finding> = {}): Finding {
  return {
    id,
    severity: 'major',
    file: 'src/x.js',
    line: 3,
    claim: `claim ${id}`,
    evidence: `evidence ${id}`,
    stakes: null,
    confidence: null,
    ...over,
  };
}

export function entry(id: string, over: Partial<LedgerEntry> = {}, f: Partial<Finding> = {}): LedgerEntry {
  return {
    id,
    phase: 'plan',
    round: 1,
    finding: finding(id, f),
    resolution: 'open',
    answer: null,
    recheck: null,
    fixCommit: null,
    decision: null,
    history: [{ at: 't0', round: 1, event: 'raised', note: `claim ${id}` }],
    ...over,
  };
}

type Result = VerifyRecord['results'][number];

export function result(over: Partial<Result> = {}): Result {
  return {
    command: 'npm test',
    kind: 'test',
    exitCode: 0,
    durationMs: 1500,
    output: 'ok\n',
    outputPath: '/record/verify-1-0.log',
    outputBytes: 3,
    truncated: false,
    timedOut: false,
    noTestsRan: false,
    passed: true,
    ...over,
  };
}

export function verify(over: Partial<VerifyRecord> = {}): VerifyRecord {
  return { attempt: 1, status: 'green', results: [result()], ...over };
}
