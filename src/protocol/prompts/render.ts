/** Plain-text renderings shared by prompts and the report. */

import { shortFingerprint } from '../fingerprint.js';
import type { DeclinedFinding, HouseRule } from '../memory.js';
import type { Plan } from '../schemas.js';
import type { LedgerEntry } from '../types.js';

/** The plan's sections, by name, each as it is rendered (absent when empty and optional). */
function planSections(plan: Plan): [string, string][] {
  const list = (title: string, items: string[]) => [title, [`${title}:`, ...items.map((i) => `- ${i}`)].join('\n')];
  const out: [string, string][] = [
    ['Summary', `Summary: ${plan.summary}`],
    list(
      'Files',
      plan.files.map((f) => `${f.path}: ${f.change}`),
    ) as [string, string],
    ['Approach', `Approach: ${plan.approach}`],
    list('Tests', plan.tests) as [string, string],
  ];
  if (plan.testChanges.length)
    out.push(
      list(
        'Existing tests / checks changed on purpose',
        plan.testChanges.map((c) => `${c.path}: ${c.reason}`),
      ) as [string, string],
    );
  if (plan.risks.length) out.push(list('Risks', plan.risks) as [string, string]);
  out.push(['Rollback', `Rollback: ${plan.rollback ?? '(none needed)'}`]);
  if (plan.subtasks.length)
    out.push(
      list(
        'Sub-tasks',
        plan.subtasks.map(
          (s) => `[${s.id}] ${s.title}${s.independent ? ' (independent)' : ''} — files: ${s.files.join(', ') || '-'}`,
        ),
      ) as [string, string],
    );
  return out;
}

export function renderPlan(plan: Plan): string {
  return planSections(plan)
    .map(([, text]) => text)
    .join('\n\n');
}

/**
 * A revised plan as a session that read the previous one needs it: only the sections that changed, in full, and the
 * names of those that did not.
 */
export function renderPlanChanges(previous: Plan, plan: Plan): string {
  const before = new Map(planSections(previous));
  const sections = planSections(plan);
  const changed = sections.filter(([name, text]) => before.get(name) !== text).map(([, text]) => text);
  const same = sections.filter(([name, text]) => before.get(name) === text).map(([name]) => name);
  const gone = [...before.keys()].filter((name) => !sections.some(([n]) => n === name));
  return [
    ...changed,
    ...gone.map((name) => `${name}: (removed)`),
    same.length ? `Unchanged since the last round: ${same.join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
}

/** Text from an agent, on one line: it cannot open a section of its own in a prompt. */
const oneLine = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The house rules, for a prompt. */
export function renderRules(rules: HouseRule[]): string {
  if (!rules.length) return '';
  return [
    'HOUSE RULES of this repository (.duo/RULES.md: decisions its people made). Follow them; when a finding or an answer relies on one, put its id in `rule`:',
    ...rules.map((r) => `- [${r.id}] ${oneLine(r.text)}`),
  ].join('\n');
}

/** Findings declined in earlier runs on the files in play, for the reviewer. */
export function renderDeclined(declined: DeclinedFinding[]): string {
  if (!declined.length) return '';
  return [
    "DECLINED BEFORE — findings on these files that earlier runs declined (the driver's rebuttal was accepted, or a " +
      'human decided). Do not raise them again: duo marks one raised again on unchanged code as a repeat and nobody ' +
      'answers it. Only with NEW evidence, raise it with `reopens` set to its fingerprint and say what is new.',
    ...declined.map((d) => {
      const where = d.file ? ` ${d.file}${d.line ? `:${d.line}` : ''}` : '';
      const kind = [d.severity, d.category].filter(Boolean).join(', ');
      return (
        `- [${shortFingerprint(d.fingerprint)}]${where} (${kind}): ${oneLine(d.claim)}\n` +
        `  declined ${d.at.slice(0, 10)} (run ${d.runId}, ${d.findingId}): ${oneLine(d.reason)}`
      );
    }),
  ].join('\n');
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
