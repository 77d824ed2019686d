/**
 * The workspace contract: every run works in its own git worktree on branch `duo/<runId>`, outside the user's
 * working tree, so nothing a run does can touch the user's files or index until they choose to apply. The user's
 * installed dependencies are linked into each checkout (dependencies.ts); writes through those links are found.
 */
import type { OutsideChange, OutsideStamp } from './dependencies.js';

export type { OutsideChange, OutsideStamp } from './dependencies.js';

export interface RunWorktree {
  runId: string;
  path: string;
  branch: string;
  /** The commit the run started from (HEAD, or a snapshot commit of the user's uncommitted work). */
  baseSha: string;
  /** True when the base includes a snapshot of the user's uncommitted changes. */
  includesUncommitted: boolean;
}

/** git's name-status letter for a changed path. */
export type ChangeStatus = 'A' | 'C' | 'D' | 'M' | 'R' | 'T' | 'U' | 'X';

export interface DiffSummary {
  /** Unified diff, with binary files and oversized file diffs replaced by one-line summaries. */
  text: string;
  files: { path: string; status: ChangeStatus; binary: boolean; added: number; removed: number; summarised: boolean }[];
  /** Human note when anything was summarised rather than pasted whole. */
  notes: string[];
}

export interface UserTreeState {
  branch: string | null;
  head: string | null;
  /** Uncommitted paths (staged, unstaged, untracked) at the time of asking. */
  dirty: string[];
}

export interface Workspace {
  readonly repoRoot: string;
  userTreeState(): Promise<UserTreeState>;
  /**
   * A run's worktree on branch duo/<runId>: at HEAD (or a snapshot of the uncommitted work), or for a review at
   * `at.head` with `at.base` recorded as the run's base.
   */
  createWorktree(
    runId: string,
    opts: { includeUncommitted: boolean; at?: { base: string; head: string } },
  ): Promise<RunWorktree>;
  /** Re-attach to an existing run worktree (resume); recreates it from the branch if the folder is gone. */
  openWorktree(runId: string): Promise<RunWorktree>;
  /**
   * Commit everything in the worktree (adds, edits, deletes); returns the sha, or null when there was nothing to
   * commit. `staged`: the caller just ran `changedPaths` and changed nothing since, so the index is already complete.
   */
  commitAll(path: string, message: string, opts?: { staged?: boolean }): Promise<string | null>;
  head(path: string): Promise<string>;
  /** A commit that changes no files and carries a record in its message (the agreed plan). */
  commitNote(path: string, message: string): Promise<string>;
  /** Paths changed in a worktree and not committed (modified, added, deleted, untracked). */
  changedFiles(path: string): Promise<string[]>;
  /** Put the worktree back to exactly `sha` (hard reset + clean): used on resume before re-running a step. */
  resetTo(path: string, sha: string): Promise<void>;
  diff(path: string, from: string, to?: string): Promise<DiffSummary>;

  /** What changed from commit `from` to the worktree's current files (committed or not, untracked included). */
  changedPaths(path: string, from: string): Promise<PathChange[]>;
  /** What changed between two commits. */
  changedBetween(from: string, to: string): Promise<PathChange[]>;
  /** A file's content at a commit; null when it does not exist there. */
  readAt(sha: string, file: string): Promise<string | null>;
  /** Every file path in a commit's tree (shared: a commit id is listed once, so the list is read-only). */
  listFiles(sha: string): Promise<readonly string[]>;
  /** Many files' contents at a commit in one call; files absent there are left out. */
  readManyAt(sha: string, files: readonly string[]): Promise<Map<string, string>>;
  /** A file's current content in a worktree; null when it does not exist. */
  readWorking(path: string, file: string): Promise<string | null>;
  /** Put files back as they are in commit `sha` (binary-safe); a file absent there is deleted. */
  restoreFrom(path: string, sha: string, files: string[]): Promise<void>;
  /** Write (content) or delete (null) files in a worktree, by path relative to it. */
  writeFiles(path: string, files: Record<string, string | null>): Promise<void>;

  /** Parallel sub-tasks, the baseline and the gate's overlays: a detached scratch worktree at `sha`, outside the user's tree. */
  createScratch(name: string, sha: string): Promise<string>;
  removeScratch(...paths: string[]): Promise<void>;
  /**
   * A scratch checkout of exactly `sha` and nothing else but the dependency links — reused across calls with the
   * same name (checked out again, cleaned of everything untracked and ignored) and verified pristine. The gate runs
   * here, never in a worktree an agent wrote in.
   */
  pristineCheckout(name: string, sha: string): Promise<string>;
  /**
   * Starts a window for outsideWrites: the user's working tree, linked dependency folders and the shared .git; with
   * `checkout`, also for untouchedSince on that checkout.
   */
  outsideStamp(checkout?: string): Promise<OutsideStamp>;
  /** What was written outside the run's checkouts since the stamp (the stamp is used up). */
  outsideWrites(stamp: OutsideStamp): Promise<OutsideChange[]>;
  /**
   * Whether nothing in checkout `path` changed since the stamp (taken for that checkout): no file or folder in it,
   * its git index the same file, and HEAD still `head`. True means git status would say what it said before; false
   * only that it might not (a write by duo itself within a clock tick of the stamp counts too), so the caller asks git.
   */
  untouchedSince(path: string, stamp: OutsideStamp, head: string): Promise<boolean>;
  /** The scratch worktree's changes since `base` (committed or not) as a binary-safe patch. */
  extractPatch(path: string, base: string): Promise<{ patch: string; files: string[] }>;
  /**
   * Refuses paths outside the repo, inside .git, through symlinks out of the tree, or outside `allowedGlobs`.
   * `base`: the commit the patch applies to, so paths through a directory that is a symlink there are refused too.
   */
  checkPatch(patch: string, allowedGlobs: string[], base?: string): Promise<PatchCheck>;
  /** 3-way apply onto a run worktree (never the user's tree); on conflict the worktree is left clean. */
  applyPatch(path: string, patch: string): Promise<{ ok: true } | { ok: false; conflicts: string[] }>;
}

export interface PathChange {
  path: string;
  status: 'A' | 'M' | 'D';
}

export interface PatchCheck {
  ok: boolean;
  violations: { path: string; reason: string }[];
  /** Binary files and oversized diffs: summarised for the reviewer, said in the report. */
  notes: string[];
}
