/**
 * What someone opening a run's page weeks later wants first: did it work, what was it for, what do I do now — the
 * verdict, the task and the next step, then the run in six numbers (findings, gate attempts, files, time, tokens,
 * cost), a decision still waiting, and where everything else is on the page.
 */

import { standingFindings } from '../../protocol/standing.js';
import type { RunState } from '../../protocol/types.js';
import { nextStep, statusLine } from '../report.js';
import { duration, plural, tokens, usd, when } from './format.js';
import { fragment, type Html, html, type Interpolation, relativeUrl } from './html.js';
import { badge, facts } from './widgets.js';

/** The report's `code` spans as <code>; everything else stays text. */
export function withCode(text: string): Interpolation[] {
  return text.split(/`([^`\n]+)`/).map((part, i) => (i % 2 ? html`<code>${part}</code>` : part));
}

const TASK_SHOWN = 2_000;

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

export const RUN_SECTIONS: [string, string][] = [
  ['timeline', 'Timeline'],
  ['plan', 'Plan rounds'],
  ['findings', 'Findings'],
  ['diff', 'The diff'],
  ['gate', 'The gate'],
  ['cost', 'Cost, decisions and disagreements'],
];

export function runHead(state: RunState, opts: { recordPage: boolean; next?: string }): Html {
  const status = statusLine(state);
  const next = opts.next ?? nextStep(state);
  const usage = Object.values(state.usage);
  const inTokens = usage.reduce((s, u) => s + u.inputTokens, 0);
  const outTokens = usage.reduce((s, u) => s + u.outputTokens, 0);
  const costs = usage.filter((u) => u.costUsd !== null);
  const agentMs = usage.reduce((s, u) => s + u.durationMs, 0);
  const gateMs = state.verify.reduce(
    (s, v) => s + Math.max(0, ...[...v.results, ...(v.original?.results ?? [])].map((r) => r.durationMs)),
    0,
  );
  const wall = Date.parse(state.finishedAt ?? state.updatedAt) - Date.parse(state.createdAt);
  const by = (r: string) => state.findings.filter((f) => f.resolution === r).length;
  const standing = standingFindings(state.findings).length;
  const added = state.changes.reduce((s, c) => s + c.added, 0);
  const removed = state.changes.reduce((s, c) => s + c.removed, 0);

  const tiles: [string, Interpolation, string][] = [
    [
      'Findings',
      String(state.findings.length),
      `${by('fixed')} fixed · ${by('rebutted')} rebutted · ${by('escalated')} escalated · ${by('open')} open${standing ? ` · ${standing} standing` : ''}`,
    ],
    [
      'Gate',
      state.verify.length ? state.verify.map((v) => v.status.toUpperCase()).join(' → ') : 'did not run',
      state.verify.length ? plural(state.verify.length, 'attempt') : state.mode === 'answer' ? 'no code' : '',
    ],
    ['Changes', plural(state.changes.length, 'file'), `+${added} −${removed}`],
    ['Time', duration(wall), `agents ${duration(agentMs)} · checks ${duration(gateMs)}`],
    ['Tokens', tokens(inTokens + outTokens), `${tokens(inTokens)} in · ${tokens(outTokens)} out`],
    [
      'Cost',
      costs.length ? usd(costs.reduce((s, u) => s + (u.costUsd ?? 0), 0)) : 'not reported',
      costs.length < usage.length ? 'where the CLI reports it' : 'as the CLIs reported it',
    ],
  ];

  const roles = [`driver ${state.roles.driver}`];
  if (state.roles.skeptic) roles.push(`skeptic ${state.roles.skeptic}`);
  if (state.roles.dispatcher) roles.push(`dispatcher ${state.roles.dispatcher}`);
  const review = state.options.review;
  const open = state.cards.filter((c) => !state.decisions.some((d) => d.cardId === c.id));
  const task = state.task.length > TASK_SHOWN ? `${state.task.slice(0, TASK_SHOWN)}…` : state.task;

  return html`<header class="run-head">
<p class="crumb">duo run <code>${state.runId}</code>${opts.recordPage ? html` · <a href="${relativeUrl('index.html', 2)}">every run</a>` : ''}</p>
<h1><span class="verdict">${badge(state.status, state.status.toUpperCase())}</span> ${state.unreviewed ? html`<span class="badge t-bad">UNREVIEWED</span> ` : ''}${sentence(status.replace(/^[A-Z -]+ — /, ''))}</h1>
<p class="task"><span class="kicker">Task</span> ${task}</p>
${next ? html`<p class="next"><strong>Next:</strong> ${withCode(next)}</p>` : ''}
${state.error ? html`<div class="callout bad" role="alert"><p><strong>Error:</strong> ${state.error.message}</p>${state.error.hint ? html`<p><strong>What to do:</strong> ${withCode(state.error.hint)}</p>` : ''}</div>` : ''}
${open.map(
  (c) => html`<div class="callout warn card"><h2 class="h3">Decision needed: ${c.id}</h2>
<p><strong>Question:</strong> ${c.question}</p>
<div class="sides"><div><h3 class="h4">Driver</h3><p>${c.driverPosition}</p></div><div><h3 class="h4">Skeptic</h3><p>${c.skepticPosition}</p></div></div>
<p><strong>Expensive to get wrong:</strong> ${c.stakes}</p></div>`,
)}
<ul class="tiles">${tiles.map(([k, v, sub]) => html`<li><span class="k">${k}</span><span class="v">${v}</span><span class="sub">${sub}</span></li>`)}</ul>
${facts([
  ['Mode', `${state.mode} (${roles.join(', ')})${state.triage ? ' — chosen by --mode auto' : ''}`],
  ['Routing', state.triage?.reason],
  [
    'Upgraded',
    state.triage?.upgrade
      ? `${state.triage.upgrade.from} → ${state.triage.upgrade.to}: ${state.triage.upgrade.reason}`
      : '',
  ],
  ['Reviewed', review ? `${review.label}: ${review.base.slice(0, 10)}..${review.head.slice(0, 10)}` : ''],
  [
    'Branch',
    state.worktree ? html`<code>${state.worktree.branch}</code> from ${state.worktree.baseSha.slice(0, 10)}` : '',
  ],
  ['Paused', state.pause ? `${state.pause.agent}: ${state.pause.reason}` : ''],
  ['Started', when(state.createdAt)],
  ['Finished', state.finishedAt ? when(state.finishedAt) : ''],
  ['Applied', state.applied ? `${when(state.applied.at)} (${plural(state.applied.files.length, 'file')})` : ''],
])}
${state.answer ? html`<div class="answer"><h2 class="h3">Answer</h2><pre class="prose">${state.answer}</pre></div>` : ''}
</header>
<nav class="toc" aria-label="Sections of this page"><ul>${RUN_SECTIONS.map(
    ([id, title]) => html`<li><a href="${fragment(id)}">${title}</a></li>`,
  )}</ul></nav>
`;
}
