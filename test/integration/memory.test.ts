import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resumeRun } from '../../src/protocol/engine.js';
import { shortFingerprint } from '../../src/protocol/fingerprint.js';
import { forget, listMemory } from '../../src/record/memory.js';
import { searchRuns } from '../../src/record/query.js';
import { enginePorts, makeRepo, report, runScenario, SAMPLE, type SentPrompt } from '../support/harness.js';
import { answers, critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * The repository's memory of declined findings, on the real engine, git and gate with scripted agents: a finding
 * declined in one run and raised again on the same code in the next is a repeat nobody answers; with new evidence it
 * is a new thread citing the old one; the memory holds across a resume, two runs at once, and `forget`.
 */
const NAMED_X = 'export function x() {\n  const ANSWER = 2;\n  return ANSWER;\n}\n';
const RENAME = 'x should be called answer: the name says nothing about what it returns';

/** The skeptic's naming finding on line 2 of src/x.js (extra: reopens, evidence). */
const naming = (over: Record<string, unknown> = {}) => ({
  id: 'R1',
  severity: 'minor',
  category: 'naming',
  file: 'src/x.js',
  line: 2,
  claim: RENAME,
  evidence: 'x() is exported and read by callers',
  stakes: null,
  ...over,
});

/** A pair run whose implementation writes `code`; its review raises `finding`; the rest as `extra` says. */
function scenario(code: string, finding: Record<string, unknown>, extra: { claude?: object; codex?: object } = {}) {
  return {
    agents: {
      claude: {
        plan: [plan()],
        implement: [work({ 'src/x.js': code, 'test/x.test.js': PASSING_TEST })],
        ...extra.claude,
      },
      codex: {
        critique: [critique('approve')],
        review: [{ answer: { verdict: 'revise', summary: 'r', findings: [finding], rechecks: [] } }],
        ...extra.codex,
      },
    },
  };
}

/** The first run: the driver rebuts the naming finding and the skeptic accepts — it is declined. */
const declining = (finding = naming()) =>
  scenario(GOOD_X, finding, {
    claude: {
      'answer-findings': [answers([{ findingId: 'R1', action: 'rebut', note: 'x is the name the task uses' }])],
    },
    codex: { recheck: [critique('approve', [], [{ findingId: 'R1', status: 'accept-rebuttal', note: 'fair' }])] },
  });

const memoryOpts = { memory: true, verify: ['node --test'] };

describe('a declined finding raised again', () => {
  it('on unchanged code is a repeat: shown, linked to the decision, not answered, no fix round', async () => {
    const repo = makeRepo(SAMPLE);
    const first = (await runScenario(repo, declining(), memoryOpts)).state;
    expect(first.findings[0]?.resolution).toBe('rebutted');
    const [declined] = (await listMemory({ repoRoot: repo })).declined;
    expect(declined).toMatchObject({ runId: first.runId, findingId: 'R1', claim: RENAME, by: 'skeptic' });

    // The same code, the same finding (in other words): no answer-findings or recheck entry exists in this scenario,
    // so the run would fail if the driver were asked to answer it.
    const prompts: SentPrompt[] = [];
    const reworded = naming({ claim: 'Rename x to answer: x as a name says nothing about what it returns.' });
    const { state, ports } = await runScenario(repo, scenario(GOOD_X, reworded), { ...memoryOpts, prompts });
    expect(state.status).toBe('green');
    const [repeat] = state.findings;
    expect(repeat?.resolution).toBe('repeat');
    expect(repeat?.repeatOf).toMatchObject({ runId: first.runId, findingId: 'R1', by: 'skeptic' });
    expect(repeat?.fingerprint).toBe(declined?.fingerprint);
    expect(Object.keys(state.steps).filter((k) => k.startsWith('review/r1/'))).toEqual(['review/r1/review']);
    // The skeptic was told, with the reason, when it first met src/x.js (the plan names it); its session is not told
    // again when it reviews the diff.
    const [critiqued, reviewed] = prompts.filter((p) => p.agent === 'codex').map((p) => p.prompt);
    expect(critiqued).toContain('DECLINED BEFORE');
    expect(critiqued).toContain(`[${shortFingerprint(declined!.fingerprint)}] src/x.js:2`);
    expect(critiqued).toContain('x is the name the task uses');
    expect(reviewed).not.toContain('DECLINED BEFORE');
    expect(report(ports, state)).toMatch(/## Repeats \(declined before; not answered\)\n- \*\*R1\*\* `[0-9a-f]{8}`/);
    // The run index sees the thread: a search for its fingerprint finds both runs.
    const hits = await searchRuns({ repoRoot: repo }, shortFingerprint(declined!.fingerprint));
    expect(hits.runs.map((r) => r.runId).sort()).toEqual([first.runId, state.runId].sort());
  });

  it('with new evidence is a new thread that cites the old one, and is answered', async () => {
    const repo = makeRepo(SAMPLE);
    await runScenario(repo, declining(), memoryOpts);
    const [declined] = (await listMemory({ repoRoot: repo })).declined;
    const reopened = naming({
      reopens: shortFingerprint(declined!.fingerprint),
      evidence: 'NEW: a caller in the public API now documents x as "the answer"',
    });
    const { state } = await runScenario(
      repo,
      scenario(GOOD_X, reopened, {
        claude: {
          'answer-findings': [answers([{ findingId: 'R1', action: 'fix', note: 'renamed' }], { 'src/x.js': NAMED_X })],
        },
        codex: { recheck: [critique('approve', [], [{ findingId: 'R1', status: 'resolved', note: 'ok' }])] },
      }),
      memoryOpts,
    );
    const [thread] = state.findings;
    expect(thread?.resolution).toBe('fixed');
    expect(thread?.reopens).toMatchObject({ fingerprint: declined?.fingerprint, findingId: 'R1' });
    expect(thread?.fingerprint).not.toBe(declined?.fingerprint);
  });

  it('on code that changed is a new finding', async () => {
    const repo = makeRepo(SAMPLE);
    await runScenario(repo, declining(), memoryOpts);
    const { state } = await runScenario(
      repo,
      scenario(NAMED_X, naming(), {
        claude: { 'answer-findings': [answers([{ findingId: 'R1', action: 'rebut', note: 'still the task name' }])] },
        codex: { recheck: [critique('approve', [], [{ findingId: 'R1', status: 'accept-rebuttal', note: 'ok' }])] },
      }),
      memoryOpts,
    );
    expect(state.findings[0]?.resolution).toBe('rebutted');
    expect(state.findings[0]?.repeatOf).toBeUndefined();
  });
});

describe('the memory', () => {
  it('survives a resume: the run keeps the memory it started with, and its repeats', async () => {
    const repo = makeRepo(SAMPLE);
    await runScenario(repo, declining(), memoryOpts);
    const [declined] = (await listMemory({ repoRoot: repo })).declined;
    const controller = new AbortController();
    const s = scenario(GOOD_X, naming());
    const { state } = await runScenario(repo, s, {
      ...memoryOpts,
      signal: controller.signal,
      progress: (e) => {
        if (e.type === 'phase' && e.phase === 'verify') controller.abort();
      },
    });
    expect(state.status).toBe('interrupted');
    // Revoked meanwhile: the run was started with it, so its resume still marks the finding a repeat.
    await forget(repo, declined!.fingerprint, 'test');
    const done = await resumeRun(enginePorts(repo, s, memoryOpts), state.runId);
    expect(done.status).toBe('green');
    expect(done.findings[0]?.resolution).toBe('repeat');
    // The first run's decline is in the memory once, resumed or not; and the revocation holds.
    expect((await listMemory({ repoRoot: repo })).declined).toEqual([]);
  });

  it('is rebuilt from the records: an index written by an older duo (facts without the memory) is re-derived', async () => {
    const repo = makeRepo(SAMPLE);
    const { state } = await runScenario(repo, declining(), memoryOpts);
    const facts = join(repo, '.duo', 'index', 'facts.jsonl');
    const old = readFileSync(facts, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const l = JSON.parse(line);
        const { v: _v, declined: _d, ...value } = l.value;
        return JSON.stringify({ ...l, value });
      });
    writeFileSync(facts, `${old.join('\n')}\n`);
    expect((await listMemory({ repoRoot: repo })).declined.map((d) => d.runId)).toEqual([state.runId]);
  });

  it('takes what two runs at once declined', async () => {
    const repo = makeRepo(SAMPLE);
    const other = naming({ claim: 'x must validate that it is called without arguments', line: 1 });
    const [a, b] = await Promise.all([
      runScenario(repo, declining(), memoryOpts),
      runScenario(repo, declining(other), memoryOpts),
    ]);
    const memory = await listMemory({ repoRoot: repo });
    expect(memory.declined.map((d) => [d.runId, d.claim]).sort()).toEqual(
      [
        [a.state.runId, RENAME],
        [b.state.runId, other.claim],
      ].sort(),
    );
  });

  it('forgets what `forget` revokes, until a later run declines it again', async () => {
    const repo = makeRepo(SAMPLE);
    await runScenario(repo, declining(), memoryOpts);
    const [declined] = (await listMemory({ repoRoot: repo })).declined;
    await expect(forget(repo, 'zz', 'test')).rejects.toThrow(/at least 4 characters/);
    await expect(forget(repo, 'ffffffff', 'test')).rejects.toThrow(/no declined finding/);
    expect((await forget(repo, shortFingerprint(declined!.fingerprint), 'test')).claim).toBe(RENAME);
    expect((await listMemory({ repoRoot: repo })).declined).toEqual([]);
    expect((await listMemory({ repoRoot: repo })).forgotten[0]).toMatchObject({ fingerprint: declined?.fingerprint });

    // Forgotten: the same finding on the same code is answered again — and declined again, it is back.
    const { state } = await runScenario(repo, declining(), memoryOpts);
    expect(state.findings[0]?.resolution).toBe('rebutted');
    expect((await listMemory({ repoRoot: repo })).declined.map((d) => d.runId)).toEqual([state.runId]);
  });
});
