/**
 * The record page's track record, the charts of `duo stats`: the skeptic's precision by the confidence it gave,
 * how each reviewer's findings ended, and each driver's bent tests and contradicted "the checks pass" claims — with
 * the published figures to read them against.
 */

import type { ReviewerStats } from '../stats.js';
import { figure, groupedBars, type HBar, type Stack, stackedBars } from './charts.js';
import { percent, plural } from './format.js';
import { type Html, html } from './html.js';
import type { RecordModel } from './record-data.js';
import { list, section } from './widgets.js';

const reviewerName = (r: ReviewerStats) => `${r.agent} · ${r.model}${r.ownCode ? ' (its own code)' : ''}`;

function precision(reviewers: ReviewerStats[]): Html {
  const groups = reviewers.map((r) => ({
    title: reviewerName(r),
    bars: r.precision
      .filter((p) => p.findings > 0)
      .map(
        (p): HBar => ({
          label: `confidence ${p.band}`,
          share: p.precision ?? 0,
          text: p.precision === null ? 'no verdicts' : `${percent(p.precision)} of ${p.real + p.falseAlarms}`,
          tip: `${reviewerName(r)}, confidence ${p.band}\n${plural(p.findings, 'finding')}: ${p.real} real, ${p.falseAlarms} false alarms\nprecision ${percent(p.precision)}`,
          tone: 'good',
        }),
      ),
  }));
  const table = html`<table class="data"><thead><tr><th scope="col">reviewer</th><th scope="col">confidence</th><th scope="col">findings</th><th scope="col">real</th><th scope="col">false alarms</th><th scope="col">precision</th></tr></thead><tbody>${reviewers.flatMap(
    (r) =>
      r.precision.map(
        (p) =>
          html`<tr><td>${reviewerName(r)}</td><td>${p.band}</td><td>${p.findings}</td><td>${p.real}</td><td>${p.falseAlarms}</td><td>${percent(p.precision)}</td></tr>`,
      ),
  )}</tbody></table>`;
  return figure(
    'chart-precision',
    'The skeptic’s precision by the confidence it gave',
    groupedBars('Precision by confidence band', groups),
    'Real: fixed, or the human sided with the skeptic. False alarm: rebutted and accepted, or the human sided with the driver. A reviewer whose high-confidence findings are not more often real than its low ones is guessing.',
    table,
  );
}

function outcomes(reviewers: ReviewerStats[]): Html {
  const rows: Stack[] = reviewers.map((r) => ({
    label: reviewerName(r),
    parts: [
      { label: 'fixed', value: r.outcomes.fixed, tone: 'good' },
      { label: 'rebutted (false alarm)', value: r.outcomes.rebutted, tone: 'info' },
      { label: 'escalated', value: r.outcomes.escalated, tone: 'warn' },
      { label: 'left open', value: r.outcomes.open, tone: 'bad' },
    ],
  }));
  const table = html`<table class="data"><thead><tr><th scope="col">reviewer</th><th scope="col">runs</th><th scope="col">findings</th><th scope="col">fixed</th><th scope="col">rebutted</th><th scope="col">escalated</th><th scope="col">open</th><th scope="col">approvals the gate contradicted</th></tr></thead><tbody>${reviewers.map(
    (r) =>
      html`<tr><td>${reviewerName(r)}</td><td>${r.runs}</td><td>${r.findings}</td><td>${r.outcomes.fixed}</td><td>${r.outcomes.rebutted}</td><td>${r.outcomes.escalated}</td><td>${r.outcomes.open}</td><td>${r.approvals.contradicted} of ${r.approvals.total}</td></tr>`,
  )}</tbody></table>`;
  return figure(
    'chart-outcomes',
    'How each reviewer’s findings ended',
    stackedBars('Outcomes per reviewer and model', rows),
    html`<span class="key c-good"></span> fixed <span class="key c-info"></span> rebutted <span class="key c-warn"></span> escalated <span class="key c-bad"></span> left open`,
    table,
  );
}

function drivers(m: RecordModel): Html {
  const groups = m.track.drivers.map((d) => ({
    title: `${d.agent} · ${d.model} (${plural(d.runs, 'run')})`,
    bars: [
      {
        label: 'runs with a bent test',
        share: d.runs ? d.bent.runs / d.runs : 0,
        text: `${d.bent.runs} (${plural(d.bent.edits, 'edit')})`,
        tip: `${d.agent} · ${d.model}\n${d.bent.runs} of ${d.runs} runs with a test or check bent; ${d.bent.edits} edits reverted by duo or found by the gate`,
        tone: 'bad' as const,
      },
      {
        label: '“checks pass” contradicted',
        share: d.claims.made ? d.claims.contradicted / d.claims.made : 0,
        text: `${d.claims.contradicted} of ${d.claims.made}`,
        tip: `${d.agent} · ${d.model}\n${d.claims.contradicted} of ${d.claims.made} claims that the checks pass, contradicted by the next gate attempt`,
        tone: 'warn' as const,
      },
    ],
  }));
  const table = html`<table class="data"><thead><tr><th scope="col">driver</th><th scope="col">runs</th><th scope="col">runs with a bent test</th><th scope="col">edits reverted or found</th><th scope="col">claims contradicted</th></tr></thead><tbody>${m.track.drivers.map(
    (d) =>
      html`<tr><td>${d.agent} · ${d.model}</td><td>${d.runs}</td><td>${d.bent.runs}</td><td>${d.bent.edits}</td><td>${d.claims.contradicted} of ${d.claims.made}</td></tr>`,
  )}</tbody></table>`;
  return figure(
    'chart-bent',
    'Bent tests per driver',
    groupedBars('Bent tests and contradicted claims per driver', groups),
    'A bent test: an edit to an existing test or to the checks’ definition that duo reverted, or that the gate found changed.',
    table,
  );
}

export function recordCharts(m: RecordModel): Html {
  const t = m.track;
  if (!t.runs)
    return section('track', 'Track record', html`<p class="empty">No run has been indexed with its facts yet.</p>`);
  const body = html`${t.reviewers.length ? html`${precision(t.reviewers)}${outcomes(t.reviewers)}` : html`<p class="empty">No reviewer has raised a finding yet.</p>`}
${t.drivers.length ? drivers(m) : ''}
<div class="muted">To read them against: ${list(t.anchors.map((a) => `${a.figure} (${a.source})`))}</div>`;
  return section('track', 'Track record', body, `Over ${plural(t.runs, 'run')}, counted as duo stats counts them.`);
}
