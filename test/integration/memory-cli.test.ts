import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { ForgetJson, MemoryJson } from '../../src/wire/records.js';
import { parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { disputedBlocker } from '../support/scenario.js';

/**
 * The memory and the house rules as a user meets them: `duo decide … --rule`, `duo memory [--json]`,
 * `duo memory forget`, and the demo's repository right after `npm run demo`.
 */
describe('duo decide --rule, duo memory, duo memory forget', () => {
  it('keeps a decision as a house rule; the next run is given it and marks the decided finding a repeat', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(disputedBlocker());
    const first = parseJson(
      (await runCli(['run', 'make x return 2', '--config', config, '--yes', '--json'], { cwd: repo })).stdout,
    );
    expect(first.status).toBe('awaiting-decision');
    const decided = await runCli(['decide', first.runId as string, 'card-R1', '--pick', 'driver', '--rule'], {
      cwd: repo,
    });
    expect(decided.exitCode, decided.stderr).toBe(0);
    expect(decided.stdout).toContain('kept as house rule H1 in .duo/RULES.md');
    const rules = readFileSync(join(repo, '.duo', 'RULES.md'), 'utf8');
    expect(rules).toMatch(
      /^- \[H1\] On "x is exported without auth \(src\/x\.js:1\)": x is internal _\(kept from run /m,
    );

    const memory = parseWire(MemoryJson, (await runCli(['memory', '--json'], { cwd: repo })).stdout);
    expect(memory.rules).toEqual([{ id: 'H1', text: expect.stringContaining('x is internal') }]);
    // A human sided with the driver: declined, by a human.
    expect(memory.declined).toEqual([
      expect.objectContaining({
        findingId: 'R1',
        runId: first.runId,
        by: 'human',
        claim: 'x is exported without auth',
      }),
    ]);
    const human = await runCli(['memory'], { cwd: repo });
    expect(human.stdout).toContain(`${memory.declined[0]?.short}  src/x.js:1 (blocker)  x is exported without auth`);
    expect(human.stdout).toContain('[H1] On "x is exported without auth');

    // The next run on the same code: the skeptic raises it again, and nobody answers it.
    const second = await runCli(['run', 'make x return 2', '--config', config, '--yes', '--json'], { cwd: repo });
    const json = parseJson<{
      status: string;
      findings: { fingerprint: string; resolution: string; repeatOf: { runId: string } }[];
    }>(second.stdout);
    expect(json.status, second.stderr).toBe('green');
    expect(json.findings).toEqual([
      expect.objectContaining({
        fingerprint: memory.declined[0]?.short,
        resolution: 'repeat',
        repeatOf: expect.objectContaining({ runId: first.runId, by: 'human' }),
      }),
    ]);
    const report = readFileSync(parseJson(second.stdout).reportPath as string, 'utf8');
    expect(report).toContain('**House rules:** 1 given to the agents (.duo/RULES.md)');
  });

  it('forget revokes an entry by its fingerprint; an unknown one is a usage error', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(disputedBlocker());
    const run = parseJson(
      (await runCli(['run', 'make x', '--config', config, '--yes', '--json'], { cwd: repo })).stdout,
    );
    await runCli(['decide', run.runId as string, 'card-R1', '--pick', 'driver'], { cwd: repo });
    const [entry] = parseWire(MemoryJson, (await runCli(['memory', '--json'], { cwd: repo })).stdout).declined;
    const unknown = await runCli(['memory', 'forget', 'ffffffff'], { cwd: repo });
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain('no declined finding');
    const forgot = await runCli(['memory', 'forget', entry!.short, '--json'], { cwd: repo });
    expect(forgot.exitCode, forgot.stderr).toBe(0);
    expect(parseWire(ForgetJson, forgot.stdout).forgotten.fingerprint).toBe(entry?.fingerprint);
    const after = parseWire(MemoryJson, (await runCli(['memory', '--json'], { cwd: repo })).stdout);
    expect(after.declined).toEqual([]);
    expect(after.forgotten).toEqual([expect.objectContaining({ fingerprint: entry?.fingerprint })]);
  });
});

describe('right after npm run demo', () => {
  it("duo memory --json in the demo's repository lists its two rebutted-and-accepted findings as declined", async () => {
    const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
    const tmp = tempDir('duo-demo-tmp-');
    mkdirSync(tmp, { recursive: true });
    const demo = await execa('node', [join(root, 'dist', 'demo', 'demo.js')], {
      env: { TMPDIR: tmp, DUO_HOME: join(tmp, 'home'), NO_COLOR: '1' },
      reject: false,
    });
    expect(demo.exitCode, demo.stderr).toBe(0);
    const [base] = readdirSync(tmp).filter((n) => n.startsWith('duo-demo-'));
    const repo = join(tmp, base as string, 'sample-shop');
    const memory = parseWire(
      MemoryJson,
      (await runCli(['memory', '--json'], { cwd: repo, env: { DUO_HOME: join(tmp, 'home') } })).stdout,
    );
    expect(memory.declined.map((d) => [d.findingId, d.claim, d.by]).sort()).toEqual([
      ['P3', 'Use BigInt for cents.', 'skeptic'],
      ['R2', 'Name it splitEvenly: "bill" suggests tax/tip handling.', 'skeptic'],
    ]);
  });
});
