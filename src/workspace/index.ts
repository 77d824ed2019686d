import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { duoHome } from '../sys/home.js';
import { assertPristine, dependencyLinker, hasWorktreeLink, isWorktree, pristineProblem } from './checkouts.js';
import { type DependencyDir, fileIdentity, outsideChanges, outsideStamp } from './dependencies.js';
import { summariseDiff } from './diff.js';
import { COMMIT_CONFIG, GitError, git, gitRaw } from './git.js';
import {
  commitReader,
  gitDirsOf,
  headCommit,
  isCommitId,
  keptOnce,
  nameStatus,
  porcelainPaths,
  symlinkPaths,
} from './git-reads.js';
import { checkParsedPatch } from './patch.js';
import { RepoError } from './repo-errors.js';
import { snapshotCommit } from './snapshot.js';
import { walkNewer } from './tree-walk.js';
import type { DiffSummary, PatchCheck, PathChange, RunWorktree, UserTreeState, Workspace } from './types.js';

export { applyRun } from './apply.js';
export { ensureRecordExcluded, findRepoRoot } from './repo.js';
export { ApplyError, NotARepoError, RepoError } from './repo-errors.js';
export { reviewRange, snapshotCommit } from './snapshot.js';

/** Where a repo's run worktrees live: outside the user's tree, under $DUO_HOME (default ~/.cache/duo). */
export function worktreesRoot(repoRoot: string, override?: string): string {
  const home = duoHome();
  const id = createHash('sha1').update(resolve(repoRoot)).digest('hex').slice(0, 8);
  return join(override ?? join(home, 'worktrees'), `${basename(repoRoot)}-${id}`);
}

const runBranch = (runId: string) => `duo/${runId}`;

/**
 * The workspace port on git, in steps: where the checkouts live, the dependency folders linked into each
 * (checkouts.ts), the reads at a commit (git-reads.ts, cached by commit id), then the operations — the user's
 * tree, run worktrees, commits, diffs, files, scratch and pristine checkouts, writes outside, patches.
 */
