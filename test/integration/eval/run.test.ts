import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Agent } from '../../../src/agents/port.js';
import { agentRegistry } from '../../../src/agents/registry.js';
import { enginePortsFor } from '../../../src/cli/setup.js';
import { Config } from '../../../src/config/schema.js';
import { mineTasks } from '../../../src/eval/mine.js';
import type { EvalTask } from '../../../src/eval/task.js';
import { createGate } from '../../../src/gate/index.js';
import { acquireRunLock } from '../../../src/record/lock.js';
import { scenarioFor, scriptedEvalConfig } from '../../support/eval-agents.js';
import { type EvalHistory, makeEvalHistory, SLUG_V0, SLUG_V1 } from '../../support/eval-history.js';
import { asTask, runEvalOn } from '../../support/eval-run.js';
import { tempDir } from '../../support/harness.js';

/**
 * `duo eval run` on scripted agents over a history the test made: each task × mode runs as a normal duo run in a
 * sealed checkout, and the hidden tests grade what it left — whatever the driver claimed and whatever duo's gate said.
 */
let h: EvalHistory;
let lowercase: EvalTask;
beforeAll(async () => {
  h = makeEvalHistory();
  const mined = await mineTasks({ repoRoot: h.repo, gate: createGate(), config: Config.parse({}), limit: 4 });
  lowercase = mined.tasks.find((t) => t.base_commit === h.sha.start)!;
}, 120_000);

/** Looks right and passes the visible test, but does not lowercase. */
const NO_OP = `// slugs\n${SLUG_V0}`;
const THROWS = "export function slugify(s) {\n  throw new Error('not yet');\n}\n";

describe('grading', () => {
  it('is right for a correct, a wrong and a lying driver; a run duo kept red is never a false green', async () => {
    const tasks = ['correct', 'wrong', 'lying'].map((id) => asTask(lowercase, id));
    const { config } = scriptedEvalConfig({
      correct: scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': SLUG_V1 } }),
      wrong: scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': NO_OP } }),
      lying: scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': THROWS }, claims: ['All tests pass.'] }),
    });
    const { outcome, results, report } = await runEvalOn(h.repo, tasks, config, { parallel: 3 });
    expect(outcome).toMatchObject({ stop: 'done', done: 3, total: 3 });
    const by = (id: string) => results.find((r) => r.instanceId === id)!;

    expect(by('correct')).toMatchObject({ status: 'green', graded: true, resolved: true });
    expect(by('correct').f2p).toEqual([{ id: 'lowercases', passed: true }]);
    expect(by('correct').p2p).toEqual([{ id: 'joins words with dashes', passed: true }]);

    // The visible test passes, so duo's gate is green; the hidden test is not: a false green, counted as one.
    expect(by('wrong')).toMatchObject({ status: 'green', graded: true, resolved: false });
    expect(by('wrong').f2p).toEqual([{ id: 'lowercases', passed: false }]);

    // It claimed the tests pass; duo ran them, the gate was red: unresolved, and no false green.
    expect(by('lying')).toMatchObject({ status: 'red', graded: true, resolved: false });
    expect(by('lying').p2p).toEqual([{ id: 'joins words with dashes', passed: false }]);

    const solo = report.perMode[0]!;
    expect(solo).toMatchObject({ runs: 3, resolved: 1, falseGreens: 1, missedGreens: 0 });
    expect(solo.verdicts).toMatchObject({ green: 2, red: 1 });
    expect(solo.falseGreenRate).toBe(0.5);
    expect(report.verdict.join('\n')).toMatch(/1 of duo's 2 green runs failed the hidden tests/);
  });
});

describe('pair against solo on the same task', () => {
  it("grades both, confirms the skeptic's catch with the hidden tests, and keeps the record of each run", async () => {
    const { config } = scriptedEvalConfig({
      [lowercase.instance_id]: scenarioFor({
        file: 'src/slug.js',
        writes: { 'src/slug.js': NO_OP },
        review: {
          claim: 'slugify does not lowercase: "Hello World" stays capitalised',
          fix: { 'src/slug.js': SLUG_V1 },
        },
      }),
    });
    const { results, report, dir } = await runEvalOn(h.repo, [lowercase], config, {
      modes: ['solo', 'pair'],
      keepCheckouts: true,
    });
    const solo = results.find((r) => r.mode === 'solo')!;
    const pair = results.find((r) => r.mode === 'pair')!;
    expect(solo).toMatchObject({ status: 'green', resolved: false });
    expect(pair).toMatchObject({ status: 'green', resolved: true, runMode: 'pair' });
    expect(pair.findings).toEqual([
      expect.objectContaining({ id: 'R1', by: 'skeptic', resolution: 'fixed', confirmed: true }),
    ]);
    expect(Object.keys(pair.usage).sort()).toEqual(['claude', 'codex']);
    expect(pair.tokens).toBeGreaterThan(solo.tokens);

    expect(report.comparisons).toEqual([
      expect.objectContaining({ a: 'solo', b: 'pair', pairs: 1, onlyA: 0, onlyB: 1, both: 0, neither: 0, p: 1 }),
    ]);
    expect(report.perMode[1]?.findings).toEqual({ skeptic: 1, fixed: 1, confirmed: 1 });
    expect(report.verdict.join('\n')).toContain('On this one task pair resolved 1 more than solo (p = 1)');

    // Each run's report and change are kept beside its result.
    const unit = join(dir.dir, 'units', 't1-pair-r1');
    expect(readFileSync(join(unit, 'run', 'report.md'), 'utf8')).toContain('R1');
    expect(readFileSync(join(unit, 'patch.diff'), 'utf8')).toContain('toLowerCase');

    // From inside the run's own worktree the fix is as unreachable as from the checkout.
    const j = dir.unit('t1-pair-r1')!;
    const state = JSON.parse(readFileSync(join(j.checkout!, '.duo', 'runs', j.runId!, 'state.json'), 'utf8'));
    expect(existsSync(state.worktree.path)).toBe(true);
    const log = execFileSync('git', ['log', '--all', '--format=%H %s'], { cwd: state.worktree.path, encoding: 'utf8' });
    expect(log).not.toContain(h.sha.lowercase);
    expect(log).not.toContain('Lowercase slugs');
  });
});

describe('resuming', () => {
  it('continues an interrupted run where it stopped, in the same sealed checkout and run', async () => {
    const scenario = scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': SLUG_V1 } });
    (scenario.agents.claude.implement[0] as { delayMs?: number }).delayMs = 3000;
    const { config } = scriptedEvalConfig({ [lowercase.instance_id]: scenario });
    const controller = new AbortController();
    const first = await runEvalOn(h.repo, [lowercase], config, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'unit-start') setTimeout(() => controller.abort(), 1500);
      },
    });
    expect(first.outcome).toMatchObject({ stop: 'interrupted', done: 0 });
    const stopped = first.dir.unit('t1-solo-r1')!;
    expect(stopped.result).toBeNull();
    expect(stopped.runId).toBeTruthy();
    const planned = JSON.parse(
      readFileSync(join(stopped.checkout!, '.duo', 'runs', stopped.runId!, 'state.json'), 'utf8'),
    );
    expect(planned.status).toBe('interrupted');
    expect(Object.keys(planned.steps)).toContain('plan/r1/draft');

    const second = await runEvalOn(h.repo, [lowercase], config, { dir: first.dir.dir });
    expect(second.outcome).toMatchObject({ stop: 'done', done: 1 });
    const done = second.dir.unit('t1-solo-r1')!;
    expect(done.runId).toBe(stopped.runId);
    expect(done.result).toMatchObject({ status: 'green', resolved: true });
    // The plan was not asked for again: the resumed run replayed it from its journal.
    const record = readFileSync(join(second.dir.dir, 'units', 't1-solo-r1', 'run', 'state.json'), 'utf8');
    expect(JSON.parse(record).steps['plan/r1/draft'].at).toBe(planned.steps['plan/r1/draft'].at);
  });
});

