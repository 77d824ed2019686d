import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EvalDir, type EvalPlan, tasksHash, type UnitResult } from '../../../src/eval/results.js';
import { evalSummaries } from '../../../src/eval/summary.js';
import type { EvalTask } from '../../../src/eval/task.js';
import { tempDir } from '../../support/harness.js';

const TASK: EvalTask = {
  instance_id: 'lib-1',
  repo: 'lib',
  base_commit: 'abc1234',
  problem_statement: 'fix it',
  patch: '',
  test_patch: 'diff --git a/t b/t\n',
  FAIL_TO_PASS: ['t'],
  PASS_TO_PASS: [],
};

function result(mode: 'solo' | 'pair', resolved: boolean): UnitResult {
  return {
    instanceId: 'lib-1',
    mode,
    repeat: 1,
    skipped: null,
    runMode: mode,
    runId: 'r',
    status: 'green',
    graded: true,
    resolved,
    gradeError: null,
    f2p: [],
    p2p: [],
    usage: {},
    tokens: 10,
    costUsd: 0.5,
    runMs: 1,
    gradeMs: 1,
    findings: [],
    integrity: [],
    reverts: 0,
    cards: [],
    impossible: null,
  };
}

function evalFolder(repo: string, name: string, impossible: boolean): EvalDir {
  const plan: EvalPlan = {
    version: 1,
    tasksSha256: tasksHash([TASK]),
    modes: ['solo', 'pair'],
    repeat: 1,
    impossible,
    shard: null,
  };
  const dir = new EvalDir(join(repo, '.duo', 'eval', name));
  dir.write('eval.json', plan);
  dir.writeTasks([TASK]);
  dir.writeUnit('t1-solo-r1', { checkout: null, runId: 'r', runMs: 1, result: result('solo', false) });
  dir.writeUnit('t1-pair-r1', { checkout: null, runId: 'r', runMs: 1, result: result('pair', true) });
  return dir;
}

describe("the record page's evaluations", () => {
  it('are one row per eval and mode, linked to its page; the impossible variant and a damaged folder are left out', () => {
    const repo = tempDir();
    const dir = evalFolder(repo, 'tasks', false);
    writeFileSync(join(dir.dir, 'report.html'), '<!doctype html>');
    evalFolder(repo, 'tasks-impossible', true);
    mkdirSync(join(repo, '.duo', 'eval', 'broken'), { recursive: true });
    writeFileSync(join(repo, '.duo', 'eval', 'broken', 'eval.json'), '{ not json');
    const rows = evalSummaries(repo);
    expect(rows.map((r) => [r.id, r.suite, r.config, r.tasks, r.resolved, r.costUsd, r.report])).toEqual([
      ['tasks/solo', 'tasks', 'solo', 1, 0, 0.5, 'eval/tasks/report.html'],
      ['tasks/pair', 'tasks', 'pair', 1, 1, 0.5, 'eval/tasks/report.html'],
    ]);
    expect(rows[1]?.interval?.[1]).toBe(1);
    expect(evalSummaries(tempDir())).toEqual([]);
  });
});
