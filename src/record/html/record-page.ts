/**
 * The record page (.duo/index.html, `duo log --html`): every run of the repository, searchable and filterable in
 * the page; the skeptic's track record as charts; spend per day per agent against the plan windows; and the results
 * of `duo eval` when there are any. Without its script the page still lists the newest runs in a real table and
 * every chart's figures in tables; the script adds the search over all runs, the filters and the tooltips.
 */

import { basename } from 'node:path';
import { columns, figure } from './charts.js';
import { RECORD_SCRIPT } from './client.js';
import { renderDocument } from './document.js';
import { percent, plural, tokens, usd, when } from './format.js';
import { fragment, type Html, html, jsonBlock, relativeUrl } from './html.js';
import type { EvalSummary, RecordModel, RecordRun } from './record-data.js';
import { recordCharts } from './record-track.js';
import { buildSearchIndex } from './search-index.js';
import { badge, section } from './widgets.js';

/** Rows written into the page itself (what a reader without the script sees); the script lists the rest. */
export const STATIC_ROWS = 200;

export const RECORD_SECTIONS: [string, string][] = [
  ['runs', 'Runs'],
  ['track', 'Track record'],
  ['spend', 'Spend'],
  ['evals', 'Evaluations'],
];

function runRow(r: RecordRun): Html {
  return html`<tr><td>${when(r.createdAt).replace(' UTC', '')}</td><td><a href="${relativeUrl(r.page)}">${r.runId}</a></td><td>${r.mode}${r.auto ? ' (auto)' : ''}</td><td>${badge(r.status)}</td><td>${r.findings}${r.standing ? ` (${r.standing} standing)` : ''}</td><td>${r.disagreements}</td><td class="task">${r.damaged ? `damaged record: ${r.damaged}` : r.task}</td></tr>`;
}

/** The runs as the script reads them: one array per run, enums as indexes, the date in seconds. */
function runsData(m: RecordModel) {
  const modes = [...new Set(m.runs.map((r) => r.mode))].sort();
  const statuses = [...new Set(m.runs.map((r) => r.status))].sort();
  return {
    modes,
    statuses,
    now: Math.round(m.now.getTime() / 1000),
    runs: m.runs.map((r) => [
      r.runId,
      Math.round(Date.parse(r.createdAt) / 1000) || 0,
      modes.indexOf(r.mode),
      statuses.indexOf(r.status),
      r.auto ? 1 : 0,
      r.findings,
      r.standing,
      r.disagreements,
      r.damaged ? `damaged record: ${r.damaged}` : r.task,
      r.page.endsWith('.html') ? 1 : 0,
    ]),
    index: buildSearchIndex(m.texts),
  };
}

function select(name: string, label: string, options: [string, string][]): Html {
  return html`<label>${label} <select name="${name}"><option value="">any</option>${options.map(([v, t]) => html`<option value="${v}">${t}</option>`)}</select></label>`;
}

function runsSection(m: RecordModel): Html {
  const data = runsData(m);
  const shown = m.runs.slice(0, STATIC_ROWS);
  const modes: [string, string][] = [...data.modes.map((x): [string, string] => [x, x]), ['auto', 'routed by auto']];
  const body = html`<form class="filters" id="run-filters" role="search" hidden>
<label>Search <input type="search" name="q" autocomplete="off" placeholder="words from a task, a finding, a rebuttal…"></label>
${select(
  'status',
  'Status',
  data.statuses.map((s) => [s, s]),
)}
${select('mode', 'Mode', modes)}
${select('since', 'Since', [
  ['1', 'the last 24 hours'],
  ['7', 'the last 7 days'],
  ['30', 'the last 30 days'],
  ['90', 'the last 90 days'],
])}
<output id="run-count" aria-live="polite"></output>
</form>
<table class="data runs"><caption class="sr-only">Runs, newest first</caption>
<thead><tr><th scope="col">date (UTC)</th><th scope="col">run</th><th scope="col">mode</th><th scope="col">status</th><th scope="col">findings</th><th scope="col">disagreements</th><th scope="col">task</th></tr></thead>
<tbody id="run-rows">${shown.map(runRow)}</tbody></table>
<p id="run-none" class="empty" hidden>No run matches.</p>
<p><button type="button" id="run-more" hidden>Show more</button></p>
${m.runs.length > shown.length ? html`<p class="muted" id="run-static-note">The newest ${shown.length} of ${m.runs.length} runs are listed here; with its script the page lists and searches all of them (<code>duo log --limit 0</code> lists them in a terminal).</p>` : ''}
${m.runs.length ? '' : html`<p class="empty">No duo runs in this repository yet. Start one with <code>duo "&lt;task&gt;"</code>.</p>`}
${jsonBlock('runs-data', data)}`;
  return section(
    'runs',
    'Runs',
    body,
    'Each run links to its own page. Search looks in every run’s task, findings, rebuttals, disagreements and decisions.',
  );
}

