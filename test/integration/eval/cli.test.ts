import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseTasks } from '../../../src/eval/task.js';
import { EvalMineJson, EvalReportJson, EvalRunJson } from '../../../src/wire/eval.js';
import { DUO_BIN, parseWire, runCli } from '../../support/cli.js';
import { scenarioFor, scriptedEvalConfig } from '../../support/eval-agents.js';
import { CLAMP_V2, type EvalHistory, makeEvalHistory, SLUG_V1 } from '../../support/eval-history.js';
import { tempDir } from '../../support/harness.js';

/** `duo eval mine | run | report | merge` as a user runs them: the built CLI, scripted agents from a config file. */
let h: EvalHistory;
let tasksFile: string;
let twoTasks: string;
let config: string;
const env = () => ({ DUO_HOME: tempDir('duo-eval-home-') });

beforeAll(async () => {
  h = makeEvalHistory();
  const mined = await runCli(['eval', 'mine'], { cwd: h.repo, env: env() });
  expect(mined.exitCode, mined.stderr).toBe(0);
  expect(mined.stderr).toMatch(
    /examined 8 commit\(s\): 4 task\(s\), 1 skipped; 3 not candidates \(1 changes only tests, 1 changes no tests, 1 the first commit: no base to start from\); measuring took [\d.]+ s a candidate \(median\)/,
  );
  expect(mined.stderr).toMatch(/skipped {2}\w+ Simplify slugify; test tabs — its tests already pass at the base/);
  tasksFile = join(h.repo, '.duo', 'eval', 'tasks.jsonl');
  const tasks = parseTasks(readFileSync(tasksFile, 'utf8'));
  expect(tasks).toHaveLength(4);
  const lower = tasks.find((t) => t.base_commit === h.sha.start)!;
  const reversed = tasks.find((t) => t.instance_id.endsWith(h.sha.clampReversed.slice(0, 12)))!;
  twoTasks = join(tempDir('duo-eval-tasks-'), 'two.jsonl');
  writeFileSync(twoTasks, `${[lower, reversed].map((t) => JSON.stringify(t)).join('\n')}\n`);
  config = scriptedEvalConfig({
    [lower.instance_id]: scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': SLUG_V1 } }),
    [reversed.instance_id]: scenarioFor({ file: 'src/clamp.js', writes: { 'src/clamp.js': CLAMP_V2 } }),
  }).file;
}, 120_000);

describe('duo eval run and report', () => {
  it('prints the plan, runs, prints the report; run again, it resumes with nothing left to do', async () => {
    const home = env();
    const out = join(tempDir(), 'results');
    const args = ['eval', 'run', twoTasks, '--modes', 'solo', '--yes', '--config', config, '--out', out];
    const first = await runCli([...args, '--json'], { cwd: h.repo, env: home });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).toContain('plan: 2 task(s) × 1 mode(s) (solo) × 1 repeat(s) = 2 run(s)');
    expect(first.stderr).toContain('estimate: no runs in your usage ledger yet');
    expect(first.stderr).toMatch(/\[2\/2\] .* solo: resolved \(duo green\)/);
    const json = parseWire(EvalRunJson, first.stdout);
    expect(json).toMatchObject({ stop: 'done', done: 2 });
    expect(json.report.perMode[0]?.resolved).toBe(2);

    const again = await runCli(args, { cwd: h.repo, env: home });
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain('2 already done, resuming');
    expect(again.stderr).not.toContain('start ');
    expect(again.stdout).toContain('| solo | 2/2 (100%) |');

    const html = join(tempDir(), 'eval.html');
    const report = await runCli(['eval', 'report', out, '--html', html], { cwd: h.repo, env: home });
    expect(report.exitCode).toBe(0);
    expect(report.stdout).toContain('## Verdict');
    expect(readFileSync(html, 'utf8')).toContain('<section id="eval-report"');
  });

  it('estimates the cost of the next eval from the runs in the usage ledger', async () => {
    const home = env();
    const base = ['eval', 'run', twoTasks, '--modes', 'solo', '--yes', '--config', config];
    await runCli([...base, '--shard', '1/2', '--out', join(tempDir(), 'a')], { cwd: h.repo, env: home });
    const next = await runCli([...base, '--shard', '2/2', '--out', join(tempDir(), 'b')], { cwd: h.repo, env: home });
    // One solo run is in the ledger now: two calls of 1,100 tokens and $0.01 each.
    expect(next.stderr).toContain('estimate from your last runs (solo: median of 1): ~2.2k tokens, ~$0.020');
  });

  it('runs shards into their own folders and merges them into one report', async () => {
    const home = env();
    const base = ['eval', 'run', twoTasks, '--modes', 'solo', '--yes', '--config', config];
    const a = join(tempDir(), 'a');
    const b = join(tempDir(), 'b');
    const one = await runCli([...base, '--shard', '1/2', '--out', a, '--json'], { cwd: h.repo, env: home });
    const two = await runCli([...base, '--shard', '2/2', '--out', b], { cwd: h.repo, env: home });
    expect([one.exitCode, two.exitCode]).toEqual([0, 0]);
    expect(parseWire(EvalRunJson, one.stdout).report.verdict[0]).toMatch(/^Incomplete: 1 of 2/);
    const merged = join(tempDir(), 'merged');
    const r = await runCli(['eval', 'merge', a, b, '-o', merged, '--json'], { cwd: h.repo, env: home });
    expect(r.exitCode, r.stderr).toBe(0);
    const report = parseWire(EvalReportJson, r.stdout).report;
    expect(report.units).toEqual({ planned: 2, done: 2, missing: 0 });
    expect(report.perMode[0]?.resolved).toBe(2);
    expect(existsSync(join(merged, 'units', 't1-solo-r1', 'unit.json'))).toBe(true);
  });
});

