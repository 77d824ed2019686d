/**
 * The report's account of findings as threads (issue: a record that remembers): who caught each in a panel review,
 * what the repository's memory held and which findings repeated a declined one, the house rules and which ones a
 * finding or an answer relied on, and the findings that took no fix round (suggestions) with why — a category that
 * was demoted among them.
 */

import { shortFingerprint } from '../protocol/fingerprint.js';
import { EMPTY_RECALL, MEMORY_STEP, type Recall } from '../protocol/memory.js';
import type { LedgerEntry, RunState } from '../protocol/types.js';
import { fingerprintOf } from './run-facts.js';

const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\s+/g, ' ').trim();
const ids = (entries: LedgerEntry[]) => entries.map((e) => e.id).join(', ');

function recallOf(state: RunState): Recall {
  return (state.steps[MEMORY_STEP]?.result as Recall | undefined) ?? EMPTY_RECALL;
}

/** Header lines: the panel, the memory, the house rules. */
export function threadHeader(state: RunState): string[] {
  const out: string[] = [];
  const panel = state.panel;
  if (panel) {
    const labels = new Map<string, number>();
    for (const e of state.findings) if (e.panel) labels.set(e.panel, (labels.get(e.panel) ?? 0) + 1);
    const counts = [...labels].map(([label, n]) => `${label} ${n}`).join(', ') || 'no findings';
    out.push(
      panel.unavailable.length
        ? `**Panel:** a single-reviewer review by ${panel.reviewers.join(', ')} — ${panel.unavailable.map((u) => `${u.agent} ${u.why}`).join('; ')}`
        : `**Panel:** ${panel.reviewers.join(' and ')} reviewed the diff independently (${counts})`,
    );
  }
  const recall = recallOf(state);
  const repeats = state.findings.filter((e) => e.resolution === 'repeat');
  const reopened = state.findings.filter((e) => e.reopens);
  if (recall.declined.length || repeats.length || reopened.length) {
    const parts = [`${recall.declined.length} declined finding(s) in the repository's memory`];
    if (repeats.length) parts.push(`raised again as repeats (not answered): ${ids(repeats)}`);
    if (reopened.length) parts.push(`reopened with new evidence: ${ids(reopened)}`);
    out.push(`**Memory:** ${parts.join('; ')}`);
  }
  const cited = new Map<string, string[]>();
  for (const e of state.findings) {
    if (e.finding.rule) cited.set(e.finding.rule, [...(cited.get(e.finding.rule) ?? []), `finding ${e.id}`]);
    if (e.answer?.rule) cited.set(e.answer.rule, [...(cited.get(e.answer.rule) ?? []), `the answer to ${e.id}`]);
  }
  const kept = state.decisions.filter((d) => d.rule);
  if (recall.rules.length || cited.size || kept.length) {
    const applied = [...cited].map(([id, where]) => `${id} (${where.join(', ')})`).join('; ');
    const parts = [`${recall.rules.length} given to the agents (.duo/RULES.md)`];
    parts.push(applied ? `applied: ${applied}` : 'none cited');
    if (kept.length) parts.push(`kept from this run: ${kept.map((d) => `${d.rule} (${d.cardId})`).join(', ')}`);
    out.push(`**House rules:** ${parts.join('; ')}`);
  }
  return out;
}

/** A finding's resolution as the findings table says it (a repeat links its earlier decision). */
export function resolutionCell(e: LedgerEntry): string {
  if (e.resolution === 'repeat' && e.repeatOf)
    return `repeat of \`${shortFingerprint(e.repeatOf.fingerprint)}\` (${e.repeatOf.runId}, ${e.repeatOf.findingId})`;
  const fix = e.fixCommit ? ` (${e.fixCommit.slice(0, 10)})` : '';
  const reopens = e.reopens ? `; reopens \`${shortFingerprint(e.reopens.fingerprint)}\`` : '';
  return `${e.resolution}${fix}${reopens}`;
}

/** The findings table: with each thread's fingerprint, its category, and in a panel who caught it. */
export function findingsTable(state: RunState): string[] {
  if (!state.findings.length) return [];
  const panel = state.findings.some((e) => e.panel);
  const head = [
    'id',
    'fingerprint',
    'phase',
    'severity',
    'category',
    ...(panel ? ['caught by'] : []),
    'claim',
    'resolution',
  ];
  const lines = ['', '## Findings', '', `| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`];
  for (const e of state.findings) {
    const row = [
      e.id,
      `\`${shortFingerprint(fingerprintOf(e))}\``,
      e.phase,
      e.finding.severity,
      e.finding.category ?? '–',
      ...(panel ? [e.panel ?? '–'] : []),
      cell(e.finding.claim),
      resolutionCell(e),
    ];
    lines.push(`| ${row.join(' | ')} |`);
  }
  return lines;
}

/** Repeats with the decision they repeat, and suggestions with why they take no fix round (demotions named). */
export function threadSections(state: RunState): string[] {
  const out: string[] = [];
  const repeats = state.findings.filter((e) => e.resolution === 'repeat' && e.repeatOf);
  if (repeats.length) {
    out.push('', '## Repeats (declined before; not answered)');
    for (const e of repeats) {
      const r = e.repeatOf!;
      const by = r.by === 'human' ? 'a human decided' : 'the skeptic accepted the rebuttal';
      out.push(
        `- **${e.id}** \`${shortFingerprint(r.fingerprint)}\` ${cell(e.finding.claim)} — declined ${r.at.slice(0, 10)} ` +
          `in run ${r.runId} (${r.findingId}; ${by}): ${cell(r.reason)}`,
      );
    }
  }
  const suggestions = state.findings.filter((e) => e.resolution === 'suggestion');
  if (suggestions.length) {
    out.push('', '## Suggestions (no fix round)');
    for (const e of suggestions)
      out.push(`- **${e.id}** (${e.finding.severity}) ${cell(e.finding.claim)} — ${cell(e.suggestion ?? '')}`);
    const demoted = [...new Set(suggestions.map((e) => e.suggestion ?? '').filter((s) => s.startsWith('demoted:')))];
    for (const d of demoted) out.push(`- **Demoted:** ${cell(d.slice('demoted: '.length))}`);
  }
  return out;
}
