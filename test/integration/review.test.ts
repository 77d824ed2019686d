import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DetachedJson } from '../../src/wire/run.js';
import { parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE, treeFingerprint } from '../support/harness.js';
import { answers, critique, finding, GOOD_X, PASSING_TEST } from '../support/scenario.js';

/**
 * `duo review`: the adversarial review and the gate alone, on what the user already has. The skeptic reviews a
 * snapshot (the user's files and index are never touched), the verify gate — baseline and integrity checks
 * included, with the review's base as the base — runs on it, and the exit code is 1 while a blocker/major finding
 * stands. The same report, ledger and disagreement log as a run.
 */
interface ReviewJson {
  runId: string;
  status: string;
  mode: string;
  review: { scope: string; base: string; head: string; label: string; answer: boolean };
  findings: { id: string; severity: string; resolution: string; phase: string }[];
  verify: { command: string; exitCode: number; passed: boolean }[];
  integrity: { unaccepted: string[]; issues: { kind: string; path: string | null; acceptance: unknown }[] } | null;
  baseline: { results: { command: string; exitCode: number }[] } | null;
  reportPath: string;
  branch: string;
}

const withTest = { ...SAMPLE, 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST };
const approve = { agents: { codex: { review: [critique('approve')] } } };
const blocker = {
  agents: {
    codex: { review: [critique('revise', [finding('R1', 'blocker', 'x() returns the wrong value', 'callers break')])] },
  },
};

async function review(repo: string, scenario: unknown, ...args: string[]) {
  const r = await runCli(['review', '--json', '--config', scriptedConfig(scenario), ...args], { cwd: repo });
  return { ...r, json: r.stdout.trim().startsWith('{') ? parseJson<ReviewJson>(r.stdout) : null };
}

function stateOf(repo: string, runId: string) {
  return JSON.parse(readFileSync(join(repo, '.duo', 'runs', runId, 'state.json'), 'utf8'));
}

