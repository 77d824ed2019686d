import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Config } from '../../src/config/schema.js';
import { tempDir } from './harness.js';

/**
 * Scripted agents for eval runs: one scenario per task (the eval fills `{instance_id}` into a scripted agent's
 * scenario path), built from what the driver writes at each step. Every call reports a fixed usage, so the
 * figures of two evals of the same tasks are the same.
 */
const USAGE = { inputTokens: 1000, outputTokens: 100, cachedInputTokens: 0, costUsd: 0.01 };

export const plan = (summary: string, file: string) => ({
  summary,
  files: [{ path: file, change: summary }],
  approach: summary,
  tests: [],
  testChanges: [],
  risks: [],
  rollback: null,
  subtasks: [],
  answers: [],
});

const work = (summary: string, files: string[], claims: string[] = []) => ({
  summary,
  filesChanged: files,
  claims,
  contradiction: null,
});
const approve = { verdict: 'approve', summary: 'fine', findings: [], rechecks: [] };

export interface DriverScript {
  file: string;
  /** What the driver writes when it implements. */
  writes: Record<string, string>;
  claims?: string[];
  /** In pair mode: the skeptic's review finding, and what the driver writes to fix it. */
  review?: { claim: string; fix: Record<string, string> };
  /** The driver's answer to a red gate (diagnose), if it gets one. */
  diagnose?: Record<string, string>;
  /** The driver says the task contradicts these tests (a contradiction card). */
  contradiction?: string[];
}

/** A scenario for solo and pair (claude drives, codex is the skeptic). */
export function scenarioFor(d: DriverScript) {
  const entry = (answer: unknown, writes?: Record<string, string>) => ({
    answer,
    usage: USAGE,
    ...(writes ? { writes } : {}),
  });
  const finding = d.review && {
    id: 'R1',
    severity: 'major',
    file: d.file,
    line: 1,
    claim: d.review.claim,
    evidence: 'read the code',
    stakes: 'wrong output',
    confidence: 0.9,
  };
  const implemented = {
    ...work('implemented', Object.keys(d.writes), d.claims ?? []),
    ...(d.contradiction ? { contradiction: { tests: d.contradiction, reason: 'the tests contradict the task' } } : {}),
  };
  return {
    agents: {
      claude: {
        plan: [entry(plan('change the code', d.file))],
        implement: [entry(implemented, d.writes)],
        'answer-findings': [
          entry({ summary: 'fixed', answers: [{ findingId: 'R1', action: 'fix', note: 'done' }] }, d.review?.fix ?? {}),
        ],
        diagnose: [entry(work('diagnosed', Object.keys(d.diagnose ?? {})), d.diagnose ?? {})],
        'resolve-contradiction': [entry(work('kept the tests', []))],
      },
      codex: {
        critique: [entry(approve)],
        review: [
          entry(finding ? { verdict: 'revise', summary: 'a problem', findings: [finding], rechecks: [] } : approve),
        ],
        recheck: [entry({ ...approve, rechecks: [{ findingId: 'R1', status: 'resolved', note: 'fixed' }] })],
      },
    },
  };
}

/** A config whose scripted agents answer from `<dir>/<instance_id>.json`, and the folder to write them in. */
export function scriptedEvalConfig(
  scenarios: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): { config: Config; file: string; dir: string } {
  const dir = tempDir('duo-eval-agents-');
  for (const [id, scenario] of Object.entries(scenarios))
    writeFileSync(join(dir, `${id}.json`), JSON.stringify(scenario));
  mkdirSync(dir, { recursive: true });
  const raw = {
    agents: {
      claude: { kind: 'scripted', scenario: join(dir, '{instance_id}.json') },
      codex: { kind: 'scripted', scenario: join(dir, '{instance_id}.json') },
    },
    limits: { retryBaseMs: 1, verifyRounds: 1 },
    ...extra,
  };
  const file = join(dir, 'duo.config.json');
  writeFileSync(file, JSON.stringify(raw));
  return { config: Config.parse(raw), file, dir };
}
