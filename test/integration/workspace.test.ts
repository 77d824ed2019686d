import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, LockedError } from '../../src/record/lock.js';
import { gitDirsOf } from '../../src/workspace/git-reads.js';
import {
  ApplyError,
  applyRun,
  cleanRuns,
  createWorkspace,
  ensureRecordExcluded,
  findRepoRoot,
  NotARepoError,
  RepoError,
} from '../../src/workspace/index.js';
import { git, makeRepo, tempDir, treeFingerprint } from '../support/harness.js';

/** The workspace on real git in temp repos: isolation, snapshots, diffs, patch safety, apply, clean, the lock. */

let seq = 0;
const runId = () => `20261124-000000-t${++seq}${process.pid}`;

function dirtyRepo(): string {
  const repo = makeRepo({ 'a.txt': 'one\ntwo\nthree\n', 'b.txt': 'bee\n', 'src/c.js': 'export const c = 1;\n' });
  writeFileSync(join(repo, 'b.txt'), 'bee, edited by the user\n'); // unstaged
  writeFileSync(join(repo, 'new.txt'), 'untracked work\n'); // untracked
  writeFileSync(join(repo, 'src/c.js'), 'export const c = 2;\n');
  git(repo, 'add', 'src/c.js'); // staged
  return repo;
}

describe('repository checks', () => {
  it('names what is wrong and what to do', async () => {
    const plain = tempDir();
    await expect(findRepoRoot(plain)).rejects.toBeInstanceOf(NotARepoError);
    await expect(findRepoRoot(join(plain, 'nope'))).rejects.toThrow(/does not exist/);
    git(plain, 'init', '-q');
    await expect(findRepoRoot(plain)).rejects.toThrow(/no commits yet.*git commit/);
    const bare = tempDir();
    git(bare, 'init', '-q', '--bare');
    await expect(findRepoRoot(bare)).rejects.toThrow(/bare repository/);
    const repo = makeRepo({ 'a.txt': 'a\n' });
    mkdirSync(join(repo, 'deep', 'er'), { recursive: true });
    expect(await findRepoRoot(join(repo, 'deep', 'er'))).toBe(repo);
  });

  it('keeps .duo out of git through info/exclude, once, without a .gitignore', () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    ensureRecordExcluded(repo);
    ensureRecordExcluded(repo);
    const exclude = readFileSync(join(repo, '.git', 'info', 'exclude'), 'utf8');
    expect(exclude.match(/^\/\.duo\/$/gm)).toHaveLength(1);
    mkdirSync(join(repo, '.duo'));
    writeFileSync(join(repo, '.duo', 'x.json'), '{}');
    expect(git(repo, 'status', '--porcelain')).toBe('');
    expect(existsSync(join(repo, '.gitignore'))).toBe(false);
  });
});

