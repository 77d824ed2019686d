/**
 * The eval report as HTML, built with the record pages' own parts (src/record/html): the `html` template that
 * escapes by construction (agent text — finding claims, task ids — can never become markup), their sections,
 * tables, badges and SVG bars, their stylesheet and their page shell with its Content-Security-Policy.
 *
 * `evalSection` is a pure function from the report data to one section of a page, so the record page can take it
 * in; `evalPage` puts it alone on a self-contained page (`duo eval report --html`, and beside every eval's results).
 */

import { renderDocument } from '../record/html/document.js';
import { duration, percent, plural, tokens, usd } from '../record/html/format.js';
import { type Html, html } from '../record/html/html.js';
import { badge, list, section } from '../record/html/widgets.js';
import { type EvalReport, type ModeSummary, pValue } from './report.js';

const W = 640;
const LABEL = 90;
const ROW = 26;

/** Each mode's rate on its 95% interval, to scale from 0 to 100%: the width of the bar is the uncertainty. */
function intervals(rows: { mode: string; rate: number | null; low: number; high: number; what: string }[]): Html {
  const room = W - LABEL - 90;
  const x = (share: number) => (LABEL + room * Math.min(1, Math.max(0, share))).toFixed(1);
  const parts = rows.map((r, i) => {
    const y = 4 + i * ROW;
    const tip = `${r.mode}: ${r.what} ${percent(r.rate)}, 95% interval ${percent(r.low)}–${percent(r.high)}`;
    return html`<text class="clabel" x="0" y="${y + 15}">${r.mode}</text>
<rect class="track" x="${LABEL}" y="${y + 4}" width="${room}" height="14" rx="2"></rect>
<rect class="cbar c-info" x="${x(r.low)}" y="${y + 4}" width="${(room * Math.max(0, r.high - r.low)).toFixed(1)}" height="14" rx="2" tabindex="0" role="img" aria-label="${tip}" data-tip="${tip}"><title>${tip}</title></rect>
${r.rate === null ? '' : html`<rect class="cbar c-bad" x="${x(r.rate)}" y="${y + 1}" width="3" height="20"></rect>`}
<text class="value" x="${LABEL + room + 6}" y="${y + 15}">${percent(r.rate)} (${percent(r.low)}–${percent(r.high)})</text>`;
  });
  return html`<svg class="cchart" viewBox="0 0 ${W} ${4 + rows.length * ROW}" width="100%" role="group" aria-label="Each mode's share with its 95% interval">${parts}</svg>`;
}

const median = (v: number | null, say: (n: number) => string) => (v === null ? '–' : say(v));

function modeRow(m: ModeSummary): Html {
  return html`<tr><th scope="row">${m.mode}</th><td>${m.resolved}/${m.runs} (${percent(m.rate)})</td>
<td>${percent(m.interval.low)}–${percent(m.interval.high)}</td><td>${m.verdicts.green}</td>
<td>${m.falseGreens ? badge('red', `${m.falseGreens}`) : '0'}${m.falseGreenRate === null ? '' : ` (${percent(m.falseGreenRate)})`}</td>
<td>${m.verdicts.red}</td><td>${m.verdicts.card}</td><td>${m.verdicts.failed + m.verdicts.unverified}</td>
<td>${median(m.tokens.median, tokens)} / ${median(m.tokens.medianResolved, tokens)}</td>
<td>${usd(m.costUsd.median)} / ${usd(m.costUsd.medianResolved)}${m.costUsd.complete ? '' : '*'}</td>
<td>${median(m.wallMs.median, duration)} / ${median(m.wallMs.medianResolved, duration)}</td></tr>`;
}

function cheatRow(m: ModeSummary): Html {
  const i = m.impossible;
  if (!i) return html`<tr><th scope="row">${m.mode}</th><td colspan="9">–</td></tr>`;
  return html`<tr><th scope="row">${m.mode}</th><td>${m.runs}</td><td>${i.attempts ? badge('red', `${i.attempts}`) : '0'} (${percent(i.rate)})</td>
<td>${percent(i.interval.low)}–${percent(i.interval.high)}</td><td>${i.passedTests}</td>
<td>${i.shipped ? badge('red', `${i.shipped}`) : '0'}</td><td>${i.stoppedByGate}</td><td>${i.stoppedByCard}</td>
<td>${i.contradictionCards}</td><td>${i.honest}</td></tr>`;
}

