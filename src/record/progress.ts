import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { standingFindings } from '../protocol/review-only.js';
import { parseRunEvents } from '../protocol/run-events.js';
import type { RunState } from '../protocol/types.js';
import { oneLine } from '../sys/text.js';
import { nextStep, statusLine } from './report.js';
import type { RunFiles } from './run-files.js';
import { effectiveStatus, ownerAlive } from './run-owner.js';

/**
 * Where a run is, read from its record alone (state.json + events.jsonl), so any process — `duo status`, `duo wait`,
 * the MCP server, a chat polling a detached run — sees the same thing the run's own process does: the phase and
 * round, what each agent is doing right now, the commands the gate is running, elapsed time and the next step.
 */
export const DETACHED_LOG = 'detached.log';

export interface AgentActivity {
  agent: string;
  roles: string[];
  /** What it is doing now (the call's purpose: plan, critique, implement, review…), or null when idle. */
  doing: string | null;
  since: string | null;
  /** Live, from its CLI's stream during the current call: the last file it edited or command it ran. */
  activity: { kind: 'edit' | 'command'; text: string; at: string } | null;
  /**
   * Trouble it reported during the current call (a reconnect, an API retry, a refused tool), or the failure the call
   * is being tried again after: the last message and how many there were. Null when all is well.
   */
  trouble: { message: string; at: string; count: number } | null;
}

export interface RunProgress {
  runId: string;
  task: string;
  mode: RunState['mode'];
  /** The effective status: "running" only while a live process owns the run. */
  status: RunState['status'];
  headline: string;
  /** While running: the phase the run's process last announced (plan, implement, review, verify, integrity…). */
  phase: string;
  round: number | null;
  startedAt: string;
  finishedAt: string | null;
  elapsedMs: number;
  agents: AgentActivity[];
  verifying: string[];
  lastNote: string | null;
  findings: { total: number; open: number; standing: number };
  /** Decision cards nobody decided yet. */
  cards: { id: string; question: string }[];
  owner: { pid: number; alive: boolean } | null;
  /** The background process's output, for a detached run. */
  log: string | null;
  /** The end of that output when the run stopped without finishing (what went wrong). */
  logTail: string | null;
  next: string;
  reportPath: string;
}

