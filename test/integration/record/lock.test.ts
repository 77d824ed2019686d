import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { acquireRunLock, LockedError } from '../../../src/record/lock.js';

/** A run another duo process holds: the message says to wait or `duo cancel` it — never to kill a process by hand. */
describe('acquireRunLock', () => {
  it('held by a live process: says duo wait / duo cancel with the run id', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'duo-lock-')), '20260101-000000-abcd');
    mkdirSync(dir);
    // The test runner's parent process: alive for as long as this test runs.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: process.ppid, host: hostname(), since: 'then' }));
    let error: unknown;
    try {
      acquireRunLock(dir);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(LockedError);
    const { message, hint } = error as LockedError;
    expect(message).toContain('`duo cancel 20260101-000000-abcd`');
    expect(message).toContain('`duo wait 20260101-000000-abcd`');
    expect(message).not.toMatch(/\bkill\b/);
    expect(hint).toBe('duo cancel 20260101-000000-abcd');
  });
});