export function createWorkspace(repoRoot: string, opts: { worktreesDir?: string } = {}): Workspace {
  const root = worktreesRoot(repoRoot, opts.worktreesDir);
  const scratchRoot = join(root, 'scratch');
  const reader = commitReader(repoRoot);
  const dependencies = dependencyLinker(repoRoot, reader.listFiles);
  const linkDeps = dependencies.link;
  /** What changed between two commit ids, by `from..to`. */
  const between = new Map<string, Promise<PathChange[]>>();
  let common: Promise<string> | undefined;
  /** The repository's common git directory: read from .git as git does, and asked of git when that is unusual. */
  const gitCommonDir = () => {
    common ??= (async () => {
      const known = gitDirsOf(repoRoot)?.common;
      if (known) return known;
      const d = await git(repoRoot, ['rev-parse', '--git-common-dir']);
      return isAbsolute(d) ? d : join(repoRoot, d);
    })();
    return common;
  };

  return {
    repoRoot,
    ...reader,

    async userTreeState(): Promise<UserTreeState> {
      const branch = await gitRaw(repoRoot, ['symbolic-ref', '--short', '-q', 'HEAD']);
      const head = await gitRaw(repoRoot, ['rev-parse', '--verify', '-q', 'HEAD']);
      const dirty = await porcelainPaths(repoRoot);
      return {
        branch: branch.exitCode === 0 ? branch.stdout.trim() : null,
        head: head.exitCode === 0 ? head.stdout.trim() : null,
        dirty: dirty.filter((p) => p !== '.duo/' && !p.startsWith('.duo/')),
      };
    },

    async createWorktree(runId, { includeUncommitted, at }): Promise<RunWorktree> {
      const head = await headCommit(repoRoot);
      const snapshot = !at && includeUncommitted ? await snapshotCommit(repoRoot, 'uncommitted') : null;
      const baseSha = at?.base ?? snapshot ?? head;
      // A review's worktree holds what is reviewed (at.head) on a branch whose recorded base is the review's base.
      const tip = at?.head ?? baseSha;
      const path = join(root, runId);
      const branch = runBranch(runId);
      mkdirSync(root, { recursive: true });
      dependencies.prefetch(baseSha);
      await git(repoRoot, ['worktree', 'add', '-q', '-b', branch, path, tip]);
      await linkDeps(path, baseSha);
      // Remembered on the branch so a resume after a crash or reboot knows what the run was based on.
      await git(repoRoot, ['config', `branch.${branch}.duoBase`, baseSha]);
      // Absent reads as false (openWorktree): one git process less for the usual run.
      if (snapshot) await git(repoRoot, ['config', `branch.${branch}.duoUncommitted`, 'true']);
      return { runId, path, branch, baseSha, includesUncommitted: !!snapshot };
    },

    async openWorktree(runId): Promise<RunWorktree> {
      const branch = runBranch(runId);
      const exists = await gitRaw(repoRoot, ['rev-parse', '--verify', '-q', `refs/heads/${branch}`]);
      if (exists.exitCode !== 0)
        throw new RepoError(
          `the branch ${branch} of run ${runId} is gone (deleted, or \`duo clean\`); it cannot be resumed.`,
        );
      const base = await gitRaw(repoRoot, ['config', '--get', `branch.${branch}.duoBase`]);
      if (base.exitCode !== 0) throw new RepoError(`run ${runId}'s branch ${branch} has no recorded base commit.`);
      const uncommitted = await gitRaw(repoRoot, ['config', '--get', `branch.${branch}.duoUncommitted`]);
      const path = join(root, runId);
      if (!(await isWorktree(path))) {
        // The folder went away (temp cleaner, reboot, by hand): recreate it from the branch.
        rmSync(path, { recursive: true, force: true });
        await git(repoRoot, ['worktree', 'prune']);
        mkdirSync(root, { recursive: true });
        await git(repoRoot, ['worktree', 'add', '-q', path, branch]);
      }
      await linkDeps(path, base.stdout.trim());
      return {
        runId,
        path,
        branch,
        baseSha: base.stdout.trim(),
        includesUncommitted: uncommitted.stdout.trim() === 'true',
      };
    },

    async commitAll(path, message, opts = {}) {
      if (!opts.staged) await git(path, ['add', '-A']);
      // Most calls have something to commit: git is asked whether the index was empty only when it refuses.
      const args = [...COMMIT_CONFIG, 'commit', '-q', '--no-verify', '-m', message];
      const commit = await gitRaw(path, args);
      if (commit.exitCode !== 0) {
        if ((await gitRaw(path, ['diff', '--cached', '--quiet'])).exitCode === 0) return null;
        throw new GitError(args, commit);
      }
      return headCommit(path);
    },

    head: headCommit,

    async commitNote(path, message) {
      await git(path, [...COMMIT_CONFIG, 'commit', '-q', '--no-verify', '--allow-empty', '-F', '-'], {
        input: message,
      });
      return headCommit(path);
    },

    changedFiles: porcelainPaths,

    async resetTo(path, sha) {
      await git(path, ['reset', '-q', '--hard', sha]);
      await git(path, ['clean', '-q', '-fd']);
    },

    async diff(path, from, to): Promise<DiffSummary> {
      if (to === undefined) await git(path, ['add', '-A']);
      const range = to === undefined ? ['--cached', from] : [from, to];
      return summariseDiff(path, range);
    },

    async changedPaths(path, from) {
      await git(path, ['add', '-A']);
      return nameStatus(
        await git(path, ['diff', '--cached', '--name-status', '--no-renames', '-z', from], {
          stripFinalNewline: false,
        }),
      );
    },

    changedBetween(from, to) {
      const read = async () =>
        nameStatus(
          await git(repoRoot, ['diff', '--name-status', '--no-renames', '-z', from, to], { stripFinalNewline: false }),
        );
      // Between two commit ids the answer never changes: a reviewer's sight and the gate ask for the same pair.
      if (!isCommitId(from) || !isCommitId(to)) return read();
      return keptOnce(between, `${from}..${to}`, read).then((changes) => changes.map((c) => ({ ...c })));
    },

    async readWorking(path, file) {
      const target = resolve(path, file);
      return existsSync(target) ? readFileSync(target, 'utf8') : null;
    },

    async restoreFrom(path, sha, files) {
      const present: string[] = [];
      for (const f of files) {
        const there = await gitRaw(repoRoot, ['cat-file', '-e', `${sha}:${f}`]);
        if (there.exitCode === 0) present.push(f);
        else await this.writeFiles(path, { [f]: null });
      }
      if (present.length) await git(path, ['checkout', sha, '--', ...present]);
    },

    async writeFiles(path, files) {
      for (const [rel, content] of Object.entries(files)) {
        const target = resolve(path, rel);
        const inside = relative(path, target);
        if (inside.startsWith('..') || inside.split(/[\\/]/).includes('.git'))
          throw new RepoError(`refused to write ${rel}: outside the worktree`);
        if (content === null) rmSync(target, { force: true });
        else {
          mkdirSync(dirname(target), { recursive: true });
          writeFileSync(target, content);
        }
      }
    },

    async createScratch(name, sha) {
      const path = join(scratchRoot, name);
      if (existsSync(path)) await this.removeScratch(path);
      mkdirSync(scratchRoot, { recursive: true });
      await git(repoRoot, ['worktree', 'add', '-q', '--detach', path, sha]);
      await linkDeps(path, sha);
      return path;
    },

    async pristineCheckout(name, sha) {
      const path = join(scratchRoot, name);
      dependencies.prefetch(sha);
      let deps: DependencyDir[];
      // A checkout left by an earlier attempt is reused; one git cannot move to the commit is made anew.
      const reused =
        hasWorktreeLink(path) && (await gitRaw(path, ['checkout', '-q', '-f', '--detach', sha])).exitCode === 0;
      if (reused) {
        deps = await linkDeps(path, sha);
        // An attempt that left nothing behind needs no clean: git's own look at the folder says whether one did.
        if (!(await pristineProblem(path, sha, deps))) return path;
        await git(path, ['clean', '-q', '-ffdx', ...deps.flatMap((d) => ['-e', `/${d.rel}`])]);
      } else {
        rmSync(path, { recursive: true, force: true });
        await gitRaw(repoRoot, ['worktree', 'prune']);
        mkdirSync(scratchRoot, { recursive: true });
        await git(repoRoot, ['worktree', 'add', '-q', '--detach', path, sha]);
        deps = await linkDeps(path, sha);
      }
      await assertPristine(path, sha, deps);
      return path;
    },

    async outsideStamp(checkout) {
      const stamp = outsideStamp(await gitCommonDir(), join(root, 'stamps'), { root: repoRoot, skip: [root] });
      const gitDir = checkout ? gitDirsOf(checkout)?.gitDir : undefined;
      if (checkout) stamp.checkout = { path: checkout, index: gitDir ? fileIdentity(join(gitDir, 'index')) : null };
      return stamp;
    },

    async outsideWrites(stamp) {
      return outsideChanges(stamp, dependencies.linked(), await gitCommonDir(), { root: repoRoot, skip: [root] });
    },

    async untouchedSince(path, stamp, head) {
      const dirs = gitDirsOf(path);
      if (!dirs || stamp.checkout?.path !== path) return false;
      // The index as it was when the call started: git replaces it whole (a new inode) whenever it writes it.
      const index = fileIdentity(join(dirs.gitDir, 'index'));
      if (!index || index !== stamp.checkout.index) return false;
      const since = stamp.since;
      const files = walkNewer(path, {
        prune: new Set([join(path, '.git')]),
        pruneName: 'node_modules',
        since,
        maxListed: 1,
      });
      if (!files || files.count) return false;
      return (await headCommit(path).catch(() => null)) === head;
    },

    async removeScratch(...paths) {
      // The folders first, then git forgets every worktree whose folder is gone: one git process for them all.
      for (const path of paths) rmSync(path, { recursive: true, force: true });
      await gitRaw(repoRoot, ['worktree', 'prune']);
    },

    async extractPatch(path, base) {
      await git(path, ['add', '-A']);
      const patch = await git(path, ['diff', '--cached', '--binary', '--no-renames', base], {
        stripFinalNewline: false,
      });
      const names = await git(path, ['diff', '--cached', '--name-only', '--no-renames', '-z', base], {
        stripFinalNewline: false,
      });
      return { patch, files: names.split('\0').filter(Boolean) };
    },

    async checkPatch(patch, allowedGlobs, base): Promise<PatchCheck> {
      return checkParsedPatch(patch, allowedGlobs, base ? await symlinkPaths(repoRoot, base) : []);
    },

    async applyPatch(path, patch) {
      const r = await gitRaw(path, ['apply', '--3way', '--index', '--whitespace=nowarn', '-'], { input: patch });
      if (r.exitCode === 0) return { ok: true as const };
      const unmerged = (await git(path, ['diff', '--name-only', '--diff-filter=U'])).split('\n').filter(Boolean);
      const failed = [...r.stderr.matchAll(/error: (?:patch failed: |)([^:\n]+)(?::\d+)?: ?/g)].map((m) => m[1] ?? '');
      const conflicts = [...new Set([...unmerged, ...failed.filter((f) => f && !f.startsWith('error'))])];
      // Leave the run worktree exactly as it was before the attempt.
      await git(path, ['reset', '-q', '--hard', 'HEAD']);
      await git(path, ['clean', '-q', '-fd']);
      return {
        ok: false as const,
        conflicts: conflicts.length ? conflicts : [r.stderr.trim().split('\n')[0] ?? 'patch'],
      };
    },
  };
}

