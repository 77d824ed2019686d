import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseJson, runCli } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir, treeFingerprint } from '../support/harness.js';
import { BAD_X, critique, finding, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * The fault-injection suite: each fault injected at every step boundary of a run, then resumed. A run must
 * survive, resume to the outcome an uninterrupted run reaches, and never lose a file of the user's.
 * Prints a table at the end; every row is also an assertion.
 */
type Outcome = { status: string; findings: string[]; verify: string[]; tree: string };
interface Row {
  fault: string;
  where: string;
  survived: boolean;
  equal: boolean;
  lost: number;
}
const rows: Row[] = [];

function scenario(extra: (purpose: string) => Record<string, unknown> = () => ({})) {
  const e = (purpose: string, entry: Record<string, unknown>) => ({ ...entry, ...extra(purpose) });
  return {
    agents: {
      claude: {
        plan: [e('plan', plan())],
        implement: [e('implement', work({ 'src/x.js': BAD_X, 'test/x.test.js': PASSING_TEST }))],
        diagnose: [e('diagnose', work({ 'src/x.js': GOOD_X }))],
      },
      codex: {
        critique: [e('critique', critique('approve', [finding('P1', 'minor')]))],
        review: [e('review', critique('approve')), e('review', critique('approve'))],
      },
    },
  };
}

function setup(sc: unknown) {
  const repo = makeRepo(SAMPLE);
  // The user's uncommitted work, which no fault may cost them.
  writeFileSync(join(repo, 'src', 'x.js'), 'export function x() {\n  return 1; // my local edit\n}\n');
  writeFileSync(join(repo, 'notes.txt'), 'untracked notes\n');
  const dir = tempDir('duo-fault-cfg-');
  const scenarioFile = join(dir, 'scenario.json');
  writeFileSync(scenarioFile, JSON.stringify(sc));
  const config = join(dir, 'duo.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      agents: {
        claude: { kind: 'scripted', scenario: scenarioFile },
        codex: { kind: 'scripted', scenario: scenarioFile },
      },
      // The test runner the sample's `npm test` script starts, named directly: npm's own start-up (~0.2 s of CPU
      // per gate, three gates a run) is no part of what a fault may break, and this suite runs ~50 runs.
      verify: ['node --test'],
      limits: { retryBaseMs: 1, idleTimeoutMs: 200 },
    }),
  );
  return { repo, config, before: treeFingerprint(repo), files: userFiles(repo) };
}

function userFiles(repo: string): Record<string, string> {
  return {
    'src/x.js': readFileSync(join(repo, 'src/x.js'), 'utf8'),
    'notes.txt': readFileSync(join(repo, 'notes.txt'), 'utf8'),
  };
}

function lostFiles(repo: string, files: Record<string, string>): number {
  return Object.entries(files).filter(([p, c]) => {
    try {
      return readFileSync(join(repo, p), 'utf8') !== c;
    } catch {
      return true;
    }
  }).length;
}

function outcomeOf(repo: string, json: Record<string, unknown>): Outcome {
  const findings = (json.findings as { id: string; resolution: string }[]).map((f) => `${f.id}:${f.resolution}`);
  const verify = (json.verifyAttempts as { status: string }[]).map((v) => v.status);
  const tree = execFileSync('git', ['rev-parse', `${json.branch as string}^{tree}`], { cwd: repo })
    .toString()
    .trim();
  return { status: json.status as string, findings, verify, tree };
}

function runIdOf(repo: string): string {
  const out = execFileSync('ls', [join(repo, '.duo', 'runs')])
    .toString()
    .trim()
    .split('\n');
  return out.at(-1)!;
}

// The uninterrupted run, at collection (top-level await): its step keys name one test per step boundary below.
const { baseline, stepKeys } = await (async () => {
  const { repo, config } = setup(scenario());
  const r = await runCli(['run', 'change x', '--config', config, '--yes', '--json'], { cwd: repo });
  const json = parseJson(r.stdout);
  const state = JSON.parse(readFileSync(join(repo, '.duo', 'runs', json.runId as string, 'state.json'), 'utf8'));
  const keys = Object.entries(state.steps as Record<string, { at: string }>)
    .sort((a, b) => a[1].at.localeCompare(b[1].at))
    .map(([k]) => k);
  return { baseline: outcomeOf(repo, json), stepKeys: keys };
})();

afterAll(() => {
  const table = [
    '',
    'fault                     where                   survived  resumed=uninterrupted  user files lost',
    ...rows.map(
      (r) =>
        `${r.fault.padEnd(25)} ${r.where.padEnd(23)} ${String(r.survived).padEnd(9)} ${String(r.equal).padEnd(22)} ${r.lost}`,
    ),
    '',
  ].join('\n');
  process.stdout.write(table);
});

