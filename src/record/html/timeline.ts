/**
 * The timeline as inline SVG: one lane per agent, the gate and the baseline, phases as bands behind them, a bar per
 * call or command. Each bar is focusable and carries its step, duration, tokens and cost (a native tooltip, and the
 * page script's richer one on hover or focus); the same facts stand in a table below it for readers without a
 * pointer or without SVG. Long idle stretches (a pause until a limit resets, a run resumed the next day) are cut
 * out of the axis and marked, so a three-hour wait does not squeeze the run into a sliver.
 */

import { duration, offset, tokens, usd } from './format.js';
import { type Html, html } from './html.js';
import type { Bar, Timeline } from './timeline-data.js';
import { section } from './widgets.js';

const WIDTH = 960;
const LABEL = 170;
const PLOT = WIDTH - LABEL - 10;
const ROW = 22;
const BAR = 14;
const TOP = 22;
const AXIS = 26;
const BREAK = 26;
const MIN_BAR = 3;

interface Segment {
  from: number;
  to: number;
  x: number;
  width: number;
}

/** The stretches of time drawn to scale; idle gaps longer than a quarter of the busy time (and a minute) are cut. */
function segments(t: Timeline): { segs: Segment[]; breaks: { x: number; ms: number }[] } {
  const spans = [...t.bars.map((b) => [b.start, b.end]), ...t.marks.map((m) => [m.at, m.at])].sort(
    (a, b) => (a[0] as number) - (b[0] as number),
  );
  const busy: number[][] = [];
  for (const [s, e] of spans as [number, number][]) {
    const last = busy.at(-1);
    if (last && s <= (last[1] as number)) last[1] = Math.max(last[1] as number, e);
    else busy.push([s, e]);
  }
  const busyMs = busy.reduce((sum, [s, e]) => sum + ((e as number) - (s as number)), 0);
  const cut = Math.max(60_000, busyMs / 4);
  const parts: [number, number][] = [];
  let from = t.start;
  const gaps: [number, number][] = [];
  let prevEnd = t.start;
  for (const [s, e] of busy as [number, number][]) {
    if (s - prevEnd > cut) gaps.push([prevEnd, s]);
    prevEnd = Math.max(prevEnd, e);
  }
  if (t.end - prevEnd > cut) gaps.push([prevEnd, t.end]);
  for (const [gs, ge] of gaps) {
    parts.push([from, gs]);
    from = ge;
  }
  parts.push([from, t.end]);
  const shown = parts.reduce((sum, [s, e]) => sum + Math.max(e - s, 1), 0);
  const room = PLOT - gaps.length * BREAK;
  const segs: Segment[] = [];
  const breaks: { x: number; ms: number }[] = [];
  let x = LABEL;
  parts.forEach(([s, e], i) => {
    const width = (Math.max(e - s, 1) / shown) * room;
    segs.push({ from: s, to: e, x, width });
    x += width;
    const gap = gaps[i];
    if (gap) {
      breaks.push({ x, ms: gap[1] - gap[0] });
      x += BREAK;
    }
  });
  return { segs, breaks };
}

function xOf(segs: Segment[], t: number): number {
  const seg = segs.find((s) => t <= s.to) ?? (segs.at(-1) as Segment);
  const within = Math.min(Math.max(t, seg.from), seg.to) - seg.from;
  return seg.x + (within / Math.max(seg.to - seg.from, 1)) * seg.width;
}

/** Round tick steps for an axis of `ms`: about six of them. */
function tickStep(ms: number): number {
  const steps = [100, 250, 500, 1e3, 2e3, 5e3, 1e4, 15e3, 3e4, 6e4, 12e4, 3e5, 6e5, 9e5, 18e5, 36e5, 72e5, 216e5];
  return steps.find((s) => ms / s <= 7) ?? 864e5;
}

export function barTip(b: Bar, laneLabel: string, runStart: number): string {
  const lines = [b.label, `${laneLabel} · step ${b.step}`];
  lines.push(`${duration(b.end - b.start)}, from +${offset(b.start - runStart, b.end - runStart < 10_000)}`);
  if (b.tokens)
    lines.push(
      `tokens: ${tokens(b.tokens.input)} in, ${tokens(b.tokens.output)} out${b.tokens.cached ? `, ${tokens(b.tokens.cached)} cached` : ''}`,
    );
  if (b.costUsd !== null) lines.push(`cost: ${usd(b.costUsd)}`);
  lines.push(b.outcome);
  return lines.join('\n');
}

