/** Plain-text renderings shared by prompts and the report. */

import type { Plan } from '../schemas.js';
import type { LedgerEntry } from '../types.js';

export function renderPlan(plan: Plan): string {
  const lines = [`Summary: ${plan.summary}`, '', 'Files:'];
  for (const f of plan.files) lines.push(`- ${f.path}: ${f.change}`);
  lines.push('', `Approach: ${plan.approach}`, '', 'Tests:');
  for (const t of plan.tests) lines.push(`- ${t}`);
  if (plan.testChanges.length) {
    lines.push('', 'Existing tests / checks changed on purpose:');
    for (const c of plan.testChanges) lines.push(`- ${c.path}: ${c.reason}`);
  }
  if (plan.risks.length) {
    lines.push('', 'Risks:');
    for (const r of plan.risks) lines.push(`- ${r}`);
  }
  lines.push('', `Rollback: ${plan.rollback ?? '(none needed)'}`);
  if (plan.subtasks.length) {
    lines.push('', 'Sub-tasks:');
    for (const s of plan.subtasks) {
      lines.push(
        `- [${s.id}] ${s.title}${s.independent ? ' (independent)' : ''} — files: ${s.files.join(', ') || '-'}`,
      );
    }
  }
  return lines.join('\n');
}

export function renderFinding(e: LedgerEntry): string {
  const f = e.finding;
  const where = f.file ? ` (${f.file}${f.line ? `:${f.line}` : ''})` : '';
  let s = `[${e.id}] ${f.severity}${where}: ${f.claim}\n  evidence: ${f.evidence}`;
  if (e.answer) s += `\n  driver (${e.answer.action}): ${e.answer.note}`;
  if (e.recheck) s += `\n  skeptic (${e.recheck.status}): ${e.recheck.note}`;
  if (e.decision) s += `\n  human decision: ${e.decision}`;
  return s;
}

export function renderFindings(entries: LedgerEntry[]): string {
  return entries.length ? entries.map(renderFinding).join('\n') : '(none)';
}

/** Findings a session raised itself, by id and claim, with the driver's answer: what is new to it. */
export function renderAnswers(entries: LedgerEntry[]): string {
  return entries.length
    ? entries.map((e) => `[${e.id}] ${e.finding.claim}\n  driver (${e.answer?.action}): ${e.answer?.note}`).join('\n')
    : '(none)';
}
