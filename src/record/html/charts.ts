/**
 * The record page's charts, as inline SVG drawn here (no chart library: three shapes cover them). Every bar is
 * focusable and carries its figures as a tooltip; every chart has its figures in a real table beside it, for
 * readers without a pointer, without SVG or without sight.
 */

import { type Html, html, type Interpolation } from './html.js';

export type Tone = 'good' | 'bad' | 'warn' | 'info' | 'plain' | 'a0' | 'a1' | 'a2' | 'a3';

export interface HBar {
  label: string;
  /** 0–1 of the bar's full width. */
  share: number;
  /** What is written at the bar's end. */
  text: string;
  tip: string;
  tone: Tone;
}

const W = 640;
const LABEL = 190;
const ROW = 24;

function bar(x: number, y: number, w: number, h: number, tone: Tone, tip: string): Html {
  return html`<rect class="cbar c-${tone}" x="${x.toFixed(1)}" y="${y}" width="${Math.max(0, w).toFixed(1)}" height="${h}" rx="2" tabindex="0" role="img" aria-label="${tip.replaceAll('\n', '; ')}" data-tip="${tip}"><title>${tip}</title></rect>`;
}

/** Groups of horizontal bars (e.g. a reviewer, then one bar per confidence band). */
export function groupedBars(title: string, groups: { title: string; bars: HBar[] }[]): Html {
  let y = 4;
  const parts: Html[] = [];
  const room = W - LABEL - 70;
  for (const g of groups) {
    parts.push(html`<text class="group" x="0" y="${y + 14}">${g.title}</text>`);
    y += ROW;
    for (const b of g.bars) {
      parts.push(
        html`<text class="clabel" x="12" y="${y + 15}">${b.label}</text>`,
        html`<rect class="track" x="${LABEL}" y="${y + 4}" width="${room}" height="14" rx="2"></rect>`,
        bar(LABEL, y + 4, room * Math.min(1, Math.max(0, b.share)), 14, b.tone, b.tip),
        html`<text class="value" x="${LABEL + room + 6}" y="${y + 15}">${b.text}</text>`,
      );
      y += ROW;
    }
    y += 6;
  }
  return html`<svg class="cchart" viewBox="0 0 ${W} ${y}" width="100%" role="group" aria-label="${title}">${parts}</svg>`;
}

export interface Stack {
  label: string;
  parts: { label: string; value: number; tone: Tone }[];
}

/** One 100% bar per row, split by its parts (e.g. how a reviewer's findings ended). */
export function stackedBars(title: string, rows: Stack[]): Html {
  const room = W - LABEL - 10;
  const parts: Html[] = [];
  rows.forEach((r, i) => {
    const y = 4 + i * ROW;
    const total = r.parts.reduce((s, p) => s + p.value, 0);
    parts.push(html`<text class="clabel" x="0" y="${y + 15}">${r.label}</text>`);
    let x = LABEL;
    for (const p of r.parts) {
      if (!p.value) continue;
      const w = (p.value / Math.max(total, 1)) * room;
      const tip = `${r.label}\n${p.label}: ${p.value} of ${total} (${Math.round((p.value / total) * 100)}%)`;
      parts.push(bar(x, y + 4, w, 14, p.tone, tip));
      x += w;
    }
  });
  return html`<svg class="cchart" viewBox="0 0 ${W} ${4 + rows.length * ROW + 4}" width="100%" role="group" aria-label="${title}">${parts}</svg>`;
}

export interface Column {
  label: string;
  value: number;
  tip: string;
  /** A second measure on a 0–1 scale, drawn as a line across the columns (e.g. a plan window's use). */
  lines: (number | null)[];
}

/** Columns over days, with up to two 0–1 lines on a right-hand scale (spend against the plan windows). */
export function columns(title: string, cols: Column[], lineNames: string[]): Html {
  const H = 150;
  const left = 44;
  const right = 40;
  const plotW = W - left - right;
  const max = Math.max(1, ...cols.map((c) => c.value));
  const step = plotW / Math.max(cols.length, 1);
  const yOf = (v: number) => 10 + (1 - v / max) * (H - 20);
  const yPct = (v: number) => 10 + (1 - v) * (H - 20);
  const parts: Interpolation[] = [
    html`<line class="axis" x1="${left}" x2="${left + plotW}" y1="${H - 10}" y2="${H - 10}"></line>`,
    html`<text class="value" x="${left - 4}" y="${yOf(max) + 4}" text-anchor="end">${compact(max)}</text>`,
    html`<text class="value" x="${left + plotW + 4}" y="${yPct(1) + 4}">100%</text>`,
    html`<text class="value" x="${left + plotW + 4}" y="${yPct(0.8) + 4}">80%</text>`,
    html`<line class="grid" x1="${left}" x2="${left + plotW}" y1="${yPct(0.8)}" y2="${yPct(0.8)}"></line>`,
  ];
  cols.forEach((c, i) => {
    const x = left + i * step + step * 0.15;
    parts.push(bar(x, yOf(c.value), step * 0.7, H - 10 - yOf(c.value), 'a0', c.tip));
    if (i % Math.ceil(cols.length / 6) === 0)
      parts.push(html`<text class="value" x="${x}" y="${H + 4}">${c.label}</text>`);
  });
  lineNames.forEach((name, k) => {
    const points = cols
      .map((c, i) => (c.lines[k] === null || c.lines[k] === undefined ? null : [i, c.lines[k] as number]))
      .filter((p): p is [number, number] => p !== null)
      .map(([i, v]) => `${(left + i * step + step / 2).toFixed(1)},${yPct(v).toFixed(1)}`);
    if (points.length)
      parts.push(
        html`<polyline class="line l${k}" points="${points.join(' ')}"><title>${name}</title></polyline>`,
        ...points.map((p) => {
          const [x, y] = p.split(',');
          return html`<circle class="dot l${k}" cx="${x}" cy="${y}" r="2.5"></circle>`;
        }),
      );
  });
  return html`<svg class="cchart" viewBox="0 0 ${W} ${H + 10}" width="100%" role="group" aria-label="${title}">${parts}</svg>`;
}

function compact(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(1)}M` : n >= 1e3 ? `${Math.round(n / 1e3)}k` : String(n);
}

/** A chart with its title, a one-line reading of it, and its figures as a table one click away. */
export function figure(id: string, title: string, chart: Html, reading: Interpolation, table: Html): Html {
  return html`<figure class="chart-figure" id="${id}" aria-labelledby="${id}-t">
<figcaption><h3 id="${id}-t">${title}</h3><p>${reading}</p></figcaption>
${chart}
<details class="figures"><summary>The figures, as a table</summary>${table}</details>
</figure>`;
}