describe('run worktrees', () => {
  it("leave the user's dirty tree and index byte-identical, and the run does not see their changes", async () => {
    const repo = dirtyRepo();
    const before = treeFingerprint(repo);
    const ws = createWorkspace(repo);
    const state = await ws.userTreeState();
    expect(state.branch).toBe('main');
    expect(state.dirty.sort()).toEqual(['b.txt', 'new.txt', 'src/c.js']);

    const id = runId();
    const wt = await ws.createWorktree(id, { includeUncommitted: false });
    expect(wt.branch).toBe(`duo/${id}`);
    expect(wt.path.startsWith(repo)).toBe(false);
    expect(wt.baseSha).toBe(git(repo, 'rev-parse', 'HEAD').trim());
    expect(readFileSync(join(wt.path, 'b.txt'), 'utf8')).toBe('bee\n');
    expect(existsSync(join(wt.path, 'new.txt'))).toBe(false);

    writeFileSync(join(wt.path, 'a.txt'), 'one\nTWO\nthree\n');
    writeFileSync(join(wt.path, 'added.txt'), 'from the run\n');
    const sha = await ws.commitAll(wt.path, 'duo: implementation');
    expect(sha).toMatch(/^[0-9a-f]{40}$/);
    expect(await ws.commitAll(wt.path, 'nothing')).toBeNull();
    const d = await ws.diff(wt.path, wt.baseSha, sha as string);
    expect(d.files.map((f) => f.path).sort()).toEqual(['a.txt', 'added.txt']);
    expect(d.text).toContain('+TWO');

    expect(treeFingerprint(repo)).toBe(before);
  });

  it('--include-uncommitted bases the run on a snapshot without touching the tree or the index', async () => {
    const repo = dirtyRepo();
    const before = treeFingerprint(repo);
    const ws = createWorkspace(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: true });
    expect(wt.includesUncommitted).toBe(true);
    expect(wt.baseSha).not.toBe(git(repo, 'rev-parse', 'HEAD').trim());
    expect(readFileSync(join(wt.path, 'b.txt'), 'utf8')).toBe('bee, edited by the user\n');
    expect(readFileSync(join(wt.path, 'new.txt'), 'utf8')).toBe('untracked work\n');
    expect(readFileSync(join(wt.path, 'src/c.js'), 'utf8')).toBe('export const c = 2;\n');
    expect(treeFingerprint(repo)).toBe(before);

    // Nothing uncommitted → the base is simply HEAD.
    const clean = makeRepo({ 'a.txt': 'a\n' });
    const w2 = await createWorkspace(clean).createWorktree(runId(), { includeUncommitted: true });
    expect(w2.includesUncommitted).toBe(false);
    expect(w2.baseSha).toBe(git(clean, 'rev-parse', 'HEAD').trim());
  });

  it('are recreated from the branch when the folder is gone, with the recorded base', async () => {
    const repo = dirtyRepo();
    const ws = createWorkspace(repo);
    const id = runId();
    const wt = await ws.createWorktree(id, { includeUncommitted: true });
    writeFileSync(join(wt.path, 'a.txt'), 'changed\n');
    const sha = await ws.commitAll(wt.path, 'step');
    rmSync(wt.path, { recursive: true, force: true });
    const again = await ws.openWorktree(id);
    expect(again.path).toBe(wt.path);
    expect(again.baseSha).toBe(wt.baseSha);
    expect(again.includesUncommitted).toBe(true);
    expect(await ws.head(again.path)).toBe(sha);
    expect(readFileSync(join(again.path, 'a.txt'), 'utf8')).toBe('changed\n');
    // resetTo drops uncommitted leftovers of an interrupted step.
    writeFileSync(join(again.path, 'a.txt'), 'half-written');
    writeFileSync(join(again.path, 'stray.txt'), 'x');
    await ws.resetTo(again.path, sha as string);
    expect(readFileSync(join(again.path, 'a.txt'), 'utf8')).toBe('changed\n');
    expect(existsSync(join(again.path, 'stray.txt'))).toBe(false);
    await expect(ws.openWorktree('no-such-run')).rejects.toBeInstanceOf(RepoError);
  });

  it('summarise binary and very large changes for the reviewer and say so', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const ws = createWorkspace(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: false });
    writeFileSync(join(wt.path, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 3, 0, 255]));
    writeFileSync(join(wt.path, 'big.txt'), Array.from({ length: 5000 }, (_, i) => `line ${i}`).join('\n'));
    writeFileSync(join(wt.path, 'a.txt'), 'small change\n');
    const d = await ws.diff(wt.path, wt.baseSha);
    const byPath = Object.fromEntries(d.files.map((f) => [f.path, f]));
    expect(byPath['logo.png']).toMatchObject({ binary: true, summarised: true });
    expect(byPath['big.txt']).toMatchObject({ binary: false, summarised: true, added: 5000 });
    expect(byPath['a.txt']).toMatchObject({ summarised: false, added: 1, removed: 1 });
    expect(d.text).toContain('+small change');
    expect(d.text).not.toContain('line 4999');
    expect(d.notes.join('\n')).toMatch(/binary file logo\.png/);
    expect(d.notes.join('\n')).toMatch(/large diff of big\.txt/);
  });

  it("read the statuses, line counts and text of one git process exactly as git's separate formats say", async () => {
    const repo = makeRepo({ 'a.txt': 'a\nb\n', 'gone.txt': 'bye\n', 'run.sh': 'echo\n', 'odd\tname ü.txt': 'x\n' });
    const ws = createWorkspace(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: false });
    writeFileSync(join(wt.path, 'a.txt'), 'a\nB\nc\n');
    rmSync(join(wt.path, 'gone.txt'));
    execFileSync('chmod', ['+x', join(wt.path, 'run.sh')]);
    writeFileSync(join(wt.path, 'odd\tname ü.txt'), 'y\n');
    writeFileSync(join(wt.path, 'new.bin'), Buffer.from([0, 1, 2, 0]));
    writeFileSync(join(wt.path, 'new.txt'), 'n\n');
    const d = await ws.diff(wt.path, wt.baseSha);
    const sep = (args: string[]) => git(wt.path, 'diff', '--cached', '--no-renames', ...args, wt.baseSha);
    const numstat = sep(['--numstat', '-z']).split('\0').filter(Boolean);
    const status = sep(['--name-status', '-z']).split('\0');
    expect(d.files.map((f) => f.path)).toEqual(numstat.map((e) => e.split('\t').slice(2).join('\t')));
    expect(d.files.map((f) => `${f.binary ? '-\t-' : `${f.added}\t${f.removed}`}\t${f.path}`)).toEqual(numstat);
    expect(d.files.flatMap((f) => [f.status, f.path])).toEqual(status.filter(Boolean));
    expect(d.files.map((f) => f.status)).toEqual(['M', 'D', 'A', 'A', 'M', 'M']);
    const chunks = sep(['--no-color', '--no-ext-diff']).split(/^(?=diff --git )/m);
    expect(chunks).toHaveLength(6);
    for (const chunk of chunks.filter((c) => !c.includes('new.bin'))) expect(d.text).toContain(chunk.trimEnd());
    expect(d.text).toContain('[duo: binary file new.bin (A): contents not shown]');
  });
});

