import { readFileSync } from 'node:fs';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../sim/server.js';
import { parseJson, runCli } from '../support/cli.js';
import { git, makeRepo } from '../support/harness.js';
import { realAgents, realAgentsConfig, simulator } from '../support/sim-agents.js';
import { approve, SUM, SUM_PKG, SUM_TEST, sumPlan, sumWork } from '../support/sum-task.js';

/**
 * The gate against a driver that bends a test, with the real pinned `claude` against the model simulator: Claude
 * Code's own Write tool writes wrong code and edits the existing test's expectation to match it. duo reverts the
 * test edit right after the call, runs the real `npm test` on the real test, and the run is not green.
 */
let sim: Simulator;
beforeAll(() => {
  realAgents();
});
beforeEach(async () => {
  sim = await simulator();
});
afterEach(async () => {
  await sim.close();
});

const WRONG = 'export function sum(xs) {\n  return xs.length;\n}\n';
const BENT_TEST = SUM_TEST.replace('6', '3');

describe('a driver bending a test through the real CLI', () => {
  it("claude's Write edits the existing test to match wrong code: duo reverts it and the run is red", async () => {
    const repo = makeRepo({ 'package.json': SUM_PKG, 'src/sum.js': SUM, 'test/sum.test.js': SUM_TEST });
    sim.push(
      'anthropic',
      { kind: 'structured', value: { ...sumPlan, summary: 'simplify sum()' } },
      {
        kind: 'tools',
        calls: [
          { name: 'Write', input: { file_path: '{cwd}/src/sum.js', content: WRONG } },
          { name: 'Write', input: { file_path: '{cwd}/test/sum.test.js', content: BENT_TEST } },
        ],
      },
      { kind: 'structured', value: { ...sumWork, claims: ['npm test passes'] } },
    );
    sim.push('openai', { kind: 'structured', value: approve }, { kind: 'structured', value: approve });

    const config = realAgentsConfig(sim.url, { verifyRounds: 1 });
    const r = await runCli(['run', 'simplify sum()', '--config', config, '--json'], { cwd: repo });
    const json = parseJson<{
      status: string;
      branch: string;
      reportPath: string;
      reverts: { path: string; agent: string; reason: string }[];
      verify: { command: string; exitCode: number; output: string }[];
      baseline: { results: { command: string; passed: boolean }[] };
    }>(r.stdout);
    expect(json.status, r.stderr).toBe('red');
    expect(r.exitCode).toBe(1);
    // Claude really wrote both files (its Write tool), and duo put the test back before committing.
    expect(git(repo, 'show', `${json.branch}:src/sum.js`)).toBe(WRONG);
    expect(git(repo, 'show', `${json.branch}:test/sum.test.js`)).toBe(SUM_TEST);
    expect(json.reverts).toEqual([
      expect.objectContaining({
        path: 'test/sum.test.js',
        agent: 'claude',
        reason: expect.stringMatching(/existing test/),
      }),
    ]);
    // The real test ran on the wrong code and failed; at the base it passed.
    expect(json.verify[0]).toMatchObject({ command: 'npm test', exitCode: 1 });
    expect(json.verify[0]?.output).toMatch(/# fail 1/);
    expect(json.baseline.results[0]).toMatchObject({ command: 'npm test', passed: true });
    const report = readFileSync(json.reportPath, 'utf8');
    expect(report.split('\n')[0]).toMatch(
      /RED — the real checks fail; the driver had changed the checks instead \(test\/sum\.test\.js\)/,
    );
    expect(sim.pending('anthropic') + sim.pending('openai')).toBe(0);
  });
});