describe('fault injection', () => {
  it('has an uninterrupted baseline that goes red then green', () => {
    expect(baseline.status).toBe('green');
    expect(baseline.verify).toEqual(['red', 'green']);
    expect(stepKeys.length).toBeGreaterThanOrEqual(8);
  });

  // Process-level faults at every step boundary: kill -9 of duo, and Ctrl-C. One test per boundary, so each has
  // the per-test time limit to itself (a whole loop in one test ran past it on a loaded machine) and a failure
  // names its step.
  for (const fault of ['kill -9 of duo', 'Ctrl-C (SIGINT)'] as const) {
    describe(`survives ${fault}`, () => {
      for (const key of stepKeys) {
        it(`after ${key}`, async () => {
          const { repo, config, before, files } = setup(scenario());
          const env: Record<string, string> =
            fault === 'kill -9 of duo' ? { DUO_FAULT_KILL_AFTER: key } : { DUO_FAULT_SIGINT_AFTER: key };
          const first = await runCli(['run', 'change x', '--config', config, '--yes', '--json'], { cwd: repo, env });
          const stopped =
            fault === 'kill -9 of duo' ? first.signal === 'SIGKILL' : first.exitCode === 130 || first.exitCode === 0;
          const runId = runIdOf(repo);
          const log = parseJson<{ runs: { runId: string; status: string }[] }>(
            (await runCli(['log', '--json'], { cwd: repo })).stdout,
          );
          const listed = log.runs.find((r) => r.runId === runId)?.status;
          const resumed = await runCli(['resume', runId, '--yes', '--json', '--config', config], { cwd: repo });
          const json = parseJson(resumed.stdout);
          const outcome = outcomeOf(repo, json);
          const row: Row = {
            fault,
            where: `after ${key}`,
            survived: stopped && listed !== 'running' && resumed.exitCode === 0,
            equal: JSON.stringify(outcome) === JSON.stringify(baseline),
            lost: lostFiles(repo, files) + (treeFingerprint(repo) === before ? 0 : 1),
          };
          rows.push(row);
          expect(row, `${fault} after ${key}: ${resumed.stderr}`).toEqual({
            ...row,
            survived: true,
            equal: true,
            lost: 0,
          });
        });
      }
    });
  }

  // Agent-level faults at every agent step: each is retried within the run, which reaches the same outcome.
  const agentSteps = ['plan', 'critique', 'implement', 'review', 'diagnose'];
  for (const [fault, failure] of [
    ['rate limit (429)', 'rate-limited'],
    ['API error (5xx)', 'api-error'],
    ['agent crash', 'crashed'],
    ['hung agent (watchdog)', 'idle'],
  ] as const) {
    it(`retries ${fault} at every agent step`, async () => {
      for (const purpose of agentSteps) {
        const { repo, config, before, files } = setup(
          scenario((p) => (p === purpose ? { fail: failure, failTimes: 1 } : {})),
        );
        const r = await runCli(['run', 'change x', '--config', config, '--yes', '--json'], { cwd: repo });
        const json = parseJson(r.stdout);
        const row: Row = {
          fault,
          where: `${purpose} call`,
          survived: r.exitCode === 0,
          equal: JSON.stringify(outcomeOf(repo, json)) === JSON.stringify(baseline),
          lost: lostFiles(repo, files) + (treeFingerprint(repo) === before ? 0 : 1),
        };
        rows.push(row);
        const events = readFileSync(join(repo, '.duo', 'runs', json.runId as string, 'events.jsonl'), 'utf8');
        expect(events).toContain(`"failure":"${failure}"`);
        expect(row, `${fault} at ${purpose}: ${r.stderr}`).toEqual({ ...row, survived: true, equal: true, lost: 0 });
      }
    });
  }

  it('a persistent agent failure fails the step with a clear next step, and resume finishes once it clears', async () => {
    const broken = scenario((p) => (p === 'implement' ? { fail: 'api-error' } : {}));
    const { repo, config, before, files } = setup(broken);
    const r = await runCli(['run', 'change x', '--config', config, '--yes', '--json'], { cwd: repo });
    const json = parseJson(r.stdout);
    expect(r.exitCode).toBe(1);
    expect(json.status).toBe('failed');
    expect((json.error as { hint: string }).hint).toMatch(/duo resume/);
    // The provider recovers: same scenario without the fault.
    const scenarioFile = JSON.parse(readFileSync(config, 'utf8')).agents.claude.scenario as string;
    writeFileSync(scenarioFile, JSON.stringify(scenario()));
    const resumed = await runCli(['resume', json.runId as string, '--yes', '--json', '--config', config], {
      cwd: repo,
    });
    const outcome = outcomeOf(repo, parseJson(resumed.stdout));
    const row = {
      fault: 'API down, then back',
      where: 'implement call',
      survived: resumed.exitCode === 0,
      equal: JSON.stringify(outcome) === JSON.stringify(baseline),
      lost: lostFiles(repo, files) + (treeFingerprint(repo) === before ? 0 : 1),
    };
    rows.push(row);
    expect(row).toEqual({ ...row, survived: true, equal: true, lost: 0 });
  });
});