describe('reading files at a commit', () => {
  it('reads a commit id once, but a ref again after it moved', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n' });
    const ws = createWorkspace(repo);
    const first = git(repo, 'rev-parse', 'HEAD').trim();
    expect((await ws.readManyAt(first, ['a.txt', 'gone.txt'])).get('a.txt')).toBe('one\n');
    writeFileSync(join(repo, 'a.txt'), 'two\n');
    git(repo, 'commit', '-qam', 'two');
    expect((await ws.readManyAt('HEAD', ['a.txt'])).get('a.txt')).toBe('two\n');
    const read = await ws.readManyAt(first, ['a.txt', 'gone.txt']);
    expect([...read]).toEqual([['a.txt', 'one\n']]);
  });

  it('keeps what changed between two commit ids, but asks again for refs, and hands out copies', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n' });
    const ws = createWorkspace(repo);
    const first = git(repo, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(repo, 'b.txt'), 'bee\n');
    git(repo, 'add', 'b.txt');
    git(repo, 'commit', '-qm', 'b');
    const second = git(repo, 'rev-parse', 'HEAD').trim();
    const changes = await ws.changedBetween(first, second);
    expect(changes).toEqual([{ path: 'b.txt', status: 'A' }]);
    (changes[0] as { path: string }).path = 'mutated';
    expect(await ws.changedBetween(first, second)).toEqual([{ path: 'b.txt', status: 'A' }]);
    writeFileSync(join(repo, 'a.txt'), 'two\n');
    git(repo, 'commit', '-qam', 'a');
    expect(await ws.changedBetween(first, 'HEAD')).toEqual([
      { path: 'a.txt', status: 'M' },
      { path: 'b.txt', status: 'A' },
    ]);
  });

  it('reads a path with a line break in it without shifting the others', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n', 'odd\nb.txt': 'odd\n', b: 'bee\n', 'z.txt': 'zed\n' });
    const ws = createWorkspace(repo);
    const head = git(repo, 'rev-parse', 'HEAD').trim();
    const read = await ws.readManyAt(head, ['a.txt', 'odd\nb.txt', 'b', 'z.txt']);
    expect(Object.fromEntries(read)).toEqual({ 'a.txt': 'one\n', 'odd\nb.txt': 'odd\n', b: 'bee\n', 'z.txt': 'zed\n' });
    expect(await ws.readAt(head, 'odd\nb.txt')).toBe('odd\n');
  });

  it('reads HEAD as git does in every layout: a branch, a linked worktree, detached, packed refs', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n' });
    const ws = createWorkspace(repo);
    const agree = async (cwd: string) => expect(await ws.head(cwd)).toBe(git(cwd, 'rev-parse', 'HEAD').trim());
    await agree(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: false });
    writeFileSync(join(wt.path, 'a.txt'), 'two\n');
    const moved = await ws.commitAll(wt.path, 'two');
    expect(moved).toBe(git(wt.path, 'rev-parse', 'HEAD').trim());
    expect(moved).not.toBe(wt.baseSha);
    await agree(wt.path);
    const common = git(wt.path, 'rev-parse', '--path-format=absolute', '--git-common-dir').trim();
    expect(gitDirsOf(wt.path)?.common).toBe(common);
    expect(gitDirsOf(repo)?.common).toBe(common);
    // Packed refs leave no loose ref file: git answers.
    git(repo, 'pack-refs', '--all');
    expect(existsSync(join(repo, '.git', 'refs', 'heads', wt.branch))).toBe(false);
    await agree(wt.path);
    await agree(repo);
    git(wt.path, 'checkout', '-q', '--detach', wt.baseSha);
    await agree(wt.path);
    expect(await ws.head(wt.path)).toBe(wt.baseSha);
  });
});

