import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { signalGroup } from '../agents/process.js';
import { processStartTime } from './liveness.js';

/**
 * Agent CLIs run in their own process groups, so a `kill -9` of duo (which cannot be trapped) leaves an in-flight
 * agent running — and still editing the run's worktree. Each agent process is recorded in the run's folder while it
 * runs, with its kernel start time so a recycled pid is never mistaken for it; the next process that takes the run
 * (resume) stops any that are still alive before it touches the worktree.
 */
interface AgentProcess {
  pid: number;
  host: string;
  /** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null where /proc is not available. */
  start: string | null;
}

const FILE = 'agents.json';

function read(dir: string): AgentProcess[] {
  try {
    const v = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as unknown;
    return Array.isArray(v) ? (v as AgentProcess[]) : [];
  } catch {
    return [];
  }
}

function write(dir: string, list: AgentProcess[]): void {
  if (list.length) writeFileAtomic.sync(join(dir, FILE), JSON.stringify(list));
  else rmSync(join(dir, FILE), { force: true });
}

export function recordAgentProcess(dir: string, pid: number): void {
  if (!existsSync(dir)) return;
  write(dir, [...read(dir).filter((p) => p.pid !== pid), { pid, host: hostname(), start: processStartTime(pid) }]);
}

export function forgetAgentProcess(dir: string, pid: number): void {
  if (!existsSync(join(dir, FILE))) return;
  write(
    dir,
    read(dir).filter((p) => p.pid !== pid),
  );
}

/**
 * Stops the process groups of agents a dead duo left behind; returns how many were still running. Only processes on
 * this host whose start time still matches are touched: anything else is just forgotten.
 */
export async function reapAgentProcesses(dir: string): Promise<number> {
  const left = read(dir);
  let reaped = 0;
  for (const p of left) {
    if (p.host !== hostname() || p.start === null || processStartTime(p.pid) !== p.start) continue;
    signalGroup(p.pid, 'SIGTERM');
    reaped++;
  }
  if (reaped) {
    await new Promise((r) => setTimeout(r, 1500));
    for (const p of left) if (p.start !== null && processStartTime(p.pid) === p.start) signalGroup(p.pid, 'SIGKILL');
  }
  write(dir, []);
  return reaped;
}
