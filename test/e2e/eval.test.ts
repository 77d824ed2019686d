import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { parseTasks } from '../../src/eval/task.js';
import type { Simulator } from '../sim/server.js';
import { parseJson, runCli } from '../support/cli.js';
import { type EvalHistory, makeEvalHistory, SLUG_V1 } from '../support/eval-history.js';
import { tempDir } from '../support/harness.js';
import { realAgents, realAgentsConfig, requestText, simulator } from '../support/sim-agents.js';
import { approve } from '../support/sum-task.js';

/**
 * `duo eval` with the real pinned `claude` and `codex` against the model simulator: a task mined from a history the
 * test made runs as a pair in its sealed checkout — Claude writes the fix with its own Write tool, Codex critiques
 * and reviews — and the hidden test grades it. Nothing the agents were sent holds the hidden test or the fix commit.
 */
let sim: Simulator;
let h: EvalHistory;
let tasksFile: string;
beforeAll(async () => {
  realAgents();
  h = makeEvalHistory();
  const all = join(tempDir(), 'all.jsonl');
  const mined = await runCli(['eval', 'mine', '-o', all, '--limit', '4'], { cwd: h.repo });
  expect(mined.exitCode, mined.stderr).toBe(0);
  const lowercase = parseTasks(readFileSync(all, 'utf8')).find((t) => t.base_commit === h.sha.start)!;
  tasksFile = join(tempDir(), 'tasks.jsonl');
  writeFileSync(tasksFile, `${JSON.stringify(lowercase)}\n`);
}, 120_000);
beforeEach(async () => {
  sim = await simulator();
});
afterEach(async () => {
  await sim.close();
});

const plan = {
  summary: 'lowercase the slug',
  files: [{ path: 'src/slug.js', change: 'lowercase' }],
  approach: 'toLowerCase() after joining',
  tests: [],
  testChanges: [],
  risks: [],
  rollback: null,
  subtasks: [],
  answers: [],
};
const work = { summary: 'slugs are lowercase', filesChanged: ['src/slug.js'], claims: [], contradiction: null };

describe('duo eval with the real CLIs', () => {
  it('runs a mined task as a pair in a sealed checkout and grades it with the hidden test', async () => {
    sim.push(
      'anthropic',
      { kind: 'structured', value: plan },
      { kind: 'tools', calls: [{ name: 'Write', input: { file_path: '{cwd}/src/slug.js', content: SLUG_V1 } }] },
      { kind: 'structured', value: work },
    );
    sim.push('openai', { kind: 'structured', value: approve }, { kind: 'structured', value: approve });
    const r = await runCli(
      ['eval', 'run', tasksFile, '--modes', 'pair', '--yes', '--json', '--config', realAgentsConfig(sim.url)],
      { cwd: h.repo },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const json = parseJson<{
      stop: string;
      dir: string;
      report: { perMode: { resolved: number; falseGreens: number; verdicts: { green: number } }[] };
    }>(r.stdout);
    expect(json.stop).toBe('done');
    expect(json.report.perMode[0]).toMatchObject({ resolved: 1, falseGreens: 0, verdicts: { green: 1 } });
    expect(sim.pending('anthropic') + sim.pending('openai')).toBe(0);

    const unit = JSON.parse(readFileSync(join(json.dir, 'units', 't1-pair-r1', 'unit.json'), 'utf8'));
    expect(unit.result).toMatchObject({ status: 'green', resolved: true, runMode: 'pair' });
    expect(unit.result.f2p).toEqual([{ id: 'lowercases', passed: true }]);
    // Real usage from both CLIs is in the result.
    expect(Object.keys(unit.result.usage).sort()).toEqual(['claude', 'codex']);
    expect(unit.result.tokens).toBeGreaterThan(0);
    // Claude's own Write tool wrote the fix in the sealed checkout's run worktree.
    expect(readFileSync(join(json.dir, 'units', 't1-pair-r1', 'patch.diff'), 'utf8')).toContain('.toLowerCase()');

    // The agents were told the problem, never the hidden test or the fix commit.
    const sent = sim.requests.map((q) => requestText(q.body)).join('\n');
    expect(sent).toContain('hello-world');
    expect(sent).not.toContain("test('lowercases'");
    expect(sent).not.toContain(h.sha.lowercase.slice(0, 10));
  });
});