/** Removes runs' worktrees, scratch worktrees and branches; records under .duo stay (the CLI decides). */
export async function cleanRuns(
  repoRoot: string,
  runIds: string[],
  opts: { worktreesDir?: string } = {},
): Promise<void> {
  const root = worktreesRoot(repoRoot, opts.worktreesDir);
  const scratch = join(root, 'scratch');
  for (const id of runIds) {
    const dirs = [join(root, id)];
    if (existsSync(scratch))
      for (const d of readdirSync(scratch)) if (d.startsWith(`${id}-`)) dirs.push(join(scratch, d));
    for (const d of dirs) {
      await gitRaw(repoRoot, ['worktree', 'remove', '--force', d]);
      rmSync(d, { recursive: true, force: true });
    }
    await gitRaw(repoRoot, ['worktree', 'prune']);
    await gitRaw(repoRoot, ['branch', '-q', '-D', runBranch(id)]);
    await gitRaw(repoRoot, ['config', '--remove-section', `branch.${runBranch(id)}`]);
  }
}

/** The run ids whose branch `duo/<runId>` exists, in one git call. */
export async function existingRunBranches(repoRoot: string): Promise<Set<string>> {
  const out = await git(repoRoot, ['for-each-ref', '--format=%(refname:strip=3)', 'refs/heads/duo/']);
  return new Set(out.split('\n').filter(Boolean));
}

/** Whether `duo clean` has anything to remove for the run: its branch, its worktree or a scratch worktree. */
export function hasRunWorktrees(repoRoot: string, runId: string, opts: { worktreesDir?: string } = {}): boolean {
  const root = worktreesRoot(repoRoot, opts.worktreesDir);
  const scratch = join(root, 'scratch');
  return (
    existsSync(join(root, runId)) ||
    (existsSync(scratch) && readdirSync(scratch).some((d) => d.startsWith(`${runId}-`)))
  );
}
