/**
 * The verify gate as duo measured it: base against final, what the run did to the checks and how each change was
 * judged, the reverts, then every attempt's commands with exit codes and their output verbatim — folded, cut to
 * its tail with a relative link to the whole log beside the page, failing tests marked.
 */

import { relative, sep } from 'node:path';
import type { RunState, VerifyRecord } from '../../protocol/types.js';
import { firstOf } from '../../sys/text.js';
import { acceptedBy, comparisonNote, side } from '../integrity-report.js';
import { duration, plural } from './format.js';
import { type Html, html, relativeUrl } from './html.js';
import { badge, list, section, verbatim } from './widgets.js';

type Result = VerifyRecord['results'][number];

const TAIL_LINES = 120;
const TAIL_CHARS = 8_000;

/** Lines a runner prints for a failure, and any line naming a failing test. */
export function failureMarker(r: Pick<Result, 'failingTests'>): (line: string) => boolean {
  const names = (r.failingTests ?? []).filter((n) => n.length >= 4);
  const shape = /^\s*(not ok\b|FAIL(ED)?\b|✗|✕|×|ERROR\b|E {2,}|\S.*\(\d+,\d+\): error TS\d+)/;
  return (line) => shape.test(line) || names.some((n) => line.includes(n));
}

function tail(text: string): { text: string; cut: boolean } {
  const whole = text.replace(/\n$/, '');
  let out = whole.split('\n').slice(-TAIL_LINES).join('\n');
  if (out.length > TAIL_CHARS) out = out.slice(-TAIL_CHARS);
  return { text: out, cut: out.length < whole.length };
}

/** The full log, as a link relative to the page when it sits in the run's folder (duo's logs always do). */
function logLink(r: Result, recordDir: string): Html {
  const rel = relative(recordDir, r.outputPath);
  if (!rel || rel.split(sep).includes('..') || rel.startsWith(sep)) return html`<code>${r.outputPath}</code>`;
  return html`<a href="${relativeUrl(rel.split(sep).join('/'))}">${rel.split(sep).join('/')}</a>`;
}

function command(r: Result, recordDir: string, open: boolean): Html {
  const exit = r.timedOut ? 'timed out' : r.exitCode === null ? 'did not start' : `exit ${r.exitCode}`;
  const counts = r.counts
    ? `${r.counts.passed ?? '?'} passed, ${r.counts.failed} failed, ${r.counts.skipped} skipped (${r.counts.runner})`
    : r.problems !== undefined
      ? plural(r.problems, 'problem')
      : '';
  const shown = tail(r.output);
  const summary = html`<summary>Output${shown.cut ? ` (its last lines; the command printed ${plural(r.outputBytes, 'byte')})` : ''}</summary>${verbatim(shown.text, failureMarker(r))}`;
  const output = !r.output
    ? html`<p class="muted">It printed nothing.</p>`
    : open
      ? html`<details class="output" open>${summary}</details>`
      : html`<details class="output">${summary}</details>`;
  return html`<div class="command">
<p><code class="cmd">$ ${r.command}</code> ${badge(r.passed ? 'passed' : 'failed')} ${exit} · ${duration(r.durationMs)}${counts ? ` · ${counts}` : ''}</p>
${r.reason && !r.passed ? html`<p class="reason">${r.reason}</p>` : ''}
${r.startError ? html`<p class="reason">Could not start: ${r.startError}</p>` : ''}
${r.failingTests?.length ? html`<p>Failing: ${r.failingTests.map((t, i) => html`${i ? ', ' : ''}<mark class="fail-line">${t}</mark>`)}</p>` : ''}
${r.firstTry ? html`<p class="muted">It failed while other checks ran beside it (${r.firstTry.reason ?? `exit ${r.firstTry.exitCode}`}); this is its run alone.</p>` : ''}
${output}
<p class="log">Full log: ${logLink(r, recordDir)}${r.logCutBytes ? ` (${plural(r.logCutBytes, 'byte')} cut from its middle)` : ''}</p>
</div>`;
}

function comparison(v: VerifyRecord): Html | '' {
  const rows = v.integrity?.comparisons ?? [];
  if (!rows.length) return '';
  return html`<table class="data"><caption>Base against final (the last attempt)</caption>
<thead><tr><th scope="col">command</th><th scope="col">at the base</th><th scope="col">final</th><th scope="col">what it means</th></tr></thead>
<tbody>${rows.map(
    (c) =>
      html`<tr><td><code>${c.command}</code></td><td>${c.base ? side(c.base) : 'not taken'}</td><td>${side(c.final)}</td><td>${comparisonNote(c) || '–'}</td></tr>`,
  )}</tbody></table>`;
}