const spend = (m: ModeSummary) =>
  html`${m.mode}: ${Object.entries(m.byAgent).map(
    ([agent, a], i) =>
      html`${i ? '; ' : ''}${agent} ${plural(a.calls, 'call')}, ${tokens(a.tokens)} tokens, ${usd(a.costUsd)}`,
  )}`;

function perMode(report: EvalReport): Html {
  if (report.impossible)
    return html`<h3>Cheating per mode</h3>
${intervals(report.perMode.map((m) => ({ mode: m.mode, rate: m.impossible?.rate ?? null, low: m.impossible?.interval.low ?? 0, high: m.impossible?.interval.high ?? 1, what: 'cheated or tried' })))}
<table class="data"><thead><tr><th scope="col">mode</th><th scope="col">runs</th><th scope="col">cheated or tried</th><th scope="col">95% interval</th><th scope="col">passed the contradicted tests</th><th scope="col">shipped green</th><th scope="col">stopped: gate red</th><th scope="col">stopped: card</th><th scope="col">contradiction cards</th><th scope="col">honest</th></tr></thead>
<tbody>${report.perMode.map(cheatRow)}</tbody></table>`;
  return html`<h3>Per mode</h3>
${intervals(report.perMode.map((m) => ({ mode: m.mode, rate: m.rate, low: m.interval.low, high: m.interval.high, what: 'resolved' })))}
<table class="data"><thead><tr><th scope="col">mode</th><th scope="col">resolved</th><th scope="col">95% interval (Wilson)</th><th scope="col">duo green</th><th scope="col">false green</th><th scope="col">red</th><th scope="col">card</th><th scope="col">failed or unverified</th><th scope="col">tokens (median: task / resolved)</th><th scope="col">cost</th><th scope="col">time</th></tr></thead>
<tbody>${report.perMode.map(modeRow)}</tbody></table>
<p class="muted">Spend by agent: ${report.perMode.map((m, i) => html`${i ? ' — ' : ''}${spend(m)}`)}.${report.perMode.some((m) => !m.costUsd.complete) ? ' * Some agent reported no cost.' : ''}</p>`;
}

function comparisons(report: EvalReport): Html | '' {
  if (!report.comparisons.length) return '';
  return html`<h3>Paired comparisons (exact McNemar)</h3>
<table class="data"><thead><tr><th scope="col">modes</th><th scope="col">pairs</th><th scope="col">both ${report.outcome}</th><th scope="col">only first</th><th scope="col">only second</th><th scope="col">neither</th><th scope="col">p</th><th scope="col">tokens second ÷ first</th></tr></thead>
<tbody>${report.comparisons.map(
    (c) =>
      html`<tr><th scope="row">${c.a} vs ${c.b}</th><td>${c.pairs}</td><td>${c.both}</td><td>${c.onlyA}</td><td>${c.onlyB}</td><td>${c.neither}</td><td>${pValue(c.p)}</td><td>${c.tokensRatio === null ? '–' : `${c.tokensRatio.toFixed(2)}×`}</td></tr>`,
  )}</tbody></table>`;
}

/** The eval report as one section of a page (pure: the same report gives the same markup). */
export function evalSection(report: EvalReport): Html {
  const shape = `${plural(report.tasks, 'task')} × ${plural(report.modes.length, 'mode')}${report.repeat > 1 ? ` × ${report.repeat} repeats` : ''}`;
  const confirmed = report.perMode.flatMap((m) => m.confirmed.map((c) => ({ mode: m.mode, ...c })));
  return section(
    'eval-report',
    `duo eval${report.impossible ? ' (impossible variant)' : ''}: ${shape}`,
    html`<h3>Verdict</h3>${list(report.verdict)}
${perMode(report)}
${comparisons(report)}
${
  report.impossible
    ? ''
    : html`<h3>The skeptic's confirmed catches</h3>${
        confirmed.length
          ? list(confirmed.map((c) => html`<b>${c.instanceId}</b> (${c.mode}) ${c.id}: ${c.claim}`))
          : html`<p class="empty">None.</p>`
      }`
}
${report.skipped.length ? html`<h3>Skipped tasks</h3>${list(report.skipped.map((s) => html`<b>${s.instanceId}</b>: ${s.reason}`))}` : ''}`,
    'Each task ran in each mode in a checkout that holds nothing after its base; the hidden tests graded what each run left.',
  );
}

/** A whole page around the section: self-contained, no script, the record pages' stylesheet and policy. */
export function evalPage(report: EvalReport): string {
  return renderDocument({
    title: 'duo eval',
    script: '',
    body: html`<header class="run-head"><p class="crumb">duo · eval</p></header>
<main id="main">
${evalSection(report)}
</main>`,
  });
}
