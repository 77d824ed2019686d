/**
 * The pages' scripts: what JavaScript adds to pages that read without it — tooltips on hover and focus, the
 * findings' filters, links that open a folded diff at a line, the record page's search and filters, every fold
 * opened for printing. Plain browser JavaScript kept as text (the build compiles Node code only); the page's
 * Content-Security-Policy allows exactly this text by its hash. It only ever puts run data into the page as text
 * (textContent, never innerHTML).
 */

import { words } from './search-index.js';
import { TONES } from './widgets.js';

const COMMON = `
const tip = document.getElementById('tip');
let tipFor = null;
function showTip(el) {
  const text = el.getAttribute('data-tip');
  if (!text || !tip) return;
  tip.textContent = text;
  tip.hidden = false;
  tipFor = el;
  const r = el.getBoundingClientRect();
  const w = tip.offsetWidth;
  const h = tip.offsetHeight;
  const maxX = window.scrollX + document.documentElement.clientWidth - w - 8;
  const x = Math.max(window.scrollX + 8, Math.min(window.scrollX + r.left + r.width / 2 - w / 2, maxX));
  const above = r.top - h - 8 >= 0;
  tip.style.left = x + 'px';
  tip.style.top = (above ? window.scrollY + r.top - h - 8 : window.scrollY + r.bottom + 8) + 'px';
}
function hideTip() {
  if (tip) tip.hidden = true;
  tipFor = null;
}
document.addEventListener('mouseover', (e) => {
  const el = e.target instanceof Element ? e.target.closest('[data-tip]') : null;
  if (el) showTip(el);
  else if (tipFor && tipFor !== document.activeElement) hideTip();
});
document.addEventListener('focusin', (e) => {
  const el = e.target instanceof Element ? e.target.closest('[data-tip]') : null;
  if (el) showTip(el);
  else hideTip();
});
document.addEventListener('keydown', (e) => {
  if (e.key === 'Escape') hideTip();
  // Arrow keys walk the bars of a chart, in order.
  const el = e.target;
  if (!(el instanceof Element) || !el.hasAttribute('data-tip')) return;
  if (e.key !== 'ArrowRight' && e.key !== 'ArrowLeft') return;
  const all = Array.from(el.closest('svg').querySelectorAll('[data-tip]'));
  const next = all[all.indexOf(el) + (e.key === 'ArrowRight' ? 1 : -1)];
  if (next) {
    e.preventDefault();
    next.focus();
  }
});
const printed = [];
window.addEventListener('beforeprint', () => {
  for (const d of document.querySelectorAll('details:not([open])')) {
    d.open = true;
    printed.push(d);
  }
});
window.addEventListener('afterprint', () => {
  for (const d of printed.splice(0)) d.open = false;
});
`;

/** The run page: findings' filters, and links to a line of a folded diff (or to a filtered-out finding). */
export const RUN_SCRIPT = `(() => {
'use strict';
${COMMON}
const form = document.getElementById('finding-filters');
const cards = Array.from(document.querySelectorAll('#finding-list .finding'));
function filterFindings() {
  if (!form) return;
  const want = {};
  for (const s of form.querySelectorAll('select')) want[s.name] = s.value;
  let shown = 0;
  for (const c of cards) {
    const ok = Object.keys(want).every((k) => !want[k] || c.dataset[k] === want[k]);
    c.hidden = !ok;
    if (ok) shown++;
  }
  document.getElementById('finding-count').textContent = shown + ' of ' + cards.length + ' shown';
  document.getElementById('finding-none').hidden = shown > 0;
}
if (form) {
  form.hidden = false;
  form.addEventListener('change', filterFindings);
  form.addEventListener('submit', (e) => e.preventDefault());
  filterFindings();
}
function reveal(id) {
  const target = id && document.getElementById(id);
  if (!target) return false;
  if (form && target.closest('[hidden]')) {
    form.reset();
    filterFindings();
  }
  for (let p = target.parentElement; p; p = p.parentElement) if (p.tagName === 'DETAILS') p.open = true;
  if (target.tagName === 'DETAILS') target.open = true;
  if (!target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: 'center' });
  for (const old of document.querySelectorAll('.current')) old.classList.remove('current');
  target.classList.add('current');
  return true;
}
document.addEventListener('click', (e) => {
  const a = e.target instanceof Element ? e.target.closest('a[href^="#"]') : null;
  if (!a) return;
  const id = decodeURIComponent(a.getAttribute('href').slice(1));
  if (reveal(id)) {
    e.preventDefault();
    history.pushState(null, '', '#' + id);
  }
});
window.addEventListener('hashchange', () => reveal(decodeURIComponent(location.hash.slice(1))));
if (location.hash) reveal(decodeURIComponent(location.hash.slice(1)));
})();
`;

