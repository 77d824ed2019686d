import { existsSync, readFileSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { signalGroup } from '../sys/process.js';
import { processStartTime } from '../sys/process-ref.js';
import { replaceFile } from '../sys/replace-file.js';

/**
 * Agent CLIs and verify commands run in their own process groups, so a `kill -9` of duo (which cannot be trapped)
 * leaves one that is in flight running — an agent still editing the run's worktree, a test suite still running in
 * it. Each such process is recorded in the run's folder (`processes.json`) while it runs, with its kind and its
 * kernel start time so a recycled pid is never mistaken for it; the next process that takes the run (resume) stops
 * any that are still alive before it touches the worktree. `agents.json`, the file of earlier duo versions, is
 * still read and reaped.
 */
export type ProcessKind = 'agent' | 'verify';

interface RunProcess {
  pid: number;
  host: string;
  /** Field 22 of /proc/<pid>/stat (start time in clock ticks since boot); null where /proc is not available. */
  start: string | null;
  kind: ProcessKind;
}

const FILE = 'processes.json';
const LEGACY_FILE = 'agents.json';

function readFile(dir: string, file: string, kind: ProcessKind): RunProcess[] {
  try {
    const v = JSON.parse(readFileSync(join(dir, file), 'utf8')) as unknown;
    return Array.isArray(v) ? (v as RunProcess[]).map((p) => ({ ...p, kind: p.kind ?? kind })) : [];
  } catch {
    return [];
  }
}

function read(dir: string): RunProcess[] {
  return [...readFile(dir, LEGACY_FILE, 'agent'), ...readFile(dir, FILE, 'agent')];
}

function write(dir: string, list: RunProcess[]): void {
  rmSync(join(dir, LEGACY_FILE), { force: true });
  if (list.length) replaceFile(join(dir, FILE), JSON.stringify(list));
  else rmSync(join(dir, FILE), { force: true });
}

export function recordProcess(dir: string, pid: number, kind: ProcessKind): void {
  if (!existsSync(dir)) return;
  write(dir, [
    ...read(dir).filter((p) => p.pid !== pid),
    { pid, host: hostname(), start: processStartTime(pid), kind },
  ]);
}

export function forgetProcess(dir: string, pid: number): void {
  if (!existsSync(join(dir, FILE)) && !existsSync(join(dir, LEGACY_FILE))) return;
  write(
    dir,
    read(dir).filter((p) => p.pid !== pid),
  );
}

/** The `onProcess` callback of an agent call or a gate run: records each process while it runs. */
export function trackProcesses(dir: string, kind: ProcessKind): (pid: number, state: 'started' | 'exited') => void {
  return (pid, state) => (state === 'started' ? recordProcess(dir, pid, kind) : forgetProcess(dir, pid));
}

export interface Reaped {
  count: number;
  agents: number;
  verify: number;
  /** "1 agent process and 1 verify command", for the run's progress note. */
  summary: string;
}

/**
 * Stops the process groups a dead duo left behind. Only processes on this host whose start time still matches are
 * touched: anything else is just forgotten.
 */
export async function reapRunProcesses(dir: string): Promise<Reaped> {
  const left = read(dir);
  const live = left.filter((p) => p.host === hostname() && p.start !== null && processStartTime(p.pid) === p.start);
  for (const p of live) signalGroup(p.pid, 'SIGTERM');
  if (live.length) {
    await new Promise((r) => setTimeout(r, 1500));
    for (const p of live) if (processStartTime(p.pid) === p.start) signalGroup(p.pid, 'SIGKILL');
  }
  write(dir, []);
  const agents = live.filter((p) => p.kind === 'agent').length;
  const verify = live.length - agents;
  const parts = [
    ...(agents ? [`${agents} agent process${agents > 1 ? 'es' : ''}`] : []),
    ...(verify ? [`${verify} verify command${verify > 1 ? 's' : ''}`] : []),
  ];
  return { count: live.length, agents, verify, summary: parts.join(' and ') };
}
