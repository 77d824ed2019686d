/**
 * `duo eval mine`: the repository's history as eval tasks. Each commit on the first-parent line (so a merged pull
 * request counts once, as its merge commit) that changes code and tests together is a candidate: its parent is the
 * base, its test files (the gate's isTestPath, gate/integrity/conventions.ts) are the hidden test patch, the rest
 * is the gold patch. The verify commands then run twice in a scratch worktree — at the base with the new tests,
 * and with the gold patch on top — and the tests that fail before and pass after are the task's FAIL_TO_PASS. A
 * candidate without any is skipped with the reason.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import picomatch from 'picomatch';
import type { Config } from '../config/schema.js';
import { isTestPath } from '../gate/integrity/index.js';
import type { Gate } from '../gate/types.js';
import { git, gitRaw } from '../workspace/git.js';
import { createWorkspace } from '../workspace/index.js';
import { measure, scratchName, taskCommands } from './measure.js';
import { applyPatch } from './patches.js';
import { problemStatement } from './problem.js';
import { EvalInputError, type EvalTask } from './task.js';
import { classify } from './test-ids.js';

export interface MineInput {
  repoRoot: string;
  gate: Gate;
  config: Pick<Config, 'verify' | 'limits' | 'verifyParallel'>;
  since?: Date;
  /** Stop after this many tasks. */
  limit?: number;
  /** Only commits whose code changes touch these globs. */
  paths?: string[];
  /** Verify commands (win over the config's; default: detected at each base). */
  verify?: string[];
  signal?: AbortSignal;
  onCommit?: (commit: MinedCommit) => void;
}

export interface MinedCommit {
  sha: string;
  subject: string;
  outcome: 'task' | 'skipped' | 'not-candidate';
  /** Why it is no task. */
  reason: string | null;
  failToPass: number;
  passToPass: number;
  /** Time spent measuring it (0 for a commit that was not a candidate). */
  durationMs: number;
}

export interface MineResult {
  tasks: EvalTask[];
  commits: MinedCommit[];
  interrupted: boolean;
}

export async function mineTasks(input: MineInput): Promise<MineResult> {
  const { repoRoot } = input;
  const range = [
    'rev-list',
    '--first-parent',
    ...(input.since ? [`--since=${input.since.toISOString()}`] : []),
    'HEAD',
  ];
  const shas = (await git(repoRoot, range)).split('\n').filter(Boolean);
  const repo = await repoName(repoRoot);
  const inPaths = input.paths?.length ? picomatch(input.paths, { dot: true }) : null;
  const tasks: EvalTask[] = [];
  const commits: MinedCommit[] = [];
  for (const sha of shas) {
    if (input.signal?.aborted) return { tasks, commits, interrupted: true };
    if (input.limit !== undefined && tasks.length >= input.limit) break;
    const mined = await mineCommit(input, sha, repo, inPaths);
    commits.push(mined.commit);
    if (mined.task) tasks.push(mined.task);
    input.onCommit?.(mined.commit);
  }
  return { tasks, commits, interrupted: false };
}

async function mineCommit(
  input: MineInput,
  sha: string,
  repo: string,
  inPaths: ((path: string) => boolean) | null,
): Promise<{ commit: MinedCommit; task?: EvalTask }> {
  const { repoRoot } = input;
  const [parents = '', subject = '', message = '', date = ''] = (
    await git(repoRoot, ['log', '-1', '--format=%P%x00%s%x00%B%x00%cI', sha])
  ).split('\0');
  const commit: MinedCommit = {
    sha,
    subject,
    outcome: 'not-candidate',
    reason: null,
    failToPass: 0,
    passToPass: 0,
    durationMs: 0,
  };
  const base = parents.split(' ').filter(Boolean)[0];
  if (!base) return { commit: { ...commit, reason: 'the first commit: no base to start from' } };
  const changed = (
    await git(repoRoot, ['diff', '--name-only', '-z', '--no-renames', base, sha], { stripFinalNewline: false })
  )
    .split('\0')
    .filter(Boolean);
  const tests = changed.filter(isTestPath);
  const code = changed.filter((p) => !isTestPath(p));
  if (!tests.length) return { commit: { ...commit, reason: 'changes no tests' } };
  if (!code.length) return { commit: { ...commit, reason: 'changes only tests' } };
  if (inPaths && !code.some(inPaths)) return { commit: { ...commit, reason: 'changes no code under --paths' } };

  const started = Date.now();
  const diff = (files: string[]) =>
    git(
      repoRoot,
      ['--literal-pathspecs', 'diff', '--binary', '--full-index', '--no-renames', base, sha, '--', ...files],
      {
        stripFinalNewline: false,
      },
    );
  const [testPatch, goldPatch] = await Promise.all([diff(tests), diff(code)]);
  const measured = await measureCommit(input, base, sha, testPatch, goldPatch);
  const done = (outcome: MinedCommit['outcome'], reason: string | null, extra: Partial<MinedCommit> = {}) => ({
    ...commit,
    outcome,
    reason,
    durationMs: Date.now() - started,
    ...extra,
  });
  if ('skip' in measured) return { commit: done('skipped', measured.skip) };
  const { failToPass, passToPass, failingAtFix, commands } = measured;
  if (!failToPass.length) {
    const reason = failingAtFix.length
      ? `no test goes from failing to passing: ${shown(failingAtFix)} still fail(s) at the commit`
      : 'its tests already pass at the base: nothing for the fix to make pass';
    return { commit: done('skipped', reason) };
  }
  const task: EvalTask = {
    instance_id: `${repo.replace(/\//g, '__')}-${sha.slice(0, 12)}`,
    repo,
    base_commit: base,
    problem_statement: await problemStatement(repoRoot, base, await withMergedCommits(repoRoot, parents, message)),
    patch: goldPatch,
    test_patch: testPatch,
    FAIL_TO_PASS: failToPass,
    PASS_TO_PASS: passToPass,
    verify: commands,
    created_at: date.trim(),
  };
  return {
    commit: done('task', null, { failToPass: failToPass.length, passToPass: passToPass.length }),
    task,
  };
}