function spendSection(m: RecordModel): Html {
  if (!m.spend.length)
    return section(
      'spend',
      'Spend',
      html`<p class="empty">No agent calls from this repository in the last 30 days in the usage ledger.</p>`,
    );
  const figures = m.spend.map(({ agent, days }) => {
    const cols = days.map((d) => ({
      label: d.day.slice(5),
      value: d.tokens,
      lines: [d.fiveHour, d.weekly],
      tip: `${agent}, ${d.day}\n${tokens(d.tokens)} tokens in ${plural(d.calls, 'call')}${d.costUsd !== null ? `, ${usd(d.costUsd)}` : ''}\nplan windows: five-hour up to ${percent(d.fiveHour)}, weekly up to ${percent(d.weekly)}`,
    }));
    const busy = days.filter((d) => d.calls || d.fiveHour !== null || d.weekly !== null);
    const table = html`<table class="data"><thead><tr><th scope="col">day</th><th scope="col">calls</th><th scope="col">tokens</th><th scope="col">cost</th><th scope="col">five-hour window</th><th scope="col">weekly window</th></tr></thead><tbody>${busy.map(
      (d) =>
        html`<tr><td>${d.day}</td><td>${d.calls}</td><td>${tokens(d.tokens)}</td><td>${usd(d.costUsd)}</td><td>${percent(d.fiveHour)}</td><td>${percent(d.weekly)}</td></tr>`,
    )}</tbody></table>`;
    return figure(
      `spend-${m.spend.findIndex((s) => s.agent === agent)}`,
      `${agent}: tokens per day, against the plan windows`,
      columns(`${agent}: tokens per day`, cols, ['five-hour window', 'weekly window']),
      html`Columns: this repository’s tokens per day (UTC). <span class="key-line l0"></span> the five-hour window’s highest use that day, <span class="key-line l1"></span> the weekly window’s, as ${agent} reported them (all repositories: the plan is the account’s). Auto mode stops giving an agent the heavy work from 80%.`,
      table,
    );
  });
  return section('spend', 'Spend', html`${figures}`, 'From the usage ledger: the last 30 days.');
}

function evalsSection(evals: EvalSummary[]): Html {
  if (!evals.length)
    return section(
      'evals',
      'Evaluations',
      html`<p class="empty" id="evals-empty">No <code>duo eval</code> results yet. An eval runs a set of tasks through duo and grades each run; its results appear here.</p>`,
    );
  const link = (path: string | null | undefined) => {
    if (!path) return '';
    try {
      return html`<a href="${relativeUrl(path)}">report</a>`;
    } catch {
      return html`<code>${path}</code>`;
    }
  };
  const rows = evals.map((e) => {
    const share = e.tasks ? e.resolved / e.tasks : null;
    const interval = e.interval ? ` (${percent(e.interval[0])}–${percent(e.interval[1])})` : '';
    return html`<tr><td>${when(e.at)}</td><td>${e.suite}</td><td>${e.config}</td><td>${e.tasks}</td><td>${e.resolved} · ${percent(share)}${interval}</td><td>${usd(e.costUsd ?? null)}</td><td>${link(e.report)}</td></tr>`;
  });
  return section(
    'evals',
    'Evaluations',
    html`<table class="data"><thead><tr><th scope="col">when</th><th scope="col">tasks from</th><th scope="col">run as</th><th scope="col">tasks</th><th scope="col">resolved</th><th scope="col">cost</th><th scope="col">report</th></tr></thead><tbody>${rows}</tbody></table>`,
  );
}

export function renderRecordPage(m: RecordModel, evals: EvalSummary[] = []): string {
  const byStatus = new Map<string, number>();
  for (const r of m.runs) byStatus.set(r.status, (byStatus.get(r.status) ?? 0) + 1);
  const first = m.runs.at(-1)?.createdAt;
  const last = m.runs[0]?.createdAt;
  const name = basename(m.repoRoot);
  const body = html`<header class="run-head">
<p class="crumb">duo · the record</p>
<h1>Every duo run in ${name}</h1>
<p>${plural(m.runs.length, 'run')}${first ? ` from ${when(first)} to ${when(last)}` : ''}. Written by <code>duo log --html</code> at ${when(m.now.toISOString())}.</p>
<ul class="tiles">${[...byStatus.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([s, n]) => html`<li><span class="k">${badge(s)}</span><span class="v">${n}</span></li>`)}</ul>
</header>
<nav class="toc" aria-label="Sections of this page"><ul>${RECORD_SECTIONS.map(
    ([id, title]) => html`<li><a href="${fragment(id)}">${title}</a></li>`,
  )}</ul></nav>
<main id="main">
${runsSection(m)}
${recordCharts(m)}
${spendSection(m)}
${evalsSection(evals)}
</main>`;
  return renderDocument({ title: `duo — every run in ${name}`, script: RECORD_SCRIPT, body });
}
