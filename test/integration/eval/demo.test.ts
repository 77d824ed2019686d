import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SAMPLE_REPO, writeSampleRepo } from '../../../src/demo/sample.js';
import { DUO_BIN, runCli } from '../../support/cli.js';
import { git, tempDir } from '../../support/harness.js';

/**
 * The demo repository has a short history of fixes with tests, which `npm run demo:eval` evaluates on scripted
 * agents with one command; the tree it ends at is the one `npm run demo` has always shown.
 */
describe('the demo repository', () => {
  it('ends at exactly the sample tree the demo runs on, after a history of fixes with tests', () => {
    const repo = writeSampleRepo(join(tempDir(), 'sample-shop'));
    const files = git(repo, 'ls-tree', '-r', '--name-only', 'HEAD').trim().split('\n');
    expect(files.sort()).toEqual(Object.keys(SAMPLE_REPO).sort());
    for (const [path, content] of Object.entries(SAMPLE_REPO)) expect(git(repo, 'show', `HEAD:${path}`)).toBe(content);
    expect(git(repo, 'log', '--format=%s').trim().split('\n')).toHaveLength(6);
    expect(git(repo, 'status', '--porcelain')).toBe('');
  });

  it('is evaluated by `npm run demo:eval`: mined, run solo and pair on scripted agents, graded, reported', async () => {
    const r = await runCli([], {
      cwd: tempDir(),
      bin: join(DUO_BIN, '..', '..', 'demo', 'eval.js'),
      timeoutMs: 300_000,
    });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/examined 6 commit\(s\): 3 task\(s\), 1 skipped/);
    expect(r.stdout).toContain('| solo | 2/3 (67%) |');
    expect(r.stdout).toContain('| pair | 3/3 (100%) |');
    expect(r.stdout).toContain('On these 3 tasks pair resolved 1 more than solo (p = 1)');
    expect(r.stdout).toContain("False greens: 1 of duo's 6 green runs failed the hidden tests (solo 1)");
    expect(r.stdout).toMatch(/\(pair\) R1: Math\.trunc rounds 895\.5 down/);
  }, 300_000);
});
