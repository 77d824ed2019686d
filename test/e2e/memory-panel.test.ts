import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../sim/server.js';
import { parseJson, runCli } from '../support/cli.js';
import { makeRepo } from '../support/harness.js';
import { realAgents, realAgentsConfig, requestText, simulator } from '../support/sim-agents.js';
import { SUM, SUM_PKG, SUM_TEST } from '../support/sum-task.js';

/**
 * The panel and the memory through the real pinned `claude` and `codex` against the model simulator: `duo review
 * --panel` has both CLIs review the same change at once and merges what they found; a finding the driver rebutted
 * and the skeptic accepted in one `duo review --answer` comes back from codex in the next review as a repeat, and
 * codex's request carried the memory.
 */
let sim: Simulator;
let repo: string;
let config: string;
beforeAll(() => {
  realAgents();
});
beforeEach(async () => {
  sim = await simulator();
  repo = makeRepo({ 'package.json': SUM_PKG, 'src/sum.js': SUM, 'test/sum.test.js': SUM_TEST });
  // The change under review: sum() of an empty list is now an error.
  writeFileSync(
    join(repo, 'src/sum.js'),
    SUM.replace('return xs', "if (!xs.length) throw new Error('empty');\n  return xs"),
  );
  config = realAgentsConfig(sim.url);
});
afterEach(async () => {
  await sim.close();
});

const finding = (id: string, line: number, claim: string, severity = 'minor') => ({
  id,
  severity,
  file: 'src/sum.js',
  line,
  claim,
  evidence: `evidence for ${id}`,
  stakes: null,
  confidence: 0.7,
  category: 'correctness',
  reopens: null,
  rule: null,
});
const critique = (findings: unknown[], rechecks: unknown[] = []) => ({
  kind: 'structured' as const,
  value: { verdict: findings.length ? 'revise' : 'approve', summary: 's', findings, rechecks },
});
const posts = (protocol: 'anthropic' | 'openai') =>
  sim.requests.filter((r) => r.protocol === protocol && r.method === 'POST');

interface Json {
  runId: string;
  status: string;
  findings: { id: string; fingerprint: string; resolution: string; caughtBy: string | null; repeatOf: unknown }[];
  panel: { reviewers: string[]; unavailable: unknown[] } | null;
  reportPath: string;
}

describe('with the real CLIs', () => {
  it('duo review --panel: claude and codex review at once; their findings are merged and labelled', async () => {
    const EMPTY = 'sum([]) now throws where it returned 0 before';
    // Both take 2 s to answer: reviewed one after the other, the two calls could not overlap.
    sim.push('openai', {
      kind: 'delay',
      ms: 2000,
      answer: critique([finding('R1', 2, EMPTY, 'major'), finding('R2', 1, 'sum is not documented at all')]),
    });
    sim.push('anthropic', {
      kind: 'delay',
      ms: 2000,
      answer: critique([
        finding('C1', 2, `${EMPTY} for callers`, 'major'),
        finding('C2', 3, 'no test covers the empty list'),
      ]),
    });
    const r = await runCli(['review', '--panel', '--config', config, '--json'], { cwd: repo });
    const json = parseJson<Json>(r.stdout);
    expect(json.panel, r.stderr).toEqual({ reviewers: ['codex', 'claude'], unavailable: [] });
    expect(json.findings.map((f) => [f.id, f.caughtBy])).toEqual([
      ['R1', 'both'],
      ['R2', 'codex-only'],
      ['C2', 'claude-only'],
    ]);
    expect(sim.pending('anthropic') + sim.pending('openai')).toBe(0);
    // Each CLI was shown the diff, and the two calls overlapped in time.
    expect(requestText(posts('openai')[0]?.body)).toContain('throw new Error');
    expect(requestText(posts('anthropic')[0]?.body)).toContain('throw new Error');
    const state = JSON.parse(readFileSync(join(repo, '.duo', 'runs', json.runId, 'state.json'), 'utf8'));
    const [a, b] = ['review/r1/review', 'review/r1/panel-review'].map((k) => state.steps[k]);
    expect(Date.parse(a.at)).toBeLessThan(Date.parse(b.at) + b.durationMs);
    expect(Date.parse(b.at)).toBeLessThan(Date.parse(a.at) + a.durationMs);
    expect(readFileSync(json.reportPath, 'utf8')).toMatch(/\*\*Panel:\*\* codex and claude reviewed the diff/);
  });

  it('a finding declined in one review is a repeat in the next, and codex was told about it', async () => {
    const NAMING = 'sum should be called total: the name hides that it throws';
    // Review 1 (--answer): codex raises it, claude rebuts, codex accepts the rebuttal.
    sim.push('openai', critique([finding('R1', 1, NAMING)]));
    sim.push('anthropic', {
      kind: 'structured',
      value: {
        summary: 'rebutted',
        answers: [{ findingId: 'R1', action: 'rebut', note: 'sum is the name every caller uses', rule: null }],
      },
    });
    sim.push('openai', critique([], [{ findingId: 'R1', status: 'accept-rebuttal', note: 'fair' }]));
    const first = parseJson<Json>(
      (await runCli(['review', '--answer', '--config', config, '--json'], { cwd: repo })).stdout,
    );
    expect(first.findings.map((f) => f.resolution)).toEqual(['rebutted']);

    // Review 2 of the same change: codex raises it again (in other words); nobody is asked to answer it.
    sim.push('openai', critique([finding('R1', 1, 'Rename sum to total: the name hides that it throws.')]));
    const second = await runCli(['review', '--config', config, '--json'], { cwd: repo });
    const json = parseJson<Json>(second.stdout);
    expect(second.exitCode, second.stderr).toBe(0);
    expect(json.findings).toEqual([
      expect.objectContaining({ resolution: 'repeat', fingerprint: first.findings[0]?.fingerprint }),
    ]);
    expect(json.findings[0]?.repeatOf).toMatchObject({ runId: first.runId, findingId: 'R1', by: 'skeptic' });
    const told = requestText(posts('openai').at(-1)?.body);
    expect(told).toContain('DECLINED BEFORE');
    expect(told).toContain(first.findings[0]?.fingerprint);
    expect(told).toContain('sum is the name every caller uses');
    expect(sim.pending('anthropic') + sim.pending('openai')).toBe(0);
  });
});
