import { describe, expect, it } from 'vitest';
import { AgentError } from '../../../src/agents/failure.js';
import {
  commitStep,
  enforceReadOnly,
  guardSpendCap,
  needsReset,
  onFailure,
  worktreeCleanAfter,
} from '../../../src/protocol/agent-guards.js';
import { Paused } from '../../../src/protocol/run-stops.js';

/** The guards invokeAgent runs around every agent call, each alone, on fake workspaces (no git, no processes). */

const limits = { retries: 2, retryBaseMs: 100 };

describe('guardSpendCap', () => {
  it('lets a call through when no cap is reached', () => {
    expect(() => guardSpendCap('claude', null)).not.toThrow();
    expect(() => guardSpendCap('claude', undefined)).not.toThrow();
  });
  it('pauses the run until the cap resets, saying which cap', () => {
    try {
      guardSpendCap('codex', { until: '2026-03-10T14:00:00.000Z', why: 'daily $5 cap' });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Paused);
      expect((e as Paused).agent).toBe('codex');
      expect((e as Paused).until).toBe('2026-03-10T14:00:00.000Z');
      expect((e as Paused).message).toContain('daily $5 cap');
    }
  });
});

describe('needsReset', () => {
  it('resets a write try in the run worktree that is not known clean at headSha', () => {
    expect(needsReset('write', true, 'abc', false)).toBe(true);
  });
  it('does not reset a clean worktree, a read-only call, a scratch worktree, or before the first checkpoint', () => {
    expect(needsReset('write', true, 'abc', true)).toBe(false);
    expect(needsReset('read-only', true, 'abc', false)).toBe(false);
    expect(needsReset('write', false, 'abc', false)).toBe(false);
    expect(needsReset('write', true, null, false)).toBe(false);
  });
});

describe('worktreeCleanAfter', () => {
  it('a write try makes the worktree unknown, a commit makes it clean', () => {
    expect(worktreeCleanAfter({ kind: 'write-start' })).toBe(false);
    expect(worktreeCleanAfter({ kind: 'committed' })).toBe(true);
    expect(worktreeCleanAfter({ kind: 'touched' })).toBe(false);
  });
  it('a worktree duo checked out or reset at headSha is clean', () => {
    expect(worktreeCleanAfter({ kind: 'placed' })).toBe(true);
  });
  it('a read-only violation leaves it clean only when duo discarded the writes', () => {
    expect(worktreeCleanAfter({ kind: 'read-only-violation', discarded: true })).toBe(true);
    expect(worktreeCleanAfter({ kind: 'read-only-violation', discarded: false })).toBe(false);
  });
  it('a read-only call that wrote nothing leaves it as clean as it found it', () => {
    expect(worktreeCleanAfter({ kind: 'read-only-checked', wasClean: true })).toBe(true);
    expect(worktreeCleanAfter({ kind: 'read-only-checked', wasClean: false })).toBe(false);
  });
});

function fakeWorkspace(changed: string[], head = 'h1') {
  const calls: string[] = [];
  return {
    calls,
    changedFiles: async () => changed,
    resetTo: async (_cwd: string, sha: string) => {
      calls.push(`reset ${sha}`);
    },
    head: async () => head,
    commitAll: async (_cwd: string, msg: string, opts?: { staged?: boolean }) => {
      calls.push(`commit ${msg} staged=${opts?.staged}`);
      return changed.length ? 'c1' : null;
    },
  };
}

describe('enforceReadOnly', () => {
  it('finds nothing when the call wrote nothing new', async () => {
    const ws = fakeWorkspace(['dirty.txt']);
    expect(await enforceReadOnly(ws, '/w', ['dirty.txt'])).toBeUndefined();
    expect(ws.calls).toEqual([]);
  });
  it('discards the writes of a call that started from a clean worktree, and says so', async () => {
    const ws = fakeWorkspace(['src/a.ts']);
    const v = await enforceReadOnly(ws, '/w', []);
    expect(v).toEqual({ paths: ['src/a.ts'], discarded: true });
    expect(ws.calls).toEqual(['reset h1']);
  });
  it('keeps the writes when the worktree held changes before (a reset would lose them), and says so', async () => {
    const ws = fakeWorkspace(['mine.txt', 'src/a.ts']);
    const v = await enforceReadOnly(ws, '/w', ['mine.txt']);
    expect(v).toEqual({ paths: ['src/a.ts'], discarded: false });
    expect(ws.calls).toEqual([]);
  });
});

describe('commitStep', () => {
  it('commits nothing when the call changed nothing', async () => {
    const ws = fakeWorkspace([]);
    expect(await commitStep(ws, '/w', 'msg', 'p0', 0, 0)).toBeNull();
    expect(ws.calls).toEqual([]);
  });
  it('commits from the staged index unless protected edits were reverted after staging', async () => {
    const ws = fakeWorkspace(['a.ts']);
    expect(await commitStep(ws, '/w', 'm', 'p0', 1, 0)).toBe('c1');
    expect(await commitStep(ws, '/w', 'm', 'p0', 1, 2)).toBe('c1');
    expect(ws.calls).toEqual(['commit m staged=true', 'commit m staged=false']);
  });
  it("takes the agent's own commit as the step's when nothing was left to stage", async () => {
    expect(await commitStep(fakeWorkspace([], 'moved'), '/w', 'm', 'p0', 1, 0)).toBe('moved');
    expect(await commitStep(fakeWorkspace([], 'p0'), '/w', 'm', 'p0', 1, 0)).toBeNull();
  });
});

describe('onFailure', () => {
  const quiet = { aborted: false, resuming: false };
  it('stops on Ctrl-C, whatever failed', () => {
    expect(onFailure(new AgentError('a', 'aborted', 'x'), 0, limits, quiet)).toEqual({ kind: 'interrupt' });
    expect(onFailure(new AgentError('a', 'crashed', 'x'), 0, limits, { ...quiet, aborted: true })).toEqual({
      kind: 'interrupt',
    });
  });
  it('pauses on a plan limit with a known reset, rather than spending retries', () => {
    const err = new AgentError('a', 'rate-limited', 'x');
    err.resetAt = '2026-03-10T14:00:00.000Z';
    expect(onFailure(err, 0, limits, quiet)).toEqual({ kind: 'pause', until: err.resetAt });
  });
  it('starts a fresh session when a resumed one is lost', () => {
    const err = new AgentError('a', 'session-lost', 'x');
    expect(onFailure(err, 0, limits, { ...quiet, resuming: true })).toEqual({ kind: 'fresh-session' });
  });
  it('retries what can be retried with backoff, then fails', () => {
    const err = new AgentError('a', 'crashed', 'x');
    expect(onFailure(err, 0, limits, quiet)).toEqual({ kind: 'retry', waitMs: 100 });
    expect(onFailure(err, 1, limits, quiet)).toEqual({ kind: 'retry', waitMs: 200 });
    expect(onFailure(err, 2, limits, quiet)).toEqual({ kind: 'fail' });
  });
  it('fails at once on what another try cannot fix', () => {
    expect(onFailure(new AgentError('a', 'rejected', 'x'), 0, limits, quiet)).toEqual({ kind: 'fail' });
  });
});
