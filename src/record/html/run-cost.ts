/**
 * Where the time and tokens went — per agent (the run's totals) and per phase (summed from each call in
 * events.jsonl, failed attempts included) — then the decision cards with the human's decisions, the disagreement
 * log, and the run's notes.
 */

import type { RunEventLine } from '../../protocol/run-events.js';
import type { RunState } from '../../protocol/types.js';
import { duration, tokens, usd, when } from './format.js';
import { type Html, html } from './html.js';
import { isCall } from './timeline-data.js';
import { badge, list, section } from './widgets.js';

interface Sum {
  calls: number;
  failed: number;
  ms: number;
  input: number;
  output: number;
  cost: number | null;
}

function perPhase(events: RunEventLine[], state: RunState): [string, Sum][] {
  const sums = new Map<string, Sum>();
  const get = (phase: string) => {
    let s = sums.get(phase);
    if (!s) {
      s = { calls: 0, failed: 0, ms: 0, input: 0, output: 0, cost: null };
      sums.set(phase, s);
    }
    return s;
  };
  for (const e of events) {
    if (!isCall(e) || !e.step) continue;
    const s = get(e.step.split('/')[0] ?? e.step);
    s.ms += e.durationMs;
    if (e.type === 'agent-failure') {
      s.failed++;
      continue;
    }
    s.calls++;
    s.input += e.usage?.inputTokens ?? 0;
    s.output += e.usage?.outputTokens ?? 0;
    if (typeof e.costUsd === 'number') s.cost = (s.cost ?? 0) + e.costUsd;
  }
  // The gate's own time: each attempt as long as its slowest command, plus the baseline (beside the plan).
  const gate = state.verify.reduce(
    (ms, v) => ms + Math.max(0, ...[...v.results, ...(v.original?.results ?? [])].map((r) => r.durationMs)),
    0,
  );
  const rows = [...sums.entries()];
  if (gate) rows.push(['verify commands', { calls: 0, failed: 0, ms: gate, input: 0, output: 0, cost: null }]);
  if (state.baseline)
    rows.push(['baseline', { calls: 0, failed: 0, ms: state.baseline.durationMs, input: 0, output: 0, cost: null }]);
  return rows;
}

function usageTables(state: RunState, events: RunEventLine[]): Html {
  const agents = Object.entries(state.usage);
  const phases = perPhase(events, state);
  return html`<table class="data"><caption>Per agent</caption>
<thead><tr><th scope="col">agent</th><th scope="col">calls</th><th scope="col">time</th><th scope="col">tokens in</th><th scope="col">cached in</th><th scope="col">tokens out</th><th scope="col">cost</th><th scope="col">model</th></tr></thead>
<tbody>${agents.map(
    ([agent, u]) =>
      html`<tr><th scope="row">${agent}</th><td>${u.calls}</td><td>${duration(u.durationMs)}</td><td>${tokens(u.inputTokens)}</td><td>${tokens(u.cachedInputTokens)}</td><td>${tokens(u.outputTokens)}</td><td>${u.costUsd === null ? 'not reported' : usd(u.costUsd)}</td><td>${state.models[agent] ?? '–'}</td></tr>`,
  )}</tbody></table>
${
  phases.length
    ? html`<table class="data"><caption>Per phase</caption>
<thead><tr><th scope="col">phase</th><th scope="col">calls</th><th scope="col">failed attempts</th><th scope="col">time</th><th scope="col">tokens in</th><th scope="col">tokens out</th><th scope="col">cost</th></tr></thead>
<tbody>${phases.map(
        ([phase, s]) =>
          html`<tr><th scope="row">${phase}</th><td>${s.calls}</td><td>${s.failed}</td><td>${duration(s.ms)}</td><td>${tokens(s.input)}</td><td>${tokens(s.output)}</td><td>${s.cost === null ? '–' : usd(s.cost)}</td></tr>`,
      )}</tbody></table>`
    : ''
}`;
}

function decisions(state: RunState): Html {
  if (!state.cards.length) return html`<p class="empty">No decision was asked of a human.</p>`;
  return html`${state.cards.map((c) => {
    const d = state.decisions.find((x) => x.cardId === c.id);
    return html`<div class="callout ${d ? 'plain' : 'warn'} card"><h4>${c.id} ${d ? badge('resolved', `decided: ${d.pick}`) : badge('open', 'waiting')}</h4>
<p><strong>Question:</strong> ${c.question}</p>
<div class="sides"><div><h5>Driver</h5><p>${c.driverPosition}</p></div><div><h5>Skeptic</h5><p>${c.skepticPosition}</p></div></div>
<p><strong>Expensive to get wrong:</strong> ${c.stakes}</p>
${d ? html`<p><strong>Decision:</strong> ${d.pick}${d.text ? ` — ${d.text}` : ''} <span class="muted">(${d.human ?? d.by}, ${when(d.decidedAt)})</span></p>` : ''}</div>`;
  })}`;
}

function disagreements(state: RunState): Html {
  if (!state.disagreements.length) return html`<p class="empty">The agents did not disagree on anything.</p>`;
  return html`<ol class="disagreements">${state.disagreements.map(
    (d) =>
      html`<li><p><strong>${d.findingId}</strong> ${badge(d.severity)} <span class="muted">${d.phase} · ${when(d.at)}</span> ${d.topic}</p>
<dl class="facts"><dt>Driver</dt><dd>${d.driver}</dd><dt>Skeptic</dt><dd>${d.skeptic}</dd><dt>Outcome</dt><dd>${d.outcome}</dd></dl></li>`,
  )}</ol>`;
}

export function costSection(state: RunState, events: RunEventLine[]): Html {
  const body = html`<h3>Tokens, cost and time</h3>${usageTables(state, events)}
<h3>Decisions</h3>${decisions(state)}
<h3>Disagreements</h3>${disagreements(state)}
${state.notes.length ? html`<h3>Notes</h3>${list(state.notes)}` : ''}`;
  return section('cost', 'Cost, decisions and disagreements', body);
}
