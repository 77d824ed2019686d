/**
 * The dispatcher (Claude in duox) spends as little as it can: a brief for the worker before the plan, and a short
 * summary of the recorded facts at the end. Nothing else reaches it.
 */

import type { RunContext } from './context.js';
import { briefPrompt, summaryPrompt } from './prompts/dispatcher.js';
import { Brief, ReportSummary } from './schemas.js';

/** The worker's brief before the plan: the task, its acceptance criteria and its risk (none without a dispatcher). */
export async function dispatchBrief(ctx: RunContext): Promise<string | undefined> {
  if (!ctx.state.roles.dispatcher) return undefined;
  const b = await ctx.callAgent('dispatch/brief', 'dispatcher', {
    purpose: 'brief',
    access: 'read-only',
    schema: Brief,
    schemaName: 'Brief',
    ...briefPrompt(ctx.state.task),
  });
  return `${b.answer.task}\nAcceptance:\n${b.answer.acceptance.map((a) => `- ${a}`).join('\n')}\nRisk: ${b.answer.risk}`;
}

/** The closing summary, from the record only; it is a note beside what the gate measured, never instead of it. */
export async function dispatchSummary(ctx: RunContext): Promise<void> {
  const { state } = ctx;
  if (!state.roles.dispatcher) return;
  const facts = JSON.stringify({
    task: state.task,
    status: state.status,
    findings: state.findings.map((f) => ({
      id: f.id,
      severity: f.finding.severity,
      claim: f.finding.claim,
      resolution: f.resolution,
    })),
    verify: state.verify.at(-1)?.results.map((r) => ({ command: r.command, exitCode: r.exitCode, passed: r.passed })),
  });
  const s = await ctx.callAgent('report/summary', 'dispatcher', {
    purpose: 'report',
    access: 'read-only',
    schema: ReportSummary,
    schemaName: 'ReportSummary',
    resume: false,
    ...summaryPrompt(facts),
  });
  state.notes.push(`Dispatcher's summary: ${s.answer.summary}`);
}
