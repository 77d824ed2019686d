/**
 * The diff, one folded section per file, with the findings marked under the lines they point at (and linked back
 * to the finding). The lines are a real table — old number, new number, the line — so it reads without styles too.
 */

import type { RunState } from '../../protocol/types.js';
import type { Anchors } from './anchors.js';
import type { DiffFile, DiffLine, RunDiff } from './diff.js';
import { plural } from './format.js';
import { fragment, type Html, html } from './html.js';
import { badge, section } from './widgets.js';

const STATUS: Record<string, string> = {
  A: 'added',
  D: 'deleted',
  M: 'modified',
  T: 'type changed',
  C: 'copied',
  R: 'renamed',
};
const SIGN: Record<DiffLine['kind'], string> = { add: '+', del: '−', ctx: ' ', hunk: '', meta: '' };

function noteRows(state: RunState, anchors: Anchors, indexes: number[]): Html[] {
  return indexes.map((n) => {
    const e = state.findings[n];
    if (!e) return html``;
    return html`<tr class="d-note"><td colspan="3"><a href="${fragment(anchors.findingAt(n))}">▲ ${e.id} · ${e.finding.severity} · ${e.resolution}: ${e.finding.claim}</a></td></tr>`;
  });
}

function fileSection(state: RunState, file: DiffFile, i: number, anchors: Anchors): Html {
  const marks = anchors.marks(i);
  const count = [...marks.atLine.values()].reduce((s, xs) => s + xs.length, 0) + marks.elsewhere.length;
  const rows = file.lines.map((l) => {
    const cls = `d-${l.kind}`;
    if (l.kind === 'hunk' || l.kind === 'meta')
      return html`<tr class="${cls}"><td class="ln"></td><td class="ln"></td><td class="code">${l.text}</td></tr>`;
    const noted = l.new !== null ? marks.atLine.get(l.new) : undefined;
    const line = noted
      ? html`<tr class="${cls} marked" id="${anchors.lineAnchor(i, l.new as number)}"><td class="ln">${l.old ?? ''}</td><td class="ln">${l.new ?? ''}</td><td class="code"><span class="sign" aria-hidden="true">${SIGN[l.kind]}</span>${l.text}</td></tr>`
      : html`<tr class="${cls}"><td class="ln">${l.old ?? ''}</td><td class="ln">${l.new ?? ''}</td><td class="code"><span class="sign" aria-hidden="true">${SIGN[l.kind]}</span>${l.text}</td></tr>`;
    return noted ? html`${line}${noteRows(state, anchors, noted)}` : line;
  });
  const elsewhere = marks.elsewhere.length
    ? html`<table class="diff"><tbody>${noteRows(state, anchors, marks.elsewhere)}</tbody></table>`
    : '';
  const body = file.binary
    ? html`<p class="empty">A binary file: its contents are not shown.</p>`
    : html`<table class="diff"><caption class="sr-only">Changes to ${file.path}</caption><thead class="sr-only"><tr><th scope="col">old line</th><th scope="col">new line</th><th scope="col">line</th></tr></thead><tbody>${rows}</tbody></table>`;
  return html`<details class="file" id="${anchors.fileAnchor(i)}"><summary><code>${file.path}</code> ${badge('plain', STATUS[file.status] ?? file.status)} <span class="add">+${file.added}</span> <span class="del">−${file.removed}</span>${count ? html` <span class="badge t-warn">${plural(count, 'finding')}</span>` : ''}</summary>
${elsewhere}${body}${file.cut ? html`<p class="empty">${plural(file.cut, 'more line')} of this file are not shown here.</p>` : ''}
</details>`;
}

export function diffSection(state: RunState, diff: RunDiff, anchors: Anchors): Html {
  const added = diff.files.reduce((s, f) => s + f.added, 0);
  const removed = diff.files.reduce((s, f) => s + f.removed, 0);
  const intro = diff.files.length
    ? html`${plural(diff.files.length, 'file')}, <span class="add">+${added}</span> <span class="del">−${removed}</span>. The whole of it: <code>git diff ${diff.from?.slice(0, 12) ?? ''} ${diff.to?.slice(0, 12) ?? ''}</code>. Files are folded; a finding's link opens its file at its line.`
    : '';
  const body = html`${diff.note ? html`<p class="empty">${diff.note}</p>` : ''}${
    diff.files.length || diff.note ? '' : html`<p class="empty">No files changed.</p>`
  }${diff.files.map((f, i) => fileSection(state, f, i, anchors))}`;
  return section('diff', 'The diff', body, intro);
}
