import { describe, expect, it } from 'vitest';
import { DIRECT_TEST, parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * Where a run id goes, a user may leave it out or write `last` (the newest run), or give any unique start of it; an
 * ambiguous start is an error listing the runs it could be. One resolver, so every command reads the same.
 */
const happy = {
  agents: {
    claude: {
      plan: [plan(), plan()],
      implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST }), work({ 'src/y.js': GOOD_X })],
    },
    codex: {
      critique: [critique('approve'), critique('approve')],
      review: [critique('approve'), critique('approve')],
    },
  },
};

/** The shortest start of `id` that no other id shares. */
function uniqueStart(id: string, others: string[]): string {
  for (let n = 1; n <= id.length; n++) if (!others.some((o) => o.startsWith(id.slice(0, n)))) return id.slice(0, n);
  return id;
}

describe('run ids: newest by default, `last`, and unique prefixes', () => {
  it('show, status, wait, diff, resume and apply take no id, `last`, or a unique start; an ambiguous one lists the matches', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(happy, DIRECT_TEST);
    const first = parseJson<{ runId: string }>(
      (await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo })).stdout,
    ).runId;
    const second = parseJson<{ runId: string }>(
      (await runCli(['run', 'add y', '--config', config, '--json'], { cwd: repo })).stdout,
    ).runId;
    const newest = (args: string[]) => runCli([...args, '--json', '--config', config], { cwd: repo });

    // No id, and `last`: the newest run, for every command that reads one.
    for (const args of [
      ['show'],
      ['show', 'last'],
      ['status'],
      ['wait'],
      ['wait', 'last'],
      ['diff'],
      ['diff', 'last'],
    ]) {
      const r = await newest(args);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      expect(parseJson<{ runId: string }>(r.stdout).runId, args.join(' ')).toBe(second);
    }
    const resumed = await newest(['resume']);
    expect(parseJson<{ runId: string }>(resumed.stdout).runId).toBe(second);

    // A unique start of the older id names it, in every command.
    const short = uniqueStart(first, [second]);
    expect(short.length).toBeLessThan(first.length);
    for (const args of [
      ['show', short],
      ['status', short],
      ['diff', short],
      ['wait', short],
    ]) {
      const r = await newest(args);
      expect(parseJson<{ runId: string }>(r.stdout).runId, args.join(' ')).toBe(first);
    }
    const applied = await newest(['apply', short]);
    expect(applied.exitCode, applied.stderr).toBe(0);
    expect(parseJson<{ runId: string; applied: boolean }>(applied.stdout)).toMatchObject({
      runId: first,
      applied: true,
    });

    // A start both ids share: a usage error that lists both, in text and in JSON.
    const shared = first.slice(0, 4);
    expect(second.startsWith(shared)).toBe(true);
    const ambiguous = await runCli(['show', shared], { cwd: repo });
    expect(ambiguous.exitCode).toBe(2);
    expect(ambiguous.stderr).toContain(`"${shared}" is the start of 2 run ids`);
    expect(ambiguous.stderr).toContain(first);
    expect(ambiguous.stderr).toContain(second);
    const json = parseJson<{ error: { message: string; hint: string | null } }>(
      (await runCli(['status', shared, '--json'], { cwd: repo })).stdout,
    );
    expect(json.error.message).toContain(second);
    expect(json.error.hint).toMatch(/more of the id/);
    // decide and cancel go through the same resolver.
    const decide = await runCli(['decide', shared, 'card-R1', '--pick', 'driver'], { cwd: repo });
    expect(decide.stderr).toContain('is the start of 2 run ids');
    const cancel = await runCli(['cancel', short], { cwd: repo });
    expect(cancel.exitCode).toBe(0);
    expect(cancel.stdout).toContain(`run ${first} is not running`);
  });

  it('with no runs yet, a command without an id says how to start one (exit 2)', async () => {
    const repo = makeRepo(SAMPLE);
    for (const args of [['show'], ['status'], ['wait'], ['diff'], ['apply'], ['resume']]) {
      const r = await runCli([...args, '--json'], { cwd: repo });
      expect(r.exitCode, args.join(' ')).toBe(2);
      const json = parseJson<{ error: { message: string; hint: string | null } }>(r.stdout);
      expect(json.error.message).toContain('No duo runs in this repository yet');
      expect(json.error.hint).toContain('duo "<task>"');
    }
  });
});
