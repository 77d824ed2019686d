import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { forgetProcess, reapRunProcesses, recordProcess } from '../../src/record/processes.js';
import { tempDir } from '../support/harness.js';
import { alive } from '../support/process.js';

/** The run folder's record of the processes a run started (agents and verify commands), and the reaper. */
function sleeper(): number {
  const child = spawn('sleep', ['60'], { detached: true, stdio: 'ignore' });
  child.unref();
  return child.pid!;
}

async function gone(pid: number): Promise<boolean> {
  for (let i = 0; i < 50 && alive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  return !alive(pid);
}

describe('processes a run leaves behind (issue 9.7)', () => {
  it('records agent and verify processes with their kind, and forgets them when they exit', () => {
    const dir = tempDir();
    recordProcess(dir, 101, 'agent');
    recordProcess(dir, 202, 'verify');
    const listed = JSON.parse(readFileSync(join(dir, 'processes.json'), 'utf8')) as { pid: number; kind: string }[];
    expect(listed.map((p) => [p.pid, p.kind])).toEqual([
      [101, 'agent'],
      [202, 'verify'],
    ]);
    forgetProcess(dir, 101);
    forgetProcess(dir, 202);
    expect(existsSync(join(dir, 'processes.json'))).toBe(false);
  });

  it('reaps a left-over verify command and agent, and counts each kind', async () => {
    const dir = tempDir();
    const verify = sleeper();
    const agent = sleeper();
    recordProcess(dir, verify, 'verify');
    recordProcess(dir, agent, 'agent');
    const reaped = await reapRunProcesses(dir);
    expect(reaped).toMatchObject({ count: 2, agents: 1, verify: 1 });
    expect(reaped.summary).toBe('1 agent process and 1 verify command');
    expect(await gone(verify)).toBe(true);
    expect(await gone(agent)).toBe(true);
    expect(existsSync(join(dir, 'processes.json'))).toBe(false);
  });

  it('still reads and reaps an agents.json written by an earlier duo', async () => {
    const dir = tempDir();
    const pid = sleeper();
    const start = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const startTime = start.slice(start.lastIndexOf(')') + 2).split(' ')[19];
    writeFileSync(join(dir, 'agents.json'), JSON.stringify([{ pid, host: hostname(), start: startTime }]));
    const reaped = await reapRunProcesses(dir);
    expect(reaped).toMatchObject({ count: 1, agents: 1, verify: 0 });
    expect(await gone(pid)).toBe(true);
    expect(existsSync(join(dir, 'agents.json'))).toBe(false);
  });
});
