import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { effectiveStatus, ownerAlive, ownerRecord } from '../../../src/record/run-owner.js';
import { processStartTime } from '../../../src/sys/process-ref.js';

/** A record never says "running" without a live owner; a recycled pid never passes for the owner. */
describe('liveness', () => {
  /** Above any pid_max: no such process can exist. */
  const NO_SUCH_PID = 2 ** 30;

  it('this process is its own live owner, with its kernel start time', () => {
    const me = ownerRecord(process.pid);
    expect(me).toEqual({ pid: process.pid, host: hostname(), start: processStartTime(process.pid) });
    expect(me.start).toMatch(/^\d+$/);
    expect(ownerAlive(me)).toBe(true);
    expect(effectiveStatus({ status: 'running', owner: me })).toBe('running');
  });

  it('running without an owner, or with one that is gone, reads as interrupted; other statuses are as recorded', () => {
    expect(effectiveStatus({ status: 'running', owner: null })).toBe('interrupted');
    const gone = { pid: NO_SUCH_PID, host: hostname(), start: '1' };
    expect(ownerAlive(gone)).toBe(false);
    expect(effectiveStatus({ status: 'running', owner: gone })).toBe('interrupted');
    expect(effectiveStatus({ status: 'green', owner: null })).toBe('green');
  });

  it('a live pid whose start time differs is a recycled pid, not the owner; a record without one trusts the pid', () => {
    const recycled = { pid: process.pid, host: hostname(), start: `${Number(processStartTime(process.pid)) + 1}` };
    expect(ownerAlive(recycled)).toBe(false);
    expect(ownerAlive({ pid: process.pid, host: hostname() })).toBe(true);
    expect(ownerAlive({ pid: process.pid, host: hostname(), start: null })).toBe(true);
  });

  it('an owner on another host cannot be checked from here: it counts as running', () => {
    expect(effectiveStatus({ status: 'running', owner: { pid: 1, host: `${hostname()}-elsewhere` } })).toBe('running');
  });
});