describe('duo review', () => {
  it('uncommitted changes (default): a standing blocker exits 1 with --json for CI; the tree, index and HEAD are untouched', async () => {
    const repo = makeRepo(withTest);
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 3;\n}\n');
    writeFileSync(join(repo, 'notes.md'), 'untracked\n');
    git(repo, 'add', 'notes.md');
    const before = treeFingerprint(repo);
    const r = await review(repo, blocker);
    expect(r.exitCode, r.stderr).toBe(1);
    const j = r.json as ReviewJson;
    expect(j).toMatchObject({ status: 'red', mode: 'review', review: { scope: 'uncommitted', answer: false } });
    expect(j.review.base).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    expect(j.findings).toEqual([expect.objectContaining({ id: 'R1', severity: 'blocker', resolution: 'open' })]);
    // The gate ran on the snapshot (x returns 3: the existing test fails) with a baseline on the base (it passed).
    expect(j.verify).toEqual([expect.objectContaining({ command: 'npm test', passed: false })]);
    expect(j.baseline?.results).toEqual([expect.objectContaining({ command: 'npm test', exitCode: 0 })]);
    expect(treeFingerprint(repo)).toBe(before);
    // The snapshot held exactly what the user has: the edit and the staged new file.
    expect(git(repo, 'show', `${j.branch}:src/x.js`)).toContain('return 3');
    expect(git(repo, 'show', `${j.branch}:notes.md`)).toBe('untracked\n');
    const report = readFileSync(j.reportPath, 'utf8');
    expect(report.split('\n')[0]).toContain('RED — the review left 1 blocker/major finding(s) standing: [R1]');
    expect(report).toContain('**Reviewed:** the uncommitted changes on main');
  });

  it('approved changes whose checks pass exit 0; a review never asks the driver anything without --answer', async () => {
    const repo = makeRepo(withTest);
    writeFileSync(join(repo, 'README.md'), '# docs\n');
    // The scenario has no driver answers at all: a call to the driver would fail the run.
    const r = await review(repo, approve);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.json).toMatchObject({ status: 'green', findings: [] });
    const state = stateOf(repo, r.json?.runId as string);
    expect(Object.keys(state.usage)).toEqual(['codex']);
  });

  it('--staged reviews the index only; --base reviews what HEAD adds over a branch, from their merge-base', async () => {
    const repo = makeRepo(withTest);
    writeFileSync(join(repo, 'staged.md'), 'staged\n');
    git(repo, 'add', 'staged.md');
    writeFileSync(join(repo, 'unstaged.md'), 'not staged\n');
    const staged = await review(repo, approve, '--staged');
    expect(staged.exitCode, staged.stderr).toBe(0);
    const files = git(repo, 'ls-tree', '-r', '--name-only', staged.json?.branch as string);
    expect(files).toContain('staged.md');
    expect(files).not.toContain('unstaged.md');
    // The user's index is exactly as it was: staged.md still staged, unstaged.md still untracked.
    expect(git(repo, 'status', '--porcelain')).toBe('A  staged.md\n?? unstaged.md\n');

    git(repo, 'checkout', '-q', '-b', 'feature');
    git(repo, 'commit', '-qm', 'staged file');
    writeFileSync(join(repo, 'src/y.js'), 'export const y = 1;\n');
    git(repo, 'add', 'src/y.js');
    git(repo, 'commit', '-qm', 'y');
    const ranged = await review(repo, approve, '--base', 'main');
    expect(ranged.exitCode, ranged.stderr).toBe(0);
    expect(ranged.json?.review).toMatchObject({ scope: 'base', base: git(repo, 'rev-parse', 'main').trim() });
    expect(ranged.json?.review.head).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    const state = stateOf(repo, ranged.json?.runId as string);
    expect(state.changes.map((c: { path: string }) => c.path).sort()).toEqual(['src/y.js', 'staged.md']);

    const bad = await review(repo, approve, '--base', 'no-such-branch');
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--base no-such-branch');
    const both = await review(repo, approve, '--staged', '--base', 'main');
    expect(both.exitCode).toBe(2);
  });

  it('nothing to review is not a run: exit 0, status nothing-to-review', async () => {
    const repo = makeRepo(withTest);
    const r = await review(repo, approve);
    expect(r.exitCode).toBe(0);
    expect(r.json).toEqual({ runId: null, status: 'nothing-to-review', scope: 'uncommitted' });
    expect((await runCli(['log', '--json'], { cwd: repo })).stdout).toContain('"runs": []');
  });

  it("an existing test weakened in the user's changes is flagged by the gate; told to the skeptic, it is accepted only if it approves", async () => {
    const repo = makeRepo(withTest);
    // The change breaks x and "fixes" its test to match.
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 3;\n}\n');
    writeFileSync(join(repo, 'test/x.test.js'), PASSING_TEST.replace('x(), 2', 'x(), 3'));
    const held = await review(repo, {
      agents: {
        codex: { review: [critique('revise', [finding('R1', 'blocker', 'the test was edited to match a bug')])] },
      },
    });
    expect(held.exitCode).toBe(1);
    const j = held.json as ReviewJson;
    // duo re-ran the original test on the new code: it fails, and that is duo's own blocker, not accepted.
    expect(j.integrity?.unaccepted).toContain('original-fails:npm test');
    expect(j.findings.map((f) => f.phase)).toEqual(['review', 'integrity']);
    // The skeptic was shown which protected file the diff changes.
    expect(stateOf(repo, j.runId).steps['review/protected'].result).toEqual(['test/x.test.js']);

    // The same diff, and the skeptic approves it (a real behaviour change): accepted by the skeptic, green.
    const ok = await review(repo, approve);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const issue = ok.json?.integrity?.issues.find((i) => i.path === 'test/x.test.js');
    expect(issue?.acceptance).toMatchObject({ by: 'skeptic' });
  });

  it('--answer: the driver fixes on the run branch, the skeptic re-checks, and duo apply brings only the fix', async () => {
    const repo = makeRepo(withTest);
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 3;\n}\n');
    writeFileSync(join(repo, 'src/other.js'), 'export const other = 1;\n');
    const scenario = {
      agents: {
        codex: {
          review: [critique('revise', [finding('R1', 'major', 'x() must return 2')])],
          recheck: [critique('approve', [], [{ findingId: 'R1', status: 'resolved', note: 'fixed' }])],
        },
        claude: {
          'answer-findings': [answers([{ findingId: 'R1', action: 'fix', note: 'return 2' }], { 'src/x.js': GOOD_X })],
        },
      },
    };
    const r = await review(repo, scenario, '--answer');
    expect(r.exitCode, r.stderr).toBe(0);
    const j = r.json as ReviewJson;
    expect(j.findings).toEqual([expect.objectContaining({ id: 'R1', resolution: 'fixed' })]);
    // Untouched until applied; then only the driver's fix comes in, on top of the user's own changes.
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toContain('return 3');
    const applied = await runCli(['apply', j.runId], { cwd: repo });
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('src/x.js');
    expect(applied.stdout).not.toContain('src/other.js');
    expect(readFileSync(join(repo, 'src/x.js'), 'utf8')).toBe(GOOD_X);
    expect(readFileSync(join(repo, 'src/other.js'), 'utf8')).toBe('export const other = 1;\n');
  });

  it('--detach: the review runs in the background like a run, and wait gives its exit code', async () => {
    const repo = makeRepo(withTest);
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 3;\n}\n');
    const r = await runCli(['review', '--detach', '--json', '--config', scriptedConfig(blocker)], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    const d = parseWire(DetachedJson, r.stdout);
    expect(d.status).toBe('running');
    const w = await runCli(['wait', d.runId], { cwd: repo });
    expect(w.exitCode).toBe(1);
    expect(w.stdout).toContain('[R1] blocker · open — x() returns the wrong value');
  });
});
