/** The small pieces every section is made of: a section with its heading, badges, verbatim text, a list of text. */

import { type Html, html, type Interpolation } from './html.js';

/** A top-level section: its id is the table of contents' anchor and the browser tests' handle. */
export function section(id: string, title: string, body: Interpolation, intro?: Interpolation): Html {
  return html`<section id="${id}" aria-labelledby="h-${id}">
<h2 id="h-${id}">${title}</h2>
${intro ? html`<p class="intro">${intro}</p>` : ''}${body}
</section>
`;
}

/**
 * A coloured word for a status, severity or outcome. The class comes from a fixed set (an unknown value gets the
 * neutral one), so a record edited by hand cannot pick a class.
 */
export const TONES: Record<string, string> = {
  green: 'good',
  answered: 'good',
  fixed: 'good',
  passed: 'good',
  approve: 'good',
  resolved: 'good',
  red: 'bad',
  failed: 'bad',
  blocker: 'bad',
  open: 'bad',
  reject: 'bad',
  hold: 'bad',
  damaged: 'bad',
  major: 'warn',
  escalated: 'warn',
  unverified: 'warn',
  'awaiting-decision': 'warn',
  paused: 'warn',
  interrupted: 'warn',
  revise: 'warn',
  rebutted: 'info',
  'accept-rebuttal': 'info',
  running: 'info',
  minor: 'info',
};

export function badge(word: string, text: string = word): Html {
  return html`<span class="badge t-${TONES[word] ?? 'plain'}">${text}</span>`;
}

/** Text in a paragraph, or nothing when empty. */
export function para(text: string | null | undefined, cls = ''): Html | '' {
  return text ? html`<p class="${cls}">${text}</p>` : '';
}

export function list(items: Interpolation[], cls = ''): Html | '' {
  return items.length ? html`<ul class="${cls}">${items.map((i) => html`<li>${i}</li>`)}</ul>` : '';
}

/** Definition list of label → value, skipping empty values. */
export function facts(rows: [string, Interpolation][]): Html {
  const shown = rows.filter(([, v]) => v !== null && v !== undefined && v !== '' && v !== false);
  return html`<dl class="facts">${shown.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** Verbatim output: each line its own element, so lines can be marked (failing tests) and nothing is interpreted. */
export function verbatim(text: string, marked: (line: string) => boolean = () => false): Html {
  const lines = text.replace(/\n$/, '').split('\n');
  return html`<pre class="verbatim"><code>${lines.map((l) =>
    marked(l) ? html`<mark class="fail-line">${l}</mark>\n` : html`${l}\n`,
  )}</code></pre>`;
}