type Measured =
  | { skip: string }
  | { failToPass: string[]; passToPass: string[]; failingAtFix: string[]; commands: string[] };

/** The verify commands at the base with the new tests, then with the gold patch too, in one scratch worktree. */
async function measureCommit(
  input: MineInput,
  base: string,
  sha: string,
  testPatch: string,
  goldPatch: string,
): Promise<Measured> {
  const workspace = createWorkspace(input.repoRoot);
  const scratch = await workspace.createScratch(scratchName('eval-mine', sha), base);
  const logDir = mkdtempSync(join(tmpdir(), 'duo-eval-mine-'));
  try {
    const commands = await taskCommands(input.gate, scratch, input.verify, input.config.verify);
    if (!commands.length)
      throw new EvalInputError(
        `no verify command at ${base.slice(0, 12)}: give one with --verify "<cmd>" or "verify" in duo.config.json, so ` +
          'mining can tell which tests a commit makes pass.',
      );
    const opts = {
      cwd: scratch,
      logDir,
      timeoutMs: input.config.limits.verifyTimeoutMs,
      parallel: input.config.verifyParallel,
      ...(input.signal ? { signal: input.signal } : {}),
    };
    const testsFailed = await applyPatch(scratch, testPatch);
    if (testsFailed) return { skip: `its tests do not apply at the base (${testsFailed})` };
    const before = await measure(input.gate, commands, { ...opts, label: 'base' });
    const goldFailed = await applyPatch(scratch, goldPatch);
    if (goldFailed) return { skip: `its code change does not apply over its tests (${goldFailed})` };
    const after = await measure(input.gate, commands, { ...opts, label: 'fix' });
    return { ...classify(before, after), commands: commands.map((c) => c.command) };
  } finally {
    await workspace.removeScratch(scratch);
    rmSync(logDir, { recursive: true, force: true });
  }
}

/** A merge commit's message says little ("Merge pull request #7"): the subjects of the commits it brings in say more. */
async function withMergedCommits(repoRoot: string, parents: string, message: string): Promise<string> {
  const [first, ...merged] = parents.split(' ').filter(Boolean);
  if (!first || !merged.length) return message;
  const subjects = await git(repoRoot, ['log', '--no-merges', '--reverse', '--format=- %s', `^${first}`, ...merged]);
  return subjects.trim() ? `${message.trim()}\n\nCommits in this merge:\n${subjects.trim()}` : message;
}

const shown = (ids: string[]) =>
  ids
    .slice(0, 3)
    .map((id) => `"${id}"`)
    .join(', ') + (ids.length > 3 ? ', …' : '');

/** owner/name from the origin remote (SWE-bench's `repo`), else the folder's name. */
async function repoName(repoRoot: string): Promise<string> {
  const url = await gitRaw(repoRoot, ['remote', 'get-url', 'origin']);
  const m = /[:/]([^/:]+\/[^/]+?)(?:\.git)?\/?$/.exec(url.stdout.trim());
  return url.exitCode === 0 && m ? (m[1] as string) : basename(repoRoot);
}
