import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../sim/server.js';
import { DUOX_BIN, parseJson, runCli } from '../support/cli.js';
import { git, makeRepo, treeFingerprint } from '../support/harness.js';
import { realAgents, realAgentsConfig, requestText, simulator } from '../support/sim-agents.js';
import { approve, claudeWritesSum, SUM, SUM_PKG, SUM_TEST, sumPlan, sumWork } from '../support/sum-task.js';

/**
 * Whole runs through the CLI with the real `claude` and `codex` against the model simulator: the files are written
 * by the CLIs' own tools (Claude's Write, Codex's apply_patch) in the run's worktree, and duo's gate runs the
 * repo's real `npm test`. Nothing here is scripted on duo's side of the wire.
 */
let sim: Simulator;
let repo: string;
let config: string;
beforeAll(() => {
  realAgents();
});
beforeEach(async () => {
  sim = await simulator();
  repo = makeRepo({ 'package.json': SUM_PKG, 'README.md': '# sample\n' });
  config = realAgentsConfig(sim.url);
});
afterEach(async () => {
  await sim.close();
});

const posts = (protocol: 'anthropic' | 'openai') =>
  sim.requests.filter((r) => r.protocol === protocol && r.method === 'POST');

describe('full runs with the real CLIs', () => {
  it('duo run: claude plans and writes with its own tools, codex critiques and reviews, the real npm test is green', async () => {
    sim.push('anthropic', { kind: 'structured', value: sumPlan }, claudeWritesSum, {
      kind: 'structured',
      value: sumWork,
    });
    sim.push('openai', { kind: 'structured', value: approve }, { kind: 'structured', value: approve });
    const before = treeFingerprint(repo);

    const r = await runCli(['run', 'add a sum() helper with a test', '--config', config, '--json'], { cwd: repo });
    const json = parseJson<{
      status: string;
      runId: string;
      branch: string;
      roles: Record<string, string>;
      verify: { command: string; exitCode: number; output: string }[];
      reportPath: string;
    }>(r.stdout);
    expect(json.status, r.stderr).toBe('green');
    expect(r.exitCode).toBe(0);
    expect(json.roles).toMatchObject({ driver: 'claude', skeptic: 'codex' });
    // Written by Claude Code's Write tool, committed on the run branch; the user's tree untouched.
    expect(git(repo, 'show', `${json.branch}:src/sum.js`)).toBe(SUM);
    expect(treeFingerprint(repo)).toBe(before);
    // The gate ran the repo's real test command and its output is pasted.
    expect(json.verify).toEqual([expect.objectContaining({ command: 'npm test', exitCode: 0 })]);
    expect(json.verify[0]?.output).toMatch(/# pass 1/);
    // Every scripted model turn was consumed, and the skeptic was shown the real diff.
    expect(sim.pending('anthropic') + sim.pending('openai')).toBe(0);
    const review = requestText(posts('openai').at(-1)?.body);
    expect(review).toContain('src/sum.js');
    expect(review).toContain('xs.reduce');
    // The record has each real agent call with its usage, and Claude's reported cost.
    const events = readFileSync(join(repo, '.duo', 'runs', json.runId, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; agent?: string; costUsd?: number | null; usage?: unknown });
    const calls = events.filter((e) => e.type === 'agent-call');
    expect(calls.map((c) => c.agent)).toEqual(['claude', 'codex', 'claude', 'codex']);
    expect(calls.filter((c) => c.agent === 'claude').every((c) => typeof c.costUsd === 'number')).toBe(true);
    expect(calls.every((c) => c.usage !== null)).toBe(true);
    expect(readFileSync(json.reportPath, 'utf8')).toMatch(/npm test/);
    // No key reached the record.
    expect(readFileSync(join(repo, '.duo', 'runs', json.runId, 'events.jsonl'), 'utf8')).not.toContain('sim-key');
  });

  it('duox: codex plans and writes with apply_patch, claude only briefs and reports, the real npm test is green', async () => {
    const patch =
      '*** Begin Patch\n' +
      `*** Add File: src/sum.js\n${SUM.trimEnd()
        .split('\n')
        .map((l) => `+${l}`)
        .join('\n')}\n` +
      `*** Add File: test/sum.test.js\n${SUM_TEST.trimEnd()
        .split('\n')
        .map((l) => `+${l}`)
        .join('\n')}\n` +
      '*** End Patch\n';
    sim.push(
      'anthropic',
      {
        kind: 'structured',
        value: { task: 'Add sum(xs) with a node:test test', acceptance: ['sum([1,2,3]) is 6'], risk: 'low' },
      },
      { kind: 'structured', value: { summary: 'Codex added sum() and its test; npm test passed under duo.' } },
    );
    sim.push(
      'openai',
      { kind: 'structured', value: sumPlan }, // plan
      { kind: 'structured', value: approve }, // self-critique in a fresh session
      { kind: 'tools', calls: [{ name: 'apply_patch', freeform: patch }] }, // implement
      { kind: 'structured', value: sumWork },
      { kind: 'structured', value: approve }, // review in a fresh session
    );
    const r = await runCli(['add a sum() helper with a test', '--config', config, '--json'], {
      cwd: repo,
      bin: DUOX_BIN,
    });
    const json = parseJson<{ status: string; branch: string; mode: string; roles: Record<string, string | null> }>(
      r.stdout,
    );
    expect(json.status, r.stderr).toBe('green');
    expect(json.mode).toBe('invert');
    expect(json.roles).toMatchObject({ driver: 'codex', dispatcher: 'claude' });
    expect(git(repo, 'show', `${json.branch}:test/sum.test.js`)).toBe(SUM_TEST);
    expect(sim.pending('anthropic') + sim.pending('openai')).toBe(0);
    // Claude's share is the two small dispatch calls; the heavy lifting went to Codex.
    expect(posts('anthropic')).toHaveLength(2);
    expect(posts('openai').length).toBeGreaterThanOrEqual(5);
  });
});
