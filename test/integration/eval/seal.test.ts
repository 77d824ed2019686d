import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { sealedCheckout } from '../../../src/eval/seal.js';
import { type EvalHistory, makeEvalHistory } from '../../support/eval-history.js';
import { tempDir } from '../../support/harness.js';

/**
 * The sealed checkout holds the base and its history, and nothing after: the fix commit (by id and by message),
 * later refs and tags, the hidden tests are not reachable from it by any git command an agent could run.
 */
const run = (cwd: string, ...args: string[]) => spawnSync('git', args, { cwd, encoding: 'utf8' });
const out = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' });

let h: EvalHistory;
let sealed: string;
beforeAll(async () => {
  h = makeEvalHistory();
  sealed = join(tempDir('duo-sealed-'), 'repo');
  // The base of the "Lowercase slugs" task is the first commit.
  await sealedCheckout(h.repo, h.sha.start, sealed);
});

describe('a sealed checkout', () => {
  it('is at the base, with a clean tree', () => {
    expect(out(sealed, 'rev-parse', 'HEAD').trim()).toBe(h.sha.start);
    expect(out(sealed, 'status', '--porcelain')).toBe('');
  });

  it('cannot reach the fix commit by its id, and no commit after the base is in it', () => {
    // The check is not vacuous: the source repository has the commit.
    expect(run(h.repo, 'cat-file', '-e', h.sha.lowercase).status).toBe(0);
    for (const later of Object.values(h.sha).filter((s) => s !== h.sha.start)) {
      expect(run(sealed, 'cat-file', '-e', later).status).not.toBe(0);
      expect(run(sealed, 'cat-file', '-e', later.slice(0, 10)).status).not.toBe(0);
    }
    const objects = out(sealed, 'cat-file', '--batch-all-objects', '--batch-check');
    const commits = objects.split('\n').filter((l) => l.includes(' commit '));
    expect(commits.map((l) => l.split(' ')[0])).toEqual([h.sha.start]);
  });

  it('shows neither the fix commit nor its message in `git log --all`, the reflog or any ref', () => {
    expect(out(h.repo, 'log', '--all', '--format=%H %B')).toContain('Lowercase slugs');
    const log = out(sealed, 'log', '--all', '--format=%H %B');
    expect(log).not.toContain(h.sha.lowercase);
    expect(log).not.toContain('Lowercase slugs');
    expect(out(sealed, 'rev-list', '--all').trim()).toBe(h.sha.start);
    expect(out(sealed, 'reflog', '--all')).not.toContain(h.sha.lowercase);
    expect(out(sealed, 'for-each-ref', '--format=%(refname)').trim()).toBe('refs/heads/main');
    expect(out(sealed, 'tag')).toBe('');
  });

  it('has no remote, no FETCH_HEAD and no alternates: nothing points back at the source repository', () => {
    expect(out(sealed, 'remote')).toBe('');
    expect(existsSync(join(sealed, '.git', 'FETCH_HEAD'))).toBe(false);
    expect(existsSync(join(sealed, '.git', 'objects', 'info', 'alternates'))).toBe(false);
    expect(readFileSync(join(sealed, '.git', 'config'), 'utf8')).not.toContain(h.repo);
    // A fetch of "origin" finds nothing to fetch from.
    expect(run(sealed, 'fetch', 'origin').status).not.toBe(0);
  });

  it('holds no hidden test: no object and no file mentions it', () => {
    const grep = run(sealed, 'grep', '-q', 'lowercases', ...out(sealed, 'rev-list', '--all').trim().split('\n'));
    expect(grep.status).toBe(1);
    expect(readFileSync(join(sealed, 'test', 'slug.test.js'), 'utf8')).not.toContain('lowercases');
  });

  it('says so when the base is not in the repository', async () => {
    await expect(sealedCheckout(h.repo, 'f'.repeat(40), join(tempDir(), 'x'))).rejects.toThrow(
      /is not in the repository/,
    );
  });
});