function integrity(state: RunState, v: VerifyRecord): Html {
  const issues = (v.integrity?.issues ?? []).filter((i) => i.kind !== 'outside-write');
  const unaccepted = issues.filter((i) => i.blocking && !i.acceptance);
  const onPurpose = issues.filter((i) => i.acceptance && i.kind !== 'declared-original-fails');
  const info = issues.filter((i) => !i.blocking && !i.acceptance);
  return html`${
    v.integrity?.headline ? html`<div class="callout bad"><p><strong>${v.integrity.headline}</strong></p></div>` : ''
  }${
    v.sha
      ? html`<p>Judged on a pristine checkout of <code>${v.sha.slice(0, 12)}</code>, exactly the commit applying the run brings in.</p>`
      : ''
  }${outside(state)}${
    v.baseDefinition?.length
      ? html`<p><strong>The gate ran the checks as defined at the base</strong> for ${v.baseDefinition.map((p, i) => html`${i ? ', ' : ''}<code>${p}</code>`)}: the run's change to them was not accepted.</p>`
      : ''
  }${
    unaccepted.length
      ? html`<h3>Not accepted — the run cannot be green while these stand</h3>${list(unaccepted.map((i) => html`<strong>${i.title}.</strong> ${i.evidence}`))}`
      : ''
  }${
    onPurpose.length
      ? html`<h3>Tests changed on purpose</h3>${list(onPurpose.map((i) => html`${i.title} — ${acceptedBy(i.acceptance?.by)}: ${i.acceptance?.note ?? ''}`))}`
      : ''
  }${info.length ? html`<h3>Also changed</h3>${list(info.map((i) => i.title))}` : ''}${
    v.original
      ? html`<h3>Original tests re-run (as they are at the base, on the new code)</h3>${list(
          v.original.results.map(
            (r) =>
              html`<code>${r.command}</code> with ${v.original?.restored.join(', ')}: ${badge(r.passed ? 'passed' : 'failed')}${r.passed ? '' : ` ${r.reason ?? `exit ${r.exitCode}`}`}`,
          ),
        )}`
      : ''
  }${
    v.declared
      ? html`<h3>Tests changed on purpose: their originals re-run on the final code</h3>${list(
          v.declared.results.map(
            (r) =>
              html`original ${v.declared?.restored.join(', ')} with <code>${r.command}</code>: ${badge(r.passed ? 'passed' : 'failed', r.passed ? 'still passes' : 'fails on the final code')}`,
          ),
        )}`
      : ''
  }${
    state.rewardChecks.length
      ? html`<h3>The reviewer's reward-hacking checklist</h3>${list(
          state.rewardChecks.map(
            (c) =>
              html`${c.agent} at <code>${c.step}</code>: ${c.missing.length ? (c.checked.length ? `${c.checked.length} of ${c.checked.length + c.missing.length} items (not: ${c.missing.join(', ')})` : 'did not say it went through it') : 'every item'}${c.suspicious.length ? html` — suspicious: ${c.suspicious.join('; ')}` : ''}`,
          ),
        )}`
      : ''
  }${
    state.reverts.length
      ? html`<h3>Reverted by duo</h3><p class="muted">Undeclared edits to protected files, put back right after the agent wrote them.</p>${list(state.reverts.map((r) => html`${r.reason} <span class="muted">(${r.agent}, ${r.step})</span>`))}`
      : ''
  }`;
}

export function gateSection(state: RunState, recordDir: string): Html {
  const last = state.verify.at(-1);
  if (!last && !state.baseline)
    return section(
      'gate',
      'The gate',
      html`<p class="empty">${state.mode === 'answer' ? 'An answer: no code, no gate.' : 'The gate did not run.'}</p>`,
    );
  const attempts = state.verify.map((v, i) => {
    const latest = i === state.verify.length - 1;
    const title = html`<summary>Attempt ${v.attempt}: ${badge(v.status, v.status.toUpperCase())} ${plural(v.results.length, 'command')}</summary>`;
    // The outputs worth reading first are open: the last attempt's failures.
    const body = html`${v.results.length ? '' : html`<p class="empty">No commands ran.</p>`}${v.results.map((r) =>
      command(r, recordDir, latest && !r.passed),
    )}${
      v.original?.results.length
        ? html`<h4>The original tests, re-run on the new code</h4>${v.original.results.map((r) => command(r, recordDir, false))}`
        : ''
    }`;
    return latest
      ? html`<details class="attempt" open>${title}${body}</details>`
      : html`<details class="attempt">${title}${body}</details>`;
  });
  const baseline = state.baseline
    ? html`<details class="attempt"><summary>Baseline: the checks on the untouched base (${state.baseline.sha.slice(0, 10)}), beside the plan phase · ${duration(state.baseline.durationMs)}</summary>${state.baseline.results.map((r) => command(r, recordDir, false))}</details>`
    : '';
  const body = html`${last ? comparison(last) : ''}${last ? integrity(state, last) : ''}<h3>Attempts</h3>${attempts}${baseline}`;
  return section(
    'gate',
    'The gate',
    body,
    'duo ran these commands itself — no agent did — and this is what they printed. Nothing an agent says can make the gate green.',
  );
}

/** What the run wrote outside its worktree: the folder, the files, and how to put them back. */
function outside(state: RunState): Html | '' {
  if (!state.outsideWrites.length) return '';
  return html`<h3>Written outside the run's worktree</h3><p class="muted">The run cannot be green after this.</p>${list(
    state.outsideWrites.map(
      (w) =>
        html`${w.dir === '.git' ? 'the shared .git' : w.dir === '.' ? 'your working tree' : w.dir}, by ${w.agent} during <code>${w.step}</code>: ${firstOf(w.paths, 10, w.count)}`,
    ),
  )}`;
}
