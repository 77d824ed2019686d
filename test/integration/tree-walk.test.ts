import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { changedSinceSnapshot, snapshotTree, walkNewer } from '../../src/workspace/tree-walk.js';
import { tempDir } from '../support/harness.js';

/** The in-process walk of the outside-write check gives find's answer, and gives way to find on a big tree. */

function stampBefore(dir: string): string {
  const file = join(dir, '..', `stamp-${Math.random().toString(36).slice(2)}`);
  writeFileSync(file, '');
  const t = Date.now() / 1000 - 0.05;
  utimesSync(file, t, t);
  return file;
}

const since = (stamp: string) => statSync(stamp, { bigint: true }).mtimeNs;

/** What `find` itself says, with the arguments the outside-write check gives it. */
function find(root: string, pruned: string[], stamp: string): string[] {
  const prune = [...pruned.flatMap((p) => ['-path', p, '-o']), '-name', 'node_modules'];
  const args = [root, '(', ...prune, ')', '-prune', '-o', '-cnewer', stamp, '-print0'];
  return execFileSync('find', args, { encoding: 'utf8' }).split('\0').filter(Boolean);
}

describe('walkNewer', () => {
  it('finds what find finds: writes, creations, deletions, a chmod, not in pruned folders or node_modules', () => {
    const root = join(tempDir(), 'repo');
    for (const d of ['src/deep', '.git', '.duo', 'node_modules/pkg', 'packages/a/node_modules/x', 'docs'])
      mkdirSync(join(root, d), { recursive: true });
    for (const f of ['src/a.js', 'src/deep/b.js', 'docs/c.md', 'old.txt', 'mode.sh', 'README.md'])
      writeFileSync(join(root, f), 'x');
    symlinkSync('src/a.js', join(root, 'link.js'));
    // Old enough that only what follows is newer than the stamp.
    execFileSync('sleep', ['0.1']);
    const stamp = stampBefore(root);
    writeFileSync(join(root, 'src/deep/b.js'), 'changed');
    writeFileSync(join(root, 'new.txt'), 'new');
    rmSync(join(root, 'old.txt'));
    execFileSync('chmod', ['+x', join(root, 'mode.sh')]);
    writeFileSync(join(root, '.git/config'), 'pruned');
    writeFileSync(join(root, '.duo/state'), 'pruned');
    writeFileSync(join(root, 'node_modules/pkg/index.js'), 'pruned by name');
    writeFileSync(join(root, 'packages/a/node_modules/x/i.js'), 'pruned by name');
    const pruned = ['.git', '.duo'].map((p) => join(root, p));
    const walked = walkNewer(root, {
      prune: new Set(pruned),
      pruneName: 'node_modules',
      since: since(stamp),
      maxListed: 50,
    });
    expect(walked).not.toBeNull();
    const found = find(root, pruned, stamp);
    expect([...(walked?.paths ?? [])].sort()).toEqual([...found].sort());
    expect(walked?.count).toBe(found.length);
    expect(found.map((p) => p.slice(root.length))).toEqual(
      expect.arrayContaining(['', '/src/deep/b.js', '/new.txt', '/mode.sh']),
    );
  });

  it('gives way to find on a tree over its budget, and does not try that tree again', () => {
    const root = join(tempDir(), 'big');
    mkdirSync(root);
    for (let i = 0; i < 1_600; i++) writeFileSync(join(root, `f${i}`), '');
    const stamp = stampBefore(root);
    expect(
      walkNewer(root, { prune: new Set(), pruneName: 'node_modules', since: since(stamp), maxListed: 50 }),
    ).toBeNull();
    rmSync(join(root, 'f0'));
    for (let i = 1; i < 1_600; i++) rmSync(join(root, `f${i}`));
    expect(
      walkNewer(root, { prune: new Set(), pruneName: 'node_modules', since: since(stamp), maxListed: 50 }),
    ).toBeNull();
  });
});

describe('snapshotTree and changedSinceSnapshot', () => {
  it('take what was written just before the snapshot for the user’s, and every write after it for the call’s', () => {
    const root = join(tempDir(), 'tree');
    mkdirSync(join(root, 'src'), { recursive: true });
    for (const f of ['old.txt', 'src/kept.js', 'src/gone.js']) writeFileSync(join(root, f), 'old');
    execFileSync('sleep', ['0.05']);
    // Saved by the user as the run starts: within a tick of the snapshot, so what it holds is kept.
    writeFileSync(join(root, 'saved.txt'), 'mine');
    writeFileSync(join(root, 'hot.txt'), 'aaaa');
    const opts = { prune: new Set<string>(), pruneName: 'node_modules' };
    const snap = snapshotTree(root, opts, statSync(join(root, 'saved.txt'), { bigint: true }).ctimeNs);
    expect(snap).not.toBeNull();
    const none = changedSinceSnapshot(root, { ...opts, maxListed: 50 }, snap as NonNullable<typeof snap>);
    expect(none).toEqual({ paths: [], count: 0 });
    // The call: the same size written at once (maybe the same tick), a new file, a deletion.
    writeFileSync(join(root, 'hot.txt'), 'bbbb');
    writeFileSync(join(root, 'src', 'new.js'), 'new');
    rmSync(join(root, 'src', 'gone.js'));
    const found = changedSinceSnapshot(root, { ...opts, maxListed: 50 }, snap as NonNullable<typeof snap>);
    expect(found?.paths.map((p) => p.slice(root.length + 1)).sort()).toEqual(['hot.txt', 'src', 'src/new.js']);
  });
});