describe('a plan limit', () => {
  it('pauses the eval with the reset time; run again after it, the same run goes on', async () => {
    const resetAt = new Date(Date.now() + 60 * 60_000).toISOString();
    const scenario = scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': SLUG_V1 } });
    Object.assign(scenario.agents.claude.implement[0]!, { fail: 'rate-limited', failTimes: 1, resetAt });
    const { config } = scriptedEvalConfig({ [lowercase.instance_id]: scenario });
    // The agents outlive one eval process here, as the real ones' limits outlive duo: the reset is theirs.
    const agents = new Map<string, (name: string) => Agent>();
    const engine = (root: string, c: Config) => {
      const key = JSON.stringify(c.agents);
      if (!agents.has(key)) agents.set(key, agentRegistry(c));
      return { ...enginePortsFor(root, c), agent: agents.get(key)! };
    };
    const first = await runEvalOn(h.repo, [lowercase], config, { modes: ['solo', 'pair'], engine });
    expect(first.outcome).toMatchObject({ stop: 'paused', done: 0, pause: { agent: 'claude', until: resetAt } });
    const stopped = first.dir.unit('t1-solo-r1')!;
    expect(stopped.result).toBeNull();
    // The eval stopped there: the next unit did not start.
    expect(first.dir.unit('t1-pair-r1')).toBeNull();

    const again = await runEvalOn(h.repo, [lowercase], config, { modes: ['solo', 'pair'], engine, dir: first.dir.dir });
    expect(again.outcome).toMatchObject({ stop: 'done', done: 2 });
    expect(again.dir.unit('t1-solo-r1')).toMatchObject({ runId: stopped.runId, result: { resolved: true } });
  });
});

describe('one eval folder', () => {
  it('is run by one process at a time', async () => {
    const { config } = scriptedEvalConfig({});
    const dir = tempDir('duo-eval-locked-');
    const release = acquireRunLock(dir);
    try {
      await expect(runEvalOn(h.repo, [lowercase], config, { dir })).rejects.toThrow(
        /is running in another process: it is in use by process \d+ .*running the same command again continues/,
      );
    } finally {
      release();
    }
  });
});

describe('--budget', () => {
  it('stops a run at what is left of the budget, and a higher budget continues it', async () => {
    const { config } = scriptedEvalConfig({
      [lowercase.instance_id]: scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': SLUG_V1 } }),
    });
    // Every scripted call costs $0.01: the run passes $0.005 after its first call and stops before the next step.
    const first = await runEvalOn(h.repo, [lowercase], config, { modes: ['solo', 'pair'], budgetUsd: 0.005 });
    expect(first.outcome).toMatchObject({ stop: 'budget', done: 0 });
    expect(first.events.some((e) => e.type === 'unit-stopped' && e.why === 'budget')).toBe(true);
    const j = first.dir.unit('t1-solo-r1')!;
    expect(j.result).toBeNull();

    // With room for one run: the first finishes, the second does not start.
    const second = await runEvalOn(h.repo, [lowercase], config, {
      modes: ['solo', 'pair'],
      budgetUsd: 0.02,
      dir: first.dir.dir,
    });
    expect(second.outcome).toMatchObject({ stop: 'budget', done: 1 });
    expect(second.dir.unit('t1-solo-r1')).toMatchObject({ runId: j.runId, result: { resolved: true } });
    expect(second.dir.unit('t1-pair-r1')).toBeNull();
    expect(second.report.verdict[0]).toMatch(/Incomplete: 1 of 2 runs are missing/);
  });
});
