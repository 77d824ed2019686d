import { beforeAll, describe, expect, it } from 'vitest';
import { Config } from '../../../src/config/schema.js';
import { mergeEvals, reportOf } from '../../../src/eval/merge.js';
import { mineTasks } from '../../../src/eval/mine.js';
import type { EvalReport } from '../../../src/eval/report.js';
import type { EvalTask } from '../../../src/eval/task.js';
import { createGate } from '../../../src/gate/index.js';
import { scenarioFor, scriptedEvalConfig } from '../../support/eval-agents.js';
import { CLAMP_V2, makeEvalHistory, SLUG_V1 } from '../../support/eval-history.js';
import { runEvalOn } from '../../support/eval-run.js';
import { tempDir } from '../../support/harness.js';

/**
 * `--shard i/n` runs a slice of the tasks; `duo eval merge` puts the slices together into the report an unsharded
 * run gives. Two runs never take the same time, so the measured times are the one thing set aside in the comparison.
 */
let repo: string;
let tasks: EvalTask[];
beforeAll(async () => {
  const h = makeEvalHistory();
  repo = h.repo;
  const mined = await mineTasks({ repoRoot: repo, gate: createGate(), config: Config.parse({}) });
  tasks = [h.sha.lowercase, h.sha.clampReversed].map(
    (sha) => mined.tasks.find((t) => t.instance_id.endsWith(sha.slice(0, 12)))!,
  );
}, 120_000);

/** The report without the wall times (medians of measured durations), which differ between any two runs. */
function withoutTimes(report: EvalReport): unknown {
  return { ...report, perMode: report.perMode.map(({ wallMs: _, ...m }) => m) };
}

describe('shards', () => {
  it('merge into the same report as the unsharded run', async () => {
    const { config } = scriptedEvalConfig({
      [tasks[0]!.instance_id]: scenarioFor({
        file: 'src/slug.js',
        writes: { 'src/slug.js': `// slugs\n${SLUG_V1.replace('.toLowerCase()', '')}` },
        review: { claim: 'does not lowercase', fix: { 'src/slug.js': SLUG_V1 } },
      }),
      [tasks[1]!.instance_id]: scenarioFor({ file: 'src/clamp.js', writes: { 'src/clamp.js': CLAMP_V2 } }),
    });
    const opts = { modes: ['solo', 'pair'] as ('solo' | 'pair')[], parallel: 2 };
    const whole = await runEvalOn(repo, tasks, config, opts);
    const one = await runEvalOn(repo, tasks, config, { ...opts, shard: { index: 1, count: 2 } });
    const two = await runEvalOn(repo, tasks, config, { ...opts, shard: { index: 2, count: 2 } });
    expect(whole.outcome).toMatchObject({ stop: 'done', done: 4, total: 4 });
    // Each shard runs its own tasks, every mode of them; together they cover the plan once.
    expect(one.results.map((r) => r.instanceId)).toEqual([tasks[0]!.instance_id, tasks[0]!.instance_id]);
    expect(two.results.map((r) => r.instanceId)).toEqual([tasks[1]!.instance_id, tasks[1]!.instance_id]);
    expect(one.report.units).toEqual({ planned: 4, done: 2, missing: 2 });

    const merged = mergeEvals([one.dir.dir, two.dir.dir], tempDir('duo-eval-merged-'));
    const report = reportOf(merged.dir, merged.plan);
    expect(report.units).toEqual({ planned: 4, done: 4, missing: 0 });
    expect(withoutTimes(report)).toEqual(withoutTimes(whole.report));
    // The comparison is not vacuous: the runs differ by mode and were graded.
    expect(report.comparisons[0]).toMatchObject({ pairs: 2, onlyB: 1, both: 1 });
  });

  it('refuses folders of different evals, or a slice run twice', async () => {
    const { config } = scriptedEvalConfig({
      [tasks[1]!.instance_id]: scenarioFor({ file: 'src/clamp.js', writes: { 'src/clamp.js': CLAMP_V2 } }),
    });
    const a = await runEvalOn(repo, tasks, config, { shard: { index: 2, count: 2 } });
    const b = await runEvalOn(repo, tasks, config, { shard: { index: 2, count: 2 } });
    expect(() => mergeEvals([a.dir.dir, b.dir.dir], tempDir())).toThrow(/was run by two shards/);
    const other = await runEvalOn(repo, tasks.slice(1), config);
    expect(() => mergeEvals([a.dir.dir, other.dir.dir], tempDir())).toThrow(/not a shard of the same eval/);
  });
});
