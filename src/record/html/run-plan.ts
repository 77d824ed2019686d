/**
 * The plan rounds, from the journal: each round's plan (the draft, then each revision with the driver's answers to
 * the last critique), and the skeptic's critique of it — its verdict, its findings, its re-checks. The agreed (or
 * last) plan is open; earlier rounds are folded.
 */

import { Brief, Critique, Plan } from '../../protocol/schemas.js';
import type { RunState } from '../../protocol/types.js';
import { fragment, type Html, html } from './html.js';
import { badge, list, para, section } from './widgets.js';

interface Round {
  n: number;
  plan: Plan | null;
  critique: Critique | null;
}

function answerOf<T>(state: RunState, key: string, schema: { safeParse(v: unknown): { success: boolean; data?: T } }) {
  const result = state.steps[key]?.result as { answer?: unknown } | undefined;
  const parsed = schema.safeParse(result?.answer);
  return parsed.success ? (parsed.data as T) : null;
}

export function planRounds(state: RunState): Round[] {
  const rounds = new Set<number>();
  for (const key of Object.keys(state.steps)) {
    const m = /^plan\/r(\d+)\/(draft|revise|critique)$/.exec(key);
    if (m) rounds.add(Number(m[1]));
  }
  return [...rounds]
    .sort((a, b) => a - b)
    .map((n) => ({
      n,
      plan: answerOf<Plan>(state, `plan/r${n}/draft`, Plan) ?? answerOf<Plan>(state, `plan/r${n}/revise`, Plan),
      critique: answerOf<Critique>(state, `plan/r${n}/critique`, Critique),
    }));
}

function renderPlan(plan: Plan, findingAnchor: (id: string) => string | null): Html {
  const link = (id: string) => {
    const anchor = findingAnchor(id);
    return anchor ? html`<a href="${fragment(anchor)}">${id}</a>` : html`${id}`;
  };
  return html`<div class="plan">
${para(plan.summary, 'lead')}
${plan.answers.length ? html`<h4>Answers to the last critique</h4>${list(plan.answers.map((a) => html`${link(a.findingId)} ${badge(a.action === 'fix' ? 'fixed' : a.action === 'rebut' ? 'rebutted' : 'escalated', a.action)} ${a.note}`))}` : ''}
${plan.files.length ? html`<h4>Files</h4>${list(plan.files.map((f) => html`<code>${f.path}</code> — ${f.change}`))}` : ''}
${plan.approach ? html`<h4>Approach</h4><p class="prose">${plan.approach}</p>` : ''}
${plan.tests.length ? html`<h4>Tests</h4>${list(plan.tests)}` : ''}
${plan.testChanges.length ? html`<h4>Existing tests it changes on purpose</h4>${list(plan.testChanges.map((t) => html`<code>${t.path}</code> — ${t.reason}`))}` : ''}
${plan.risks.length ? html`<h4>Risks</h4>${list(plan.risks)}` : ''}
${plan.rollback ? html`<h4>Rollback</h4><p>${plan.rollback}</p>` : ''}
${plan.subtasks.length ? html`<h4>Sub-tasks</h4>${list(plan.subtasks.map((s) => html`<strong>${s.id}</strong> ${s.title}${s.independent ? ' (independent: may fan out)' : ''} — ${s.files.join(', ')}`))}` : ''}
</div>`;
}

function renderCritique(c: Critique, findingAnchor: (id: string) => string | null): Html {
  return html`<div class="critique">
<p>${badge(c.verdict)} ${c.summary}</p>
${list(
  c.findings.map((f) => {
    const anchor = findingAnchor(f.id);
    return html`${anchor ? html`<a href="${fragment(anchor)}">${f.id}</a>` : f.id} ${badge(f.severity)} ${f.claim}`;
  }),
)}
${c.rechecks.length ? html`<h4>Re-checks of the driver's answers</h4>${list(c.rechecks.map((r) => html`${r.findingId} ${badge(r.status)} ${r.note}`))}` : ''}
</div>`;
}

export function planSection(state: RunState, findingAnchor: (id: string) => string | null): Html {
  const rounds = planRounds(state);
  const brief = answerOf<Brief>(state, 'dispatch/brief', Brief);
  if (!rounds.length && !brief)
    return section('plan', 'Plan rounds', html`<p class="empty">This run had no plan phase.</p>`);
  const last = rounds.at(-1)?.n;
  const converged =
    state.planConverged === false
      ? 'The rounds ran out with a blocking finding still open.'
      : rounds.length
        ? `Agreed after ${rounds.length} round(s).`
        : '';
  const body = html`${
    brief
      ? html`<details class="round"><summary>The dispatcher's brief (${brief.risk} risk)</summary><p class="prose">${brief.task}</p>${list(brief.acceptance)}</details>`
      : ''
  }${rounds.map((r) => {
    const title = `Round ${r.n}: ${r.n === 1 ? 'the draft' : 'the revision'}${r.critique ? ` — ${r.critique.verdict}` : ''}`;
    const inner = html`<div class="round-body">
<div><h3 class="h4">Plan (driver)</h3>${r.plan ? renderPlan(r.plan, findingAnchor) : html`<p class="empty">Not in the record.</p>`}</div>
<div><h3 class="h4">Critique (skeptic)</h3>${r.critique ? renderCritique(r.critique, findingAnchor) : html`<p class="empty">No critique in this round.</p>`}</div>
</div>`;
    return r.n === last
      ? html`<details class="round" open><summary>${title}</summary>${inner}</details>`
      : html`<details class="round"><summary>${title}</summary>${inner}</details>`;
  })}`;
  return section('plan', 'Plan rounds', body, converged);
}