/** The record page: every run from the page's data, searched and filtered here, shown a page at a time. */
export const RECORD_SCRIPT = `(() => {
'use strict';
${COMMON}
const block = document.getElementById('runs-data');
const form = document.getElementById('run-filters');
if (!block || !form) return;
const data = JSON.parse(block.textContent);
const runs = data.runs;
const tbody = document.getElementById('run-rows');
const more = document.getElementById('run-more');
const count = document.getElementById('run-count');
const note = document.getElementById('run-static-note');
const PAGE = 200;
let matches = [];
let shown = 0;
const words = ${words.toString()};
const vocabulary = Object.keys(data.index);
const decoded = new Map();
function postings(word) {
  let set = decoded.get(word);
  if (set) return set;
  set = new Uint8Array(runs.length);
  const value = data.index[word];
  if (value.startsWith('~')) {
    const bytes = atob(value.slice(1));
    for (let i = 0; i < runs.length; i++) if (bytes.charCodeAt(i >> 3) & (1 << (i & 7))) set[i] = 1;
  } else {
    let run = -1;
    for (const gap of value.split(',')) set[(run += parseInt(gap, 36))] = 1;
  }
  decoded.set(word, set);
  return set;
}
/** Runs holding every query word, each word anywhere inside a word of theirs (as duo log --search does). */
function search(query) {
  const terms = words(query);
  if (!terms.length) return null;
  let all = null;
  for (const term of terms) {
    const any = new Uint8Array(runs.length);
    for (const w of vocabulary) {
      if (!w.includes(term)) continue;
      const set = postings(w);
      for (let i = 0; i < set.length; i++) any[i] |= set[i];
    }
    if (all) for (let i = 0; i < all.length; i++) all[i] &= any[i];
    else all = any;
  }
  return all;
}
function cell(tr, text, cls) {
  const td = document.createElement('td');
  if (cls) td.className = cls;
  if (text instanceof Node) td.appendChild(text);
  else td.textContent = text;
  tr.appendChild(td);
}
const TONES = ${JSON.stringify(TONES)};
function row(r) {
  const tr = document.createElement('tr');
  cell(tr, new Date(r[1] * 1000).toISOString().slice(0, 16).replace('T', ' '));
  const a = document.createElement('a');
  a.href = 'runs/' + encodeURIComponent(r[0]) + '/report.' + (r[9] ? 'html' : 'md');
  a.textContent = r[0];
  cell(tr, a);
  cell(tr, data.modes[r[2]] + (r[4] ? ' (auto)' : ''));
  const status = data.statuses[r[3]];
  const badge = document.createElement('span');
  badge.className = 'badge t-' + (TONES[status] || 'plain');
  badge.textContent = status;
  cell(tr, badge);
  cell(tr, r[5] + (r[6] ? ' (' + r[6] + ' standing)' : ''));
  cell(tr, String(r[7]));
  cell(tr, r[8], 'task');
  return tr;
}
function showMore() {
  const rows = document.createDocumentFragment();
  for (const i of matches.slice(shown, shown + PAGE)) rows.appendChild(row(runs[i]));
  tbody.appendChild(rows);
  shown = Math.min(matches.length, shown + PAGE);
  more.hidden = shown >= matches.length;
  more.textContent = 'Show ' + Math.min(PAGE, matches.length - shown) + ' more';
}
function apply() {
  const q = form.elements.q.value;
  const status = form.elements.status.value;
  const mode = form.elements.mode.value;
  const days = Number(form.elements.since.value);
  const found = search(q);
  const after = days ? data.now - days * 86400 : 0;
  matches = [];
  for (let i = 0; i < runs.length; i++) {
    const r = runs[i];
    if (found && !found[i]) continue;
    if (status && data.statuses[r[3]] !== status) continue;
    if (mode && !(mode === 'auto' ? r[4] : data.modes[r[2]] === mode)) continue;
    if (after && r[1] < after) continue;
    matches.push(i);
  }
  tbody.textContent = '';
  shown = 0;
  showMore();
  count.textContent = matches.length + ' of ' + runs.length + ' runs';
  document.getElementById('run-none').hidden = matches.length > 0;
}
form.hidden = false;
if (note) note.hidden = true;
let timer = 0;
form.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(apply, 120);
});
form.addEventListener('change', apply);
form.addEventListener('submit', (e) => {
  e.preventDefault();
  apply();
});
more.addEventListener('click', showMore);
apply();
})();
`;