describe('a checkout untouched since a stamp', () => {
  it('is untouched only when no file, no git state and no HEAD moved; anything else sends duo to git status', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n', 'src/b.txt': 'bee\n' });
    const ws = createWorkspace(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: false });
    const head = wt.baseSha;
    const settle = () => execFileSync('sleep', ['0.03']); // past a clock tick
    const check = async (act: () => void) => {
      settle();
      const stamp = await ws.outsideStamp(wt.path);
      act();
      const untouched = await ws.untouchedSince(wt.path, stamp, head);
      await ws.outsideWrites(stamp);
      return untouched;
    };
    expect(await check(() => {})).toBe(true);
    // duo's own work just before the call (a status that may rewrite the index, a file written) is not the call's.
    git(wt.path, 'status', '--porcelain');
    writeFileSync(join(wt.path, 'src/b.txt'), 'bee\n');
    expect(await check(() => {})).toBe(true);
    expect(await check(() => readFileSync(join(wt.path, 'a.txt')))).toBe(true);
    expect(await check(() => writeFileSync(join(wt.path, 'src/b.txt'), 'changed\n'))).toBe(false);
    git(wt.path, 'checkout', '--', 'src/b.txt');
    expect(await check(() => writeFileSync(join(wt.path, 'new.txt'), 'x'))).toBe(false);
    rmSync(join(wt.path, 'new.txt'));
    expect(await check(() => rmSync(join(wt.path, 'a.txt')))).toBe(false);
    git(wt.path, 'checkout', '--', 'a.txt');
    // Only git's own state moved: the index, then HEAD.
    expect(await check(() => git(wt.path, 'rm', '-q', '--cached', 'a.txt'))).toBe(false);
    git(wt.path, 'reset', '-q');
    expect(await check(() => git(wt.path, 'commit', '-q', '--allow-empty', '-m', 'agent'))).toBe(false);
    // A stamp taken for another checkout, or none, says nothing about this one.
    const other = await ws.outsideStamp();
    expect(await ws.untouchedSince(wt.path, other, git(wt.path, 'rev-parse', 'HEAD').trim())).toBe(false);
    await ws.outsideWrites(other);
  });
});

describe("the gate's pristine checkouts", () => {
  it('are reused for the next commit, and anything an attempt left behind is gone', async () => {
    const repo = makeRepo({ 'a.txt': 'one\n', '.gitignore': 'out/\n' });
    const ws = createWorkspace(repo);
    const first = git(repo, 'rev-parse', 'HEAD').trim();
    writeFileSync(join(repo, 'a.txt'), 'two\n');
    git(repo, 'commit', '-qam', 'two');
    const second = git(repo, 'rev-parse', 'HEAD').trim();
    const path = await ws.pristineCheckout('t-final', first);
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('one\n');
    // What an attempt leaves: an untracked file, an ignored one, a tracked file rewritten.
    writeFileSync(join(path, 'stray.txt'), 'x');
    mkdirSync(join(path, 'out'));
    writeFileSync(join(path, 'out', 'cache.bin'), 'x');
    writeFileSync(join(path, 'a.txt'), 'tampered\n');
    expect(await ws.pristineCheckout('t-final', second)).toBe(path);
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('two\n');
    expect(existsSync(join(path, 'stray.txt'))).toBe(false);
    expect(existsSync(join(path, 'out'))).toBe(false);
    expect(git(path, 'status', '--porcelain', '--ignored')).toBe('');
    // Nothing left behind: reused as it is.
    expect(await ws.pristineCheckout('t-final', first)).toBe(path);
    expect(readFileSync(join(path, 'a.txt'), 'utf8')).toBe('one\n');
    // A folder that is no longer a checkout is made anew.
    rmSync(join(path, '.git'));
    expect(await ws.pristineCheckout('t-final', second)).toBe(path);
    expect(git(path, 'rev-parse', 'HEAD').trim()).toBe(second);
  });
});

