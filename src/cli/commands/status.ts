import { activityLine, agentNow, clock, type RunProgress, runProgress } from '../../record/progress.js';
import type { StatusJson } from '../../wire/run.js';
import { pc } from '../color.js';
import type { ReadFlags } from '../flags.js';
import { printJson } from '../json.js';
import { openSession, resolveRun } from '../setup.js';

/**
 * `duo status [runId]`: where a run is — status, phase and round, what each agent is doing, the commands the gate
 * is running, elapsed time, and the next step — read from the record, so it works for a run any process drives
 * (a detached one, one in another terminal, one that died: that one says interrupted). Without an id: the newest run.
 */
export async function statusCommand(ref: string | undefined, flags: ReadFlags): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const id = await resolveRun(session, ref);
  const progress = runProgress(session.store, session.store.load(id));
  if (flags.json) printJson(progress satisfies StatusJson);
  else process.stdout.write(renderProgress(progress));
  return 0;
}

function renderProgress(p: RunProgress): string {
  const colour =
    p.status === 'green' || p.status === 'answered'
      ? pc.green
      : p.status === 'red' || p.status === 'failed'
        ? pc.red
        : pc.yellow;
  const lines = [
    `${pc.bold('duo')} ${p.runId}: ${colour(pc.bold(p.status.toUpperCase()))} · ${p.mode} · ${clock(p.elapsedMs)}${
      p.status === 'running' ? ' so far' : ''
    }`,
    `task: ${p.task.replace(/\s+/g, ' ').slice(0, 160)}`,
  ];
  if (p.status === 'running') {
    lines.push(`phase: ${p.phase}${p.round ? ` (round ${p.round})` : ''}`);
    for (const a of p.agents)
      lines.push(
        `  ${a.agent} (${a.roles.join(', ')}): ${a.doing ? `${a.doing}` : pc.dim('idle')}${a.activity ? pc.dim(agentNow({ ...a, trouble: null })) : ''}`,
        ...(a.trouble ? [pc.yellow(`    ${agentNow({ ...a, activity: null }).replace(/^ — /, '')}`)] : []),
      );
    for (const c of p.verifying) lines.push(`  gate: $ ${c}`);
    if (p.owner) lines.push(pc.dim(`  process ${p.owner.pid}${p.log ? ` · output in ${p.log}` : ''}`));
  } else {
    lines.push(p.headline);
  }
  if (p.findings.total)
    lines.push(
      `findings: ${p.findings.total} (${p.findings.open} open, ${p.findings.standing} blocker/major standing)`,
    );
  for (const c of p.cards) lines.push(`decision needed (${c.id}): ${c.question}`);
  if (p.logTail) lines.push(pc.dim('the background process ended with:'), p.logTail);
  lines.push(`next: ${p.next.replace(/`/g, '')}`);
  return `${lines.join('\n')}\n`;
}

/** A short progress line, as `duo wait` prints it. */
export function progressLine(p: RunProgress): string {
  return `${pc.dim(clock(p.elapsedMs))} ${activityLine(p)}`;
}