export function renderTimeline(t: Timeline): Html {
  const { segs, breaks } = segments(t);
  const laneTop = new Map<string, number>();
  let y = TOP;
  for (const lane of t.lanes) {
    laneTop.set(lane.key, y);
    y += lane.rows * ROW + 6;
  }
  const plotBottom = y;
  const height = plotBottom + AXIS;
  const labelOf = new Map(t.lanes.map((l) => [l.key, l.label]));
  const span = t.end - t.start;
  const fine = span < 10_000;

  const phaseBands = t.phases.map((p, i) => {
    const x0 = xOf(segs, p.start);
    const w = Math.max(1, xOf(segs, p.end) - x0);
    return html`<g class="phase"><rect class="band b${i % 2}" x="${x0.toFixed(1)}" y="${TOP - 4}" width="${w.toFixed(1)}" height="${plotBottom - TOP + 4}"></rect>${
      w > p.label.length * 6.5 ? html`<text x="${(x0 + 3).toFixed(1)}" y="${TOP - 8}">${p.label}</text>` : ''
    }</g>`;
  });

  const lanes = t.lanes.map((lane) => {
    const top = laneTop.get(lane.key) as number;
    return html`<g class="lane"><line x1="0" x2="${WIDTH}" y1="${top - 3}" y2="${top - 3}"></line><text class="lane-label" x="4" y="${top + ROW / 2 + 4}">${lane.label}</text></g>`;
  });

  const bars = t.bars.map((b) => {
    const x0 = xOf(segs, b.start);
    const w = Math.max(MIN_BAR, xOf(segs, b.end) - x0);
    const top = (laneTop.get(b.lane) as number) + b.row * ROW + (ROW - BAR) / 2;
    const tip = barTip(b, labelOf.get(b.lane) ?? b.lane, t.start);
    return html`<rect class="bar k-${b.kind}" x="${x0.toFixed(1)}" y="${top}" width="${w.toFixed(1)}" height="${BAR}" rx="2" tabindex="0" role="img" aria-label="${tip.replaceAll('\n', '; ')}" data-tip="${tip}"><title>${tip}</title></rect>`;
  });

  const ticks: Html[] = [];
  const step = tickStep(segs.reduce((sum, s) => sum + (s.to - s.from), 0));
  for (const seg of segs) {
    const first = Math.ceil((seg.from - t.start) / step) * step;
    for (let at = first; t.start + at <= seg.to; at += step) {
      const x = xOf(segs, t.start + at);
      ticks.push(
        html`<g class="tick"><line x1="${x.toFixed(1)}" x2="${x.toFixed(1)}" y1="${plotBottom}" y2="${plotBottom + 4}"></line><text x="${x.toFixed(1)}" y="${plotBottom + 16}">${offset(at, fine)}</text></g>`,
      );
    }
  }
  const cuts = breaks.map(
    (b) =>
      html`<g class="break"><rect x="${b.x + 3}" y="${TOP - 4}" width="${BREAK - 6}" height="${plotBottom - TOP + 4}"></rect><text x="${b.x + BREAK / 2}" y="${plotBottom + 16}">${`⋯ ${duration(b.ms)}`}</text><title>${`${duration(b.ms)} with nothing running (cut from the axis)`}</title></g>`,
  );
  const marks = t.marks.map((m) => {
    const x = xOf(segs, m.at).toFixed(1);
    return html`<g class="mark"><line x1="${x}" x2="${x}" y1="${TOP - 4}" y2="${plotBottom}"></line><title>${m.label}</title></g>`;
  });

  return html`<svg class="timeline" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="group" aria-label="Timeline: every agent call and verify command on the wall clock, one lane per agent">
${phaseBands}${lanes}${cuts}${marks}${bars}${ticks}
</svg>`;
}

const KIND_WORDS: Record<Bar['kind'], string> = {
  call: 'answered',
  failed: 'failed',
  pass: 'passed',
  fail: 'failed',
};

export function timelineSection(t: Timeline): Html {
  if (!t.bars.length)
    return section('timeline', 'Timeline', html`<p class="empty">Nothing ran: no agent call, no verify command.</p>`);
  const labels = new Map(t.lanes.map((l) => [l.key, l.label]));
  const sorted = [...t.bars].sort((a, b) => a.start - b.start);
  const fine = t.end - t.start < 10_000;
  const calls = t.bars.filter((b) => b.kind === 'call' || b.kind === 'failed').length;
  const commands = t.bars.length - calls;
  const legend = html`<ul class="legend" aria-hidden="true"><li><span class="key k-call"></span>agent call</li><li><span class="key k-failed"></span>failed attempt (retried, or the end)</li><li><span class="key k-pass"></span>check passed</li><li><span class="key k-fail"></span>check failed</li><li><span class="key k-band"></span>phase</li></ul>`;
  const table = html`<details class="calls"><summary>Every call and command, as a table</summary>
<table class="data"><thead><tr><th scope="col">from</th><th scope="col">lane</th><th scope="col">what</th><th scope="col">step</th><th scope="col">took</th><th scope="col">tokens in / out</th><th scope="col">cost</th><th scope="col">outcome</th></tr></thead>
<tbody>${sorted.map(
    (b) =>
      html`<tr class="k-${b.kind}"><td>+${offset(b.start - t.start, fine)}</td><td>${labels.get(b.lane) ?? b.lane}</td><td>${b.label}</td><td><code>${b.step}</code></td><td>${duration(b.end - b.start)}</td><td>${b.tokens ? `${tokens(b.tokens.input)} / ${tokens(b.tokens.output)}` : '–'}</td><td>${usd(b.costUsd)}</td><td>${KIND_WORDS[b.kind]}${b.kind === 'failed' ? `: ${b.outcome.replace(/^failed: /, '')}` : ''}</td></tr>`,
  )}</tbody></table></details>`;
  return section(
    'timeline',
    'Timeline',
    html`<div class="chart">${renderTimeline(t)}</div>${legend}${table}`,
    `${duration(t.end - t.start)} on the wall clock: ${calls} agent call(s) and ${commands} verify command(s). Hover over or focus a bar for its step, time, tokens and cost.`,
  );
}