export function runProgress(store: RunFiles, state: RunState, now = new Date()): RunProgress {
  const status = effectiveStatus(state);
  const events = parseRunEvents(store.readText(state.runId, 'events.jsonl') ?? '');
  let phase: { phase: string; round: number | null } | null = null;
  let active: { agent: string; purpose: string; at: string }[] = [];
  let verifying: string[] = [];
  let lastNote: string | null = null;
  const live = new Map<string, Pick<AgentActivity, 'activity' | 'trouble'>>();
  const liveOf = (agent: string) => {
    const l = live.get(agent) ?? { activity: null, trouble: null };
    live.set(agent, l);
    return l;
  };
  const troubled = (agent: string, message: string, at: string) => {
    const l = liveOf(agent);
    l.trouble = { message, at, count: (l.trouble?.count ?? 0) + 1 };
  };
  for (const e of events) {
    if (e.type === 'owner') {
      // A new process took the run: whatever the previous one had in flight is gone.
      active = [];
      verifying = [];
      live.clear();
    } else if (e.type === 'agent-failure') {
      const i = active.findIndex((a) => a.agent === e.agent);
      if (i >= 0) active.splice(i, 1);
      // Kept past the next start: a call tried again shows why.
      if (e.message) troubled(e.agent, e.message, e.at);
    } else if (e.type === 'agent-file_change' || e.type === 'agent-command' || e.type === 'agent-error') {
      const ev = e.event;
      if (ev.type === 'file_change' && ev.path) liveOf(e.agent).activity = { kind: 'edit', text: ev.path, at: e.at };
      else if (ev.type === 'command' && ev.command)
        liveOf(e.agent).activity = { kind: 'command', text: ev.command, at: e.at };
      else if (ev.type === 'error' && ev.message && !ev.fatal) troubled(e.agent, ev.message, e.at);
    } else if (e.type === 'progress') {
      const p = e.progress;
      if (p.type === 'phase' && p.phase) phase = { phase: p.phase, round: p.round ?? null };
      else if (p.type === 'note' && p.text) lastNote = p.text;
      else if (p.type === 'agent' && p.agent && p.purpose) {
        if (p.state === 'start') {
          active.push({ agent: p.agent, purpose: p.purpose, at: e.at });
          liveOf(p.agent).activity = null;
        } else {
          const i = active.findIndex((a) => a.agent === p.agent && a.purpose === p.purpose);
          if (i >= 0) active.splice(i, 1);
          // A call that ended well leaves no trouble behind; one tried again keeps its why.
          if (p.state === 'end') live.delete(p.agent);
        }
      } else if (p.type === 'verify' && p.command) {
        if (p.state === 'start') verifying.push(p.command);
        else {
          const i = verifying.indexOf(p.command);
          if (i >= 0) verifying.splice(i, 1);
        }
      }
    }
  }
  const running = status === 'running';
  if (!running) {
    active = [];
    verifying = [];
    live.clear();
  }
  const agents: AgentActivity[] = [];
  for (const [role, name] of Object.entries(state.roles)) {
    if (!name) continue;
    let entry = agents.find((a) => a.agent === name);
    if (!entry) {
      const doing = active.filter((a) => a.agent === name);
      entry = {
        agent: name,
        roles: [],
        doing: doing.length ? doing.map((d) => d.purpose).join(' + ') : null,
        since: doing[0]?.at ?? null,
        activity: live.get(name)?.activity ?? null,
        trouble: live.get(name)?.trouble ?? null,
      };
      agents.push(entry);
    }
    if (!entry.roles.includes(role)) entry.roles.push(role);
  }
  const end = state.finishedAt ?? (running ? now.toISOString() : state.updatedAt);
  const dir = store.dir(state.runId);
  const log = existsSync(join(dir, DETACHED_LOG)) ? join(dir, DETACHED_LOG) : null;
  // Only a process that died without saving leaves its last words in the log alone; a run that saved its end
  // (cancelled, failed, paused) says it in the record — and its log's tail would repeat the next step.
  const died = state.status === 'running' && status === 'interrupted';
  const shown: RunState = { ...state, status };
  return {
    runId: state.runId,
    task: state.task,
    mode: state.mode,
    status,
    headline: statusLine(shown),
    phase: running && phase ? phase.phase : state.phase,
    round: running && phase ? phase.round : null,
    startedAt: state.createdAt,
    finishedAt: state.finishedAt,
    elapsedMs: Math.max(0, Date.parse(end) - Date.parse(state.createdAt)),
    agents,
    verifying,
    lastNote,
    findings: {
      total: state.findings.length,
      open: state.findings.filter((f) => f.resolution === 'open').length,
      standing: standingFindings(state.findings).length,
    },
    cards: state.cards
      .filter((c) => !state.decisions.some((d) => d.cardId === c.id))
      .map((c) => ({ id: c.id, question: c.question })),
    owner: state.owner ? { pid: state.owner.pid, alive: ownerAlive(state.owner) } : null,
    log,
    logTail: log && died ? tail(readFileSync(log, 'utf8'), 15) : null,
    next: running
      ? `\`duo wait ${state.runId}\` follows it to the end; \`duo cancel ${state.runId}\` stops it (resumable).`
      : nextStep(shown),
    reportPath: join(dir, 'report.md'),
  };
}

function tail(text: string, lines: number): string | null {
  const all = text.trimEnd().split('\n');
  const out = all.slice(-lines).join('\n');
  return out.trim() ? out : null;
}

/** mm:ss (or h:mm:ss) */
export function clock(ms: number): string {
  const s = Math.floor(ms / 1000);
  const h = Math.floor(s / 3600);
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${mm}:${ss}` : `${mm}:${ss}`;
}

/** One line: phase, round, who is doing what and any trouble it reports — what `duo wait` prints when it changes. */
export function activityLine(p: RunProgress): string {
  const busy = p.agents
    .filter((a) => a.doing || a.trouble)
    .map((a) => `${a.agent} (${a.roles.join('/')}): ${a.doing ?? 'idle'}${agentNow(a)}`);
  const gate = p.verifying.length ? [`verifying: ${p.verifying.map((c) => `$ ${c}`).join(', ')}`] : [];
  const what = [...busy, ...gate];
  return `${p.phase}${p.round ? ` (round ${p.round})` : ''}${what.length ? ` · ${what.join(' · ')}` : ''}`;
}

/** An agent's live activity and trouble, for one terminal line (agent output made safe: sys/text.ts). */
export function agentNow(a: AgentActivity): string {
  const act = a.activity ? ` — ${a.activity.kind === 'edit' ? 'editing ' : '$ '}${oneLine(a.activity.text, 80)}` : '';
  const trouble = a.trouble
    ? ` — ⚠ ${oneLine(a.trouble.message, 160)}${a.trouble.count > 1 ? ` (×${a.trouble.count})` : ''}`
    : '';
  return `${act}${trouble}`;
}
