/**
 * Every finding with its thread — the claim and evidence, the driver's answer, the skeptic's re-check, the fix
 * commit, the human's decision — and a link to its file:line in the diff. Filters by phase, severity and outcome
 * appear once the page script runs; without it every finding is simply listed.
 */

import type { LedgerEntry, RunState } from '../../protocol/types.js';
import type { Anchors } from './anchors.js';
import { when, within } from './format.js';
import { fragment, type Html, html } from './html.js';
import { badge, section } from './widgets.js';

const EVENTS: Record<string, string> = {
  raised: 'raised',
  'driver-fix': 'driver: fix',
  'driver-rebut': 'driver: rebuttal',
  'driver-escalate': 'driver: escalate',
  'skeptic-resolved': 'skeptic: resolved',
  'skeptic-accept-rebuttal': 'skeptic: accepts the rebuttal',
  'skeptic-hold': 'skeptic: holds',
  escalated: 'escalated to the human',
  'round-cap': 'the rounds ran out',
  'human-decision': 'human decision',
  'gate-measured': 'measured by the gate',
};

const SEVERITY_ORDER = ['blocker', 'major', 'minor', 'nit'];

function thread(e: LedgerEntry, runStart: string): Html {
  if (e.history.length)
    return html`<ol class="thread">${e.history.map(
      (h) =>
        html`<li><span class="ev">${EVENTS[h.event] ?? h.event}</span> <span class="when">round ${h.round} · ${within(h.at, runStart)}</span>${h.note && h.event !== 'raised' ? html`<br>${h.note}` : ''}</li>`,
    )}</ol>`;
  // Records without a history still have the latest answer and re-check.
  const steps: Html[] = [];
  if (e.answer) steps.push(html`<li><span class="ev">driver: ${e.answer.action}</span><br>${e.answer.note}</li>`);
  if (e.recheck) steps.push(html`<li><span class="ev">skeptic: ${e.recheck.status}</span><br>${e.recheck.note}</li>`);
  return steps.length ? html`<ol class="thread">${steps}</ol>` : html``;
}

function findingCard(state: RunState, e: LedgerEntry, i: number, anchors: Anchors): Html {
  const f = e.finding;
  const at = anchors.location(e);
  const place = f.file ? `${f.file}${f.line !== null ? `:${f.line}` : ''}` : '';
  const where = !f.file
    ? html`<p class="where">No file named.</p>`
    : at
      ? html`<p class="where"><a class="to-diff" href="${fragment(at.anchor)}">${place}</a>${at.exact ? '' : f.line === null ? ' (no line given: the link opens the file)' : ' (that line is not in the diff: the link opens the file)'}</p>`
      : html`<p class="where"><code>${place}</code> (not in this run's diff)</p>`;
  const card = state.cards.find((c) => c.findingId === e.id && c.phase === e.phase);
  const decision = card ? state.decisions.find((d) => d.cardId === card.id) : undefined;
  const body = html`<div class="finding-body">
${where}
${f.evidence ? html`<p><strong>Evidence:</strong> ${f.evidence}</p>` : ''}
${f.stakes ? html`<p><strong>Expensive to get wrong:</strong> ${f.stakes}</p>` : ''}
${f.confidence !== null ? html`<p class="muted">The skeptic's confidence: ${f.confidence.toFixed(2)}</p>` : ''}
${thread(e, state.createdAt)}
${e.fixCommit ? html`<p>Fixed in <code>${e.fixCommit.slice(0, 12)}</code></p>` : ''}
${decision ? html`<p><strong>The human decided:</strong> ${decision.pick}${decision.text ? ` — ${decision.text}` : ''} (${when(decision.decidedAt)})</p>` : ''}
</div>`;
  const summary = html`<summary><span class="fid">${e.id}</span> ${badge(f.severity)} ${badge(e.resolution)} <span class="muted">${e.phase}</span> <span class="claim">${f.claim}</span></summary>`;
  const attrs = { id: anchors.findingAt(i), phase: e.phase, severity: f.severity, outcome: e.resolution };
  // Blockers and majors open; minor findings and nits folded, one click away.
  return SEVERITY_ORDER.indexOf(f.severity) < 2
    ? html`<details class="finding" id="${attrs.id}" data-phase="${attrs.phase}" data-severity="${attrs.severity}" data-outcome="${attrs.outcome}" open>${summary}${body}</details>`
    : html`<details class="finding" id="${attrs.id}" data-phase="${attrs.phase}" data-severity="${attrs.severity}" data-outcome="${attrs.outcome}">${summary}${body}</details>`;
}

function select(name: string, label: string, values: string[]): Html {
  return html`<label>${label} <select name="${name}" data-filter="${name}"><option value="">all</option>${values.map((v) => html`<option value="${v}">${v}</option>`)}</select></label>`;
}

export function findingsSection(state: RunState, anchors: Anchors): Html {
  if (!state.findings.length)
    return section('findings', 'Findings', html`<p class="empty">No findings were raised in this run.</p>`);
  const distinct = (xs: string[], order: string[] = []) =>
    [...new Set(xs)].sort((a, b) => (order.indexOf(a) + 1 || 99) - (order.indexOf(b) + 1 || 99) || a.localeCompare(b));
  const body = html`<form class="filters" id="finding-filters" hidden>
${select('phase', 'Phase', distinct(state.findings.map((f) => f.phase)))}
${select(
  'severity',
  'Severity',
  distinct(
    state.findings.map((f) => f.finding.severity),
    SEVERITY_ORDER,
  ),
)}
${select(
  'outcome',
  'Outcome',
  distinct(
    state.findings.map((f) => f.resolution),
    ['open', 'escalated', 'rebutted', 'fixed'],
  ),
)}
<output id="finding-count" aria-live="polite"></output>
</form>
<div id="finding-list">${state.findings.map((e, i) => findingCard(state, e, i, anchors))}</div>
<p id="finding-none" class="empty" hidden>No finding matches these filters.</p>`;
  return section(
    'findings',
    'Findings',
    body,
    'Each ends fixed (the fix is recorded), rebutted (the driver’s reason, accepted by the skeptic), escalated (a human decides) or open.',
  );
}