describe('patches from parallel sub-tasks', () => {
  it('round-trip from a scratch worktree onto the run branch', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n', 'lib/util.js': 'export const u = 1;\n' });
    const ws = createWorkspace(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: false });
    const scratch = await ws.createScratch(`${wt.runId}-s1`, wt.baseSha);
    writeFileSync(join(scratch, 'lib/util.js'), 'export const u = 2;\n');
    writeFileSync(join(scratch, 'lib/new.js'), 'export const n = 1;\n');
    rmSync(join(scratch, 'a.txt'));
    const { patch, files } = await ws.extractPatch(scratch, wt.baseSha);
    expect(files.sort()).toEqual(['a.txt', 'lib/new.js', 'lib/util.js']);
    const check = await ws.checkPatch(patch, ['lib/**', 'a.txt'], wt.baseSha);
    expect(check).toEqual({ ok: true, violations: [], notes: [] });
    expect(await ws.applyPatch(wt.path, patch)).toEqual({ ok: true });
    expect(readFileSync(join(wt.path, 'lib/util.js'), 'utf8')).toBe('export const u = 2;\n');
    expect(existsSync(join(wt.path, 'a.txt'))).toBe(false);
    await ws.removeScratch(scratch);
    expect(existsSync(scratch)).toBe(false);
  });

  it('a conflicting patch reports the file and leaves the run worktree as it was', async () => {
    const repo = makeRepo({ 'a.txt': 'one\ntwo\nthree\n' });
    const ws = createWorkspace(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: false });
    const s1 = await ws.createScratch(`${wt.runId}-s1`, wt.baseSha);
    const s2 = await ws.createScratch(`${wt.runId}-s2`, wt.baseSha);
    writeFileSync(join(s1, 'a.txt'), 'one\nTWO from s1\nthree\n');
    writeFileSync(join(s2, 'a.txt'), 'one\nzwei from s2\nthree\n');
    const p1 = await ws.extractPatch(s1, wt.baseSha);
    const p2 = await ws.extractPatch(s2, wt.baseSha);
    expect(await ws.applyPatch(wt.path, p1.patch)).toEqual({ ok: true });
    const head = await ws.commitAll(wt.path, 'sub-task 1');
    const r = await ws.applyPatch(wt.path, p2.patch);
    expect(r.ok).toBe(false);
    expect(r.ok === false && r.conflicts).toContain('a.txt');
    expect(await ws.head(wt.path)).toBe(head);
    expect(readFileSync(join(wt.path, 'a.txt'), 'utf8')).toBe('one\nTWO from s1\nthree\n');
    expect(git(wt.path, 'status', '--porcelain')).toBe('');
  });

  describe('hostile patches are refused, never applied', () => {
    const repo = makeRepo({ 'src/a.js': 'a\n', 'docs/readme.md': 'r\n' });
    // A directory symlink that points out of the tree, committed in the base.
    symlinkSync('/etc', join(repo, 'etc-link'));
    git(repo, 'add', 'etc-link');
    git(repo, 'commit', '-qm', 'link');
    const base = git(repo, 'rev-parse', 'HEAD').trim();
    const ws = createWorkspace(repo);

    const filePatch = (path: string, body = '+x\n') =>
      `diff --git a/${path} b/${path}\nnew file mode 100644\nindex 0000000..587be6b\n--- /dev/null\n+++ b/${path}\n@@ -0,0 +1 @@\n${body}`;
    const cases: [string, string, RegExp][] = [
      ['a path climbing out with ..', filePatch('../outside.txt'), /climbs out/],
      ['a deeper .. climb', filePatch('src/../../outside.txt'), /climbs out/],
      ['an absolute path', filePatch('/tmp/owned.txt').replace('a//tmp', 'a/tmp'), /absolute|outside/],
      ['a hook inside .git', filePatch('.git/hooks/post-checkout'), /inside \.git/],
      ['.git in another case', filePatch('.GIT/config'), /inside \.git/],
      ['a nested .git', filePatch('vendor/.git/config'), /inside \.git/],
      [
        'a quoted path into .git',
        'diff --git "a/.git/hooks/pre-commit" "b/.git/hooks/pre-commit"\nnew file mode 100755\n--- /dev/null\n+++ "b/.git/hooks/pre-commit"\n@@ -0,0 +1 @@\n+evil\n',
        /inside \.git/,
      ],
      [
        'a rename into .git',
        'diff --git a/src/a.js b/src/a.js\nsimilarity index 100%\nrename from src/a.js\nrename to .git/config\n',
        /inside \.git/,
      ],
      [
        'a new symlink pointing out of the repository',
        'diff --git a/src/passwd b/src/passwd\nnew file mode 120000\nindex 0000000..1111111\n--- /dev/null\n+++ b/src/passwd\n@@ -0,0 +1 @@\n+/etc/passwd\n\\ No newline at end of file\n',
        /symlink pointing out/,
      ],
      [
        'a relative symlink climbing out',
        'diff --git a/src/up b/src/up\nnew file mode 120000\n--- /dev/null\n+++ b/src/up\n@@ -0,0 +1 @@\n+../../..\n\\ No newline at end of file\n',
        /symlink pointing out/,
      ],
      ['a write through a symlinked directory', filePatch('etc-link/cron.d/evil'), /through the symlink etc-link/],
      ['a file outside the declared files', filePatch('docs/readme2.md'), /declared files/],
    ];
    for (const [name, patch, reason] of cases) {
      it(name, async () => {
        const check = await ws.checkPatch(patch, ['src/**', 'etc-link/**', 'vendor/**', '.git/**', '.GIT/**'], base);
        expect(check.ok).toBe(false);
        expect(check.violations.map((v) => v.reason).join('; ')).toMatch(reason);
      });
    }

    it('notes binary content for the reviewer', async () => {
      const bin =
        'diff --git a/src/x.bin b/src/x.bin\nnew file mode 100644\nindex 0000000..e69de29\nGIT binary patch\nliteral 3\nKcmZQzWMT#Y01f~L\n\nliteral 0\nHcmV?d00001\n\n';
      const check = await ws.checkPatch(bin, ['src/**'], base);
      expect(check.ok).toBe(true);
      expect(check.notes.join()).toMatch(/binary file src\/x\.bin/);
    });
  });
});

