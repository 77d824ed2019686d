/**
 * `duo eval report --html`: the report as HTML. `evalSection` is a pure function from the report data to one
 * self-contained `<section>` (no script, no outside resource, its styles scoped under `.duo-eval`), so the record's
 * HTML pages can take it in as their eval section; `evalPage` wraps it into a whole document for now.
 *
 * Escaped by construction: every value goes through the `html` tag, which escapes whatever it interpolates unless
 * it is markup the tag itself made. Agent text (finding claims) can therefore never become markup.
 */

import { duration, tokens, usd } from './render.js';
import { type EvalReport, type ModeSummary, percent, pValue } from './report.js';

/** Markup made by the `html` tag: the only thing interpolated without escaping. */
class Markup {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ESCAPES[c] as string);

type Value = Markup | string | number | null | undefined | Value[];

function piece(v: Value): string {
  if (v instanceof Markup) return v.text;
  if (Array.isArray(v)) return v.map(piece).join('');
  if (v === null || v === undefined) return '';
  return escapeHtml(String(v));
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Markup {
  return new Markup(strings.reduce((out, s, i) => out + s + (i < values.length ? piece(values[i] as Value) : ''), ''));
}

const STYLE = `
.duo-eval{font:14px/1.45 system-ui,sans-serif;color:#1b1f24;max-width:1100px}
.duo-eval h2{font-size:1.3em;margin:.2em 0 .6em}.duo-eval h3{font-size:1.05em;margin:1.4em 0 .4em}
.duo-eval table{border-collapse:collapse;margin:.3em 0}.duo-eval th,.duo-eval td{border:1px solid #d0d7de;padding:.25em .6em;text-align:right}.duo-eval td{white-space:nowrap}
.duo-eval th:first-child,.duo-eval td:first-child{text-align:left}.duo-eval th{background:#f6f8fa}
.duo-eval .verdict li{margin:.2em 0}.duo-eval .bar{display:inline-block;height:.7em;background:#8c959f;vertical-align:middle;position:relative;width:120px;background:#eaeef2}
.duo-eval .bar i{position:absolute;top:0;bottom:0;background:#57606a}.duo-eval .bar b{position:absolute;top:-.15em;bottom:-.15em;width:2px;background:#0969da}
.duo-eval .bad{color:#cf222e;font-weight:600}.duo-eval small{color:#57606a}
`;

/** The point estimate on its 95% interval, drawn to scale (0–100%). */
function intervalBar(rate: number | null, low: number, high: number): Markup {
  const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
  return html`<span class="bar" title="${percent(low)}–${percent(high)}"><i style="left:${pct(low)};width:${pct(
    Math.max(0, high - low),
  )}"></i>${rate === null ? '' : html`<b style="left:${pct(rate)}"></b>`}</span>`;
}

function modeRow(m: ModeSummary): Markup {
  return html`<tr><td>${m.mode}</td><td>${m.resolved}/${m.runs} (${percent(m.rate)})</td>
<td>${intervalBar(m.rate, m.interval.low, m.interval.high)} ${percent(m.interval.low)}–${percent(m.interval.high)}</td>
<td>${m.verdicts.green}</td><td class="${m.falseGreens ? 'bad' : ''}">${m.falseGreens}${
    m.falseGreenRate === null ? '' : ` (${percent(m.falseGreenRate)})`
  }</td><td>${m.verdicts.red}</td><td>${m.verdicts.card}</td><td>${m.verdicts.failed + m.verdicts.unverified}</td>
<td>${tokens(m.tokens.median)} / ${tokens(m.tokens.medianResolved)}</td>
<td>${usd(m.costUsd.median)} / ${usd(m.costUsd.medianResolved)}${m.costUsd.complete ? '' : '*'}</td>
<td>${duration(m.wallMs.median)} / ${duration(m.wallMs.medianResolved)}</td></tr>`;
}

function cheatRow(m: ModeSummary): Markup {
  const i = m.impossible;
  if (!i) return html`<tr><td>${m.mode}</td><td colspan="9">–</td></tr>`;
  return html`<tr><td>${m.mode}</td><td>${m.runs}</td><td class="${i.attempts ? 'bad' : ''}">${i.attempts} (${percent(i.rate)})</td>
<td>${intervalBar(i.rate, i.interval.low, i.interval.high)} ${percent(i.interval.low)}–${percent(i.interval.high)}</td>
<td>${i.passedTests}</td><td class="${i.shipped ? 'bad' : ''}">${i.shipped}</td><td>${i.stoppedByGate}</td><td>${i.stoppedByCard}</td>
<td>${i.contradictionCards}</td><td>${i.honest}</td></tr>`;
}

/** The eval report as one self-contained HTML section (pure: the same report gives the same markup). */
export function evalSection(report: EvalReport): string {
  const shape = `${report.tasks} task(s) × ${report.modes.length} mode(s)${report.repeat > 1 ? ` × ${report.repeat} repeats` : ''}`;
  const confirmed = report.perMode.flatMap((m) => m.confirmed.map((c) => ({ mode: m.mode, ...c })));
  return html`<section class="duo-eval"><style>${new Markup(STYLE)}</style>
<h2>duo eval${report.impossible ? ' (impossible variant)' : ''}: ${shape}</h2>
<h3>Verdict</h3><ul class="verdict">${report.verdict.map((v) => html`<li>${v}</li>`)}</ul>
${
  report.impossible
    ? html`<h3>Cheating per mode</h3><table><tr><th>mode</th><th>runs</th><th>cheated or tried</th><th>95% interval</th>
<th>passed the contradicted tests</th><th>shipped green</th><th>stopped: gate red</th><th>stopped: card</th><th>contradiction cards</th><th>honest</th></tr>
${report.perMode.map(cheatRow)}</table>`
    : html`<h3>Per mode</h3><table><tr><th>mode</th><th>resolved</th><th>95% interval (Wilson)</th><th>duo green</th>
<th>false green</th><th>red</th><th>card</th><th>failed or unverified</th><th>tokens <small>median: task / resolved</small></th><th>cost</th><th>time</th></tr>
${report.perMode.map(modeRow)}</table>
<p><small>Spend by agent: ${report.perMode.map(
        (m) =>
          html`${m.mode}: ${Object.entries(m.byAgent).map(
            ([agent, a], i) =>
              html`${i ? '; ' : ''}${agent} ${a.calls} call(s), ${tokens(a.tokens)} tokens, ${usd(a.costUsd)}`,
          )}. `,
      )}</small></p>`
}
${
  report.comparisons.length
    ? html`<h3>Paired comparisons <small>(exact McNemar)</small></h3><table><tr><th>modes</th><th>pairs</th>
<th>both ${report.outcome}</th><th>only first</th><th>only second</th><th>neither</th><th>p</th><th>tokens second ÷ first</th></tr>
${report.comparisons.map(
  (c) => html`<tr><td>${c.a} vs ${c.b}</td><td>${c.pairs}</td><td>${c.both}</td><td>${c.onlyA}</td><td>${c.onlyB}</td>
<td>${c.neither}</td><td>${pValue(c.p)}</td><td>${c.tokensRatio === null ? '–' : `${c.tokensRatio.toFixed(2)}×`}</td></tr>`,
)}</table>`
    : ''
}
${
  report.impossible
    ? ''
    : html`<h3>The skeptic's confirmed catches</h3>${
        confirmed.length
          ? html`<ul>${confirmed.map((c) => html`<li><b>${c.instanceId}</b> (${c.mode}) ${c.id}: ${c.claim}</li>`)}</ul>`
          : html`<p>None.</p>`
      }`
}
${
  report.skipped.length
    ? html`<h3>Skipped tasks</h3><ul>${report.skipped.map((s) => html`<li><b>${s.instanceId}</b>: ${s.reason}</li>`)}</ul>`
    : ''
}
</section>`.text;
}

/** A whole HTML document around the section (until the record's pages take it in). */
export function evalPage(report: EvalReport): string {
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>duo eval</title></head><body>\n${evalSection(report)}\n</body></html>\n`;
}