describe('duo eval mine --json', () => {
  it('says where the tasks went and what each examined commit came to, in its declared shape', async () => {
    const out = join(tempDir(), 'tasks.jsonl');
    const r = await runCli(['eval', 'mine', '--limit', '2', '-o', out, '--json'], { cwd: h.repo, env: env() });
    expect(r.exitCode, r.stderr).toBe(0);
    const json = parseWire(EvalMineJson, r.stdout);
    expect(json).toMatchObject({ output: out, tasks: 2, interrupted: false });
    expect(json.summary).toMatch(new RegExp(`^examined ${json.commits.length} commit\\(s\\): 2 task\\(s\\)`));
    expect(json.tasks).toBe(parseTasks(readFileSync(out, 'utf8')).length);
    expect(json.tasks).toBe(json.commits.filter((c) => c.outcome === 'task').length);
  });
});

describe('the record page', () => {
  it("shows each eval's resolved share per mode, linked to the eval's own page", async () => {
    const home = env();
    const r = await runCli(['eval', 'run', twoTasks, '--modes', 'solo', '--yes', '--config', config], {
      cwd: h.repo,
      env: home,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const page = join(h.repo, '.duo', 'eval', 'two', 'report.html');
    expect(readFileSync(page, 'utf8')).toContain('<section id="eval-report"');
    const log = await runCli(['log', '--html'], { cwd: h.repo, env: home });
    expect(log.exitCode, log.stderr).toBe(0);
    const record = readFileSync(join(h.repo, '.duo', 'index.html'), 'utf8');
    const row =
      /<tr><td>[^<]*<\/td><td>two<\/td><td>solo<\/td><td>2<\/td><td>2 · 100% \(34%–100%\)<\/td>.*?<\/tr>/.exec(record);
    expect(row?.[0]).toContain('href="eval/two/report.html"');
  });
});

describe('a crash', () => {
  it('kill -9 in the middle of a run: the same command resumes that run in its sealed checkout', async () => {
    const lower = parseTasks(readFileSync(twoTasks, 'utf8'))[0]!;
    const scenario = scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': SLUG_V1 } });
    (scenario.agents.claude.implement[0] as { delayMs?: number }).delayMs = 60_000;
    const slow = scriptedEvalConfig({ [lower.instance_id]: scenario });
    const one = join(tempDir(), 'one.jsonl');
    writeFileSync(one, `${JSON.stringify(lower)}\n`);
    const out = join(tempDir(), 'results');
    const home = env();
    const args = [DUO_BIN, 'eval', 'run', one, '--modes', 'solo', '--yes', '--out', out];
    const child = execa('node', [...args, '--config', slow.file], { cwd: h.repo, env: home, reject: false });
    const unit = join(out, 'units', 't1-solo-r1', 'unit.json');
    // Wait until the run is well under way: its plan is journaled and the driver is implementing.
    let runDir = '';
    for (let i = 0; i < 600 && !runDir; i++) {
      await new Promise((r) => setTimeout(r, 100));
      if (!existsSync(unit)) continue;
      const j = JSON.parse(readFileSync(unit, 'utf8'));
      const state = j.runId ? join(j.checkout, '.duo', 'runs', j.runId, 'state.json') : '';
      if (state && existsSync(state) && JSON.parse(readFileSync(state, 'utf8')).steps['plan/commit']) runDir = j.runId;
    }
    expect(runDir).not.toBe('');
    child.kill('SIGKILL');
    await child;

    // The same command (now with agents that answer at once) picks the run up where it was.
    const fast = scriptedEvalConfig({
      [lower.instance_id]: scenarioFor({ file: 'src/slug.js', writes: { 'src/slug.js': SLUG_V1 } }),
    });
    const r = await runCli([...args.slice(1), '--config', fast.file], { cwd: h.repo, env: home });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = JSON.parse(readFileSync(unit, 'utf8'));
    expect(j.runId).toBe(runDir);
    expect(j.result).toMatchObject({ status: 'green', resolved: true });
  }, 120_000);
});

describe('bad input', () => {
  it('is a clear error (exit 2) that says what to do, and runs nothing', async () => {
    const cases: [string[], RegExp][] = [
      [['eval', 'run', 'missing.jsonl', '--yes'], /cannot read the task file/],
      [['eval', 'run', twoTasks, '--modes', 'solo,bogus', '--yes'], /--modes takes a comma list/],
      [['eval', 'run', twoTasks, '--shard', '3/2', '--yes'], /--shard takes i\/n/],
      [['eval', 'run', twoTasks, '--budget', 'lots', '--yes'], /--budget takes an amount/],
      [['eval', 'mine', '--limit', '0'], /--limit takes a whole number/],
      [['eval', 'report', tempDir()], /not an eval folder/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, { cwd: h.repo, env: env() });
      expect(r.exitCode, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(message);
    }
    const out = join(tempDir(), 'results');
    const home = env();
    await runCli(
      ['eval', 'run', twoTasks, '--modes', 'solo', '--yes', '--config', config, '--out', out, '--shard', '1/2'],
      {
        cwd: h.repo,
        env: home,
      },
    );
    const other = await runCli(['eval', 'run', twoTasks, '--modes', 'pair', '--yes', '--out', out], {
      cwd: h.repo,
      env: home,
    });
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(/holds another eval/);
  });
});