describe('duo apply', () => {
  async function finishedRun(repo: string, edit: (path: string) => void) {
    const ws = createWorkspace(repo);
    const wt = await ws.createWorktree(runId(), { includeUncommitted: false });
    edit(wt.path);
    await ws.commitAll(wt.path, 'duo: implementation');
    return wt;
  }

  it("applies the run's change and keeps the user's own uncommitted work", async () => {
    const repo = dirtyRepo();
    const wt = await finishedRun(repo, (p) => {
      writeFileSync(join(p, 'a.txt'), 'one\ntwo\nthree\nfour\n');
      writeFileSync(join(p, 'run-new.txt'), 'new\n');
    });
    const headBefore = git(repo, 'rev-parse', 'HEAD');
    const r = await applyRun(repo, { branch: wt.branch, baseSha: wt.baseSha });
    expect(r.files.sort()).toEqual(['a.txt', 'run-new.txt']);
    expect(readFileSync(join(repo, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\nfour\n');
    expect(readFileSync(join(repo, 'run-new.txt'), 'utf8')).toBe('new\n');
    // The user's changes are all still there, staged where they were staged.
    expect(readFileSync(join(repo, 'b.txt'), 'utf8')).toBe('bee, edited by the user\n');
    expect(readFileSync(join(repo, 'new.txt'), 'utf8')).toBe('untracked work\n');
    expect(git(repo, 'diff', '--cached', '--name-only').trim()).toBe('src/c.js');
    expect(git(repo, 'rev-parse', 'HEAD')).toBe(headBefore);
  });

  it('applies into a file the user also edited when the hunks do not overlap', async () => {
    const repo = makeRepo({ 'a.txt': `${Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n')}\n` });
    writeFileSync(join(repo, 'a.txt'), readFileSync(join(repo, 'a.txt'), 'utf8').replace('l1\n', 'user\n'));
    const wt = await finishedRun(repo, (p) =>
      writeFileSync(join(p, 'a.txt'), readFileSync(join(p, 'a.txt'), 'utf8').replace('l18\n', 'run\n')),
    );
    await applyRun(repo, { branch: wt.branch, baseSha: wt.baseSha });
    const text = readFileSync(join(repo, 'a.txt'), 'utf8');
    expect(text).toContain('user\n');
    expect(text).toContain('run\n');
  });

  it('on a conflict stops with a clear message and leaves the tree byte-identical', async () => {
    const repo = dirtyRepo();
    writeFileSync(join(repo, 'a.txt'), 'one\nuser version\nthree\n');
    const wt = await finishedRun(repo, (p) => writeFileSync(join(p, 'a.txt'), 'one\nrun version\nthree\n'));
    const before = treeFingerprint(repo);
    const err = await applyRun(repo, { branch: wt.branch, baseSha: wt.baseSha }).catch((e) => e);
    expect(err).toBeInstanceOf(ApplyError);
    expect((err as ApplyError).conflicts).toEqual(['a.txt']);
    expect((err as Error).message).toMatch(/conflicts in a\.txt.*nothing was changed.*git merge duo\//s);
    expect(treeFingerprint(repo)).toBe(before);
    // And the run's side is intact on its branch.
    expect(git(repo, 'show', `${wt.branch}:a.txt`)).toBe('one\nrun version\nthree\n');
  });

  it('an untracked file of the user in the way is a conflict, not an overwrite', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    writeFileSync(join(repo, 'mine.txt'), 'the user wrote this\n');
    const wt = await finishedRun(repo, (p) => writeFileSync(join(p, 'mine.txt'), 'the run wrote this\n'));
    const before = treeFingerprint(repo);
    await expect(applyRun(repo, { branch: wt.branch, baseSha: wt.baseSha })).rejects.toBeInstanceOf(ApplyError);
    expect(readFileSync(join(repo, 'mine.txt'), 'utf8')).toBe('the user wrote this\n');
    expect(treeFingerprint(repo)).toBe(before);
  });
});

describe('duo clean and the run lock', () => {
  it('clean removes worktrees, scratch worktrees and branches of the given runs only', async () => {
    const repo = makeRepo({ 'a.txt': 'a\n' });
    const ws = createWorkspace(repo);
    const a = await ws.createWorktree(runId(), { includeUncommitted: false });
    const b = await ws.createWorktree(runId(), { includeUncommitted: false });
    const scratch = await ws.createScratch(`${a.runId}-s1`, a.baseSha);
    await cleanRuns(repo, [a.runId]);
    expect(existsSync(a.path)).toBe(false);
    expect(existsSync(scratch)).toBe(false);
    expect(git(repo, 'branch', '--list', a.branch).trim()).toBe('');
    expect(git(repo, 'config', '--get-regexp', '^branch\\.duo/').includes(a.runId)).toBe(false);
    expect(existsSync(b.path)).toBe(true);
    expect(git(repo, 'branch', '--format=%(refname:short)', '--list', b.branch).trim()).toBe(b.branch);
    expect(git(repo, 'worktree', 'list')).not.toContain(a.runId);
  });

  it('one process at a time; a dead owner is taken over', () => {
    const dir = tempDir();
    const release = acquireRunLock(dir);
    expect(() => acquireRunLock(dir)).toThrow(LockedError); // held, even by this same process
    release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);

    // A live other process holds it.
    const holder = execFileSync('sh', ['-c', 'sleep 30 >/dev/null 2>&1 & echo $!'], { encoding: 'utf8' }).trim();
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: Number(holder), host: hostname(), since: 'then' }));
    expect(() => acquireRunLock(dir)).toThrow(LockedError);
    expect(() => acquireRunLock(dir)).toThrow(new RegExp(`process ${holder}`));
    process.kill(Number(holder), 'SIGKILL');

    // A dead one (kill -9, reboot) does not leave the run stuck.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: 999_999_999, host: hostname(), since: 'then' }));
    const r2 = acquireRunLock(dir);
    expect(JSON.parse(readFileSync(join(dir, 'lock'), 'utf8')).pid).toBe(process.pid);
    r2();
    expect(() => acquireRunLock(join(dir, 'missing'))).toThrow(/no run record/);
  });
});
