import { renderPlan } from '../protocol/prompts/render.js';
import { standingFindings } from '../protocol/review-only.js';
import { configHistory } from '../protocol/run-config.js';
import type { RunState, VerifyRecord } from '../protocol/types.js';
import { localTime } from '../sys/time.js';
import { renderDisagreementLog, writeDisagreementIndex } from './disagreements.js';
import { writeRunPage } from './html/write.js';
import { renderIntegrity } from './integrity-report.js';
import { findingsTable, threadHeader, threadSections } from './report-memory.js';
import type { RunStore } from './store.js';

/**
 * report.md: short and human-first. Outcome and next step first, then what changed, each disagreement and how
 * it resolved, and the verify output pasted verbatim with exit codes. Everything here comes from the record;
 * the verify section only ever shows what duo's gate measured.
 */
export function writeRunArtifacts(store: RunStore, state: RunState): void {
  if (state.plan) store.writeText(state.runId, 'plan.md', `# Plan — ${state.runId}\n\n${renderPlan(state.plan)}\n`);
  store.writeText(state.runId, 'report.md', renderReport(state, store.dir(state.runId)));
  store.writeText(state.runId, 'disagreements.md', renderDisagreementLog(state));
  writeDisagreementIndex(store);
  try {
    // The same record as a page (report.html). report.md above is the record's word: a page that cannot be
    // written costs the page, not the run.
    writeRunPage(store, state);
  } catch (e) {
    store.appendEvent(state.runId, { type: 'internal-error', stack: (e as Error).stack ?? String(e) });
  }
}

const STATUS_LINE: Record<RunState['status'], string> = {
  green: 'GREEN — the verify gate ran and every command passed',
  red: 'RED — the verify gate ran and a command failed',
  unverified: 'UNVERIFIED — no verify command ran, so nothing is proven',
  'awaiting-decision': 'WAITING FOR YOU — a disputed blocker needs a human decision',
  failed: 'FAILED — the run stopped before finishing',
  interrupted: 'INTERRUPTED — the run was stopped; resume it to continue',
  running: 'RUNNING',
  answered: 'ANSWERED — a direct answer, no code changed',
  paused: "PAUSED — an agent's plan limit is reached; resume after it resets",
};

/** Local clock time of a reset, with the date when it is not today, and the zone. */
function resetTime(iso: string): string {
  const full = localTime(iso);
  return new Date(iso).toDateString() === new Date().toDateString() ? full.slice(11) : full;
}

export function nextStep(state: RunState): string {
  const id = state.runId;
  const review = state.options.review;
  if (review && (state.status === 'green' || state.status === 'red' || state.status === 'unverified')) {
    const fixes = state.headSha !== null && state.headSha !== review.head;
    const apply = fixes
      ? ` The driver's fixes are on \`${state.worktree?.branch}\`: \`duo apply ${id}${state.status === 'green' ? '' : ' --force'}\` brings them into your working tree.`
      : '';
    return state.status === 'green'
      ? `Nothing stands against these changes.${apply}`
      : `Address the findings and checks below, then \`duo review\` again.${apply}`;
  }
  switch (state.status) {
    case 'green':
      if (state.applied)
        return 'Applied to your working tree (uncommitted): review it with `git diff`, then commit it.';
      return `Review the branch \`${state.worktree?.branch}\`, then \`duo apply ${id}\` to bring it into your working tree.`;
    case 'red':
    case 'unverified':
      return `Not applied. Inspect \`${state.worktree?.branch}\`; \`duo apply ${id} --force\` applies it anyway.`;
    case 'awaiting-decision': {
      const card = state.cards.find((c) => !state.decisions.some((d) => d.cardId === c.id));
      return card
        ? `\`duo decide ${id} ${card.id} --pick driver|skeptic|"<your decision>"\`, then \`duo resume ${id}\`.`
        : `\`duo resume ${id}\`.`;
    }
    case 'failed':
    case 'interrupted':
      return `\`duo resume ${id}\` continues from the last completed step.`;
    case 'paused':
      return state.pause?.until
        ? `\`duo resume ${id}\` after ${resetTime(state.pause.until)}, when ${state.pause.agent}'s limit resets (\`duo budget\` shows the figures).`
        : `\`duo resume ${id}\` once ${state.pause?.agent ?? 'the agent'} has room again (\`duo budget\` shows the figures).`;
    default:
      return '';
  }
}

function fence(text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}text\n${text.replace(/\n$/, '')}\n${f}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function renderVerify(v: VerifyRecord, latest: boolean): string[] {
  const out = [`### Verify attempt ${v.attempt}: ${v.status.toUpperCase()}`];
  if (v.results.length === 0) out.push('No commands ran.');
  for (const r of v.results) {
    const verdict = r.passed ? 'passed' : `FAILED${r.reason ? ` (${r.reason})` : ''}`;
    const exit = r.timedOut ? 'timed out' : r.exitCode === null ? 'did not start' : `exit ${r.exitCode}`;
    out.push(`\`$ ${r.command}\` — ${exit}, ${seconds(r.durationMs)}, ${verdict}`);
    if (r.startError) out.push(`Could not start: ${r.startError}`);
    const text = latest || !r.passed ? r.output : '';
    if (text) {
      const tail = latest ? text : text.slice(-4000);
      out.push(fence(tail));
    }
    if (r.logCutBytes)
      out.push(
        `Output log (${r.outputBytes} bytes printed; ${r.logCutBytes} cut from the middle): \`${r.outputPath}\``,
      );
    else if (r.truncated || !latest) out.push(`Full output (${r.outputBytes} bytes): \`${r.outputPath}\``);
  }
  return out;
}

/** The first line's verdict: the status, and when the checks were bent or only old failures remain, why. */
export function statusLine(state: RunState): string {
  if (state.status === 'paused' && state.pause)
    return `PAUSED — ${state.pause.agent} cannot be called${state.pause.until ? ` until ${resetTime(state.pause.until)}` : ' for now'}: ${state.pause.reason}`;
  const last = state.verify.at(-1);
  if (state.status === 'red' && last?.integrity?.headline) return `RED — ${last.integrity.headline}`;
  if (state.status === 'red' && state.reverts.length) {
    const what = [...new Set(state.reverts.map((r) => r.path))];
    return (
      `RED — the real checks fail; the driver had changed the checks instead (${what.slice(0, 3).join(', ')}` +
      `${what.length > 3 ? ', …' : ''}) and duo reverted that`
    );
  }
  if (state.mode === 'review' && state.status === 'red') {
    const standing = standingFindings(state.findings);
    if (standing.length)
      return `RED — the review left ${standing.length} blocker/major finding(s) standing: ${standing
        .slice(0, 3)
        .map((e) => `[${e.id}] ${e.finding.claim}`)
        .join('; ')}${standing.length > 3 ? '; …' : ''}`;
  }
  const comparisons = last?.integrity?.comparisons ?? [];
  if (
    state.status === 'red' &&
    last?.results.some((r) => !r.passed) &&
    last.results.every((r, i) => r.passed || comparisons[i]?.preExisting === 'all')
  )
    return 'RED — every failing check was already failing the same way at the base (pre-existing); this run added no new failure';
  const failing = state.status === 'red' ? failingTestNames(last) : [];
  if (failing.length) return `${STATUS_LINE.red}: ${namesList(failing)}`;
  return STATUS_LINE[state.status];
}

/** The failing tests the runners named in a verify attempt (their own words, from their output), each once. */
export function failingTestNames(attempt: VerifyRecord | undefined): string[] {
  return [...new Set((attempt?.results ?? []).filter((r) => !r.passed).flatMap((r) => r.failingTests ?? []))];
}

/** "a", "a, b and c", "a, b, c and 4 more": the first few names, one line each cut to a readable length. */
function namesList(names: string[], shown = 3): string {
  const cut = names.slice(0, shown).map((n) => {
    const flat = n.replace(/\s+/g, ' ');
    return `"${flat.length > 80 ? `${flat.slice(0, 79)}…` : flat}"`;
  });
  const more = names.length - cut.length;
  const noun = names.length === 1 ? 'failing test' : 'failing tests';
  if (more > 0) return `${noun} ${cut.join(', ')} and ${more} more`;
  return `${noun} ${cut.length > 1 ? `${cut.slice(0, -1).join(', ')} and ${cut.at(-1)}` : cut[0]}`;
}

/** The routing decision with the figures behind it (auto mode only). */
function routingLines(state: RunState): string[] {
  const t = state.triage;
  if (!t) return [];
  // The reason carries each agent's figures (share used, reset, age): one line, so the header stays a header.
  const out = [`**Routing:** ${t.reason}`];
  if (t.upgrade) out.push(`**Upgraded after the plan:** ${t.upgrade.from} → ${t.upgrade.to} — ${t.upgrade.reason}`);
  return out;
}

export function renderReport(state: RunState, recordDir: string): string {
  const lines: string[] = [];
  const status = statusLine(state);
  lines.push(`# ${state.unreviewed ? 'UNREVIEWED — ' : ''}duo ${state.runId}: ${status}`, '');
  lines.push(`**Task:** ${state.task.length > 400 ? `${state.task.slice(0, 400)}…` : state.task}`);
  if (state.options.review)
    lines.push(
      `**Reviewed:** ${state.options.review.label}: ${state.options.review.base.slice(0, 10)}..${state.options.review.head.slice(0, 10)}`,
    );
  const roles = [`driver ${state.roles.driver}`];
  if (state.roles.skeptic) roles.push(`skeptic ${state.roles.skeptic}`);
  if (state.roles.dispatcher) roles.push(`dispatcher ${state.roles.dispatcher}`);
  lines.push(`**Mode:** ${state.mode} (${roles.join(', ')})${state.triage ? ' — chosen by `--mode auto`' : ''}`);
  lines.push(...routingLines(state));
  lines.push(...threadHeader(state));
  if (state.worktree)
    lines.push(`**Branch:** \`${state.worktree.branch}\` from ${state.worktree.baseSha.slice(0, 10)}`);
  lines.push(
    `**Started:** ${localTime(state.createdAt, { seconds: true })}` +
      `${state.finishedAt ? ` · **finished:** ${localTime(state.finishedAt, { seconds: true })}` : ''}`,
  );
  for (const change of configHistory(state.config)) lines.push(`**Configuration:** ${change}`);
  const next = nextStep(state);
  if (next) lines.push(`**Next:** ${next}`);
  if (state.error)
    lines.push(
      '',
      `**Error:** ${state.error.message}`,
      ...(state.error.detail ? ['', 'What the agent CLI said last:', '', fence(state.error.detail), ''] : []),
      state.error.hint ? `**What to do:** ${state.error.hint}` : '',
    );

  if (state.answer) lines.push('', '## Answer', '', state.answer);

  lines.push(...renderIntegrity(state));

  if (state.changes.length) {
    lines.push('', '## What changed');
    for (const c of state.changes) lines.push(`- \`${c.path}\` (${c.status}, +${c.added} −${c.removed})`);
  }

  const open = state.cards.filter((c) => !state.decisions.some((d) => d.cardId === c.id));
  for (const card of open) {
    lines.push('', `## Decision needed: ${card.id}`, '', `**Question:** ${card.question}`);
    lines.push(
      `**Driver:** ${card.driverPosition}`,
      `**Skeptic:** ${card.skepticPosition}`,
      `**Expensive to get wrong:** ${card.stakes}`,
    );
  }

  if (state.disagreements.length) {
    lines.push('', '## Disagreements');
    for (const d of state.disagreements) {
      lines.push(`- **${d.findingId}** (${d.phase}, ${d.severity}) ${d.topic}`);
      lines.push(`  - driver: ${d.driver}`, `  - skeptic: ${d.skeptic}`, `  - outcome: ${d.outcome}`);
    }
  }

  lines.push(...findingsTable(state), ...threadSections(state));

  if (state.decisions.length) {
    lines.push('', '## Decisions');
    for (const d of state.decisions)
      lines.push(
        `- ${d.cardId}: ${d.pick}${d.text ? ` — ${d.text}` : ''} (${d.by}, ${localTime(d.decidedAt)})${d.rule ? ` — kept as house rule ${d.rule}` : ''}`,
      );
  }

  if (state.verify.length || state.mode !== 'answer') {
    lines.push('', '## Verify gate (run by duo, output verbatim)');
    if (state.verify.length === 0) lines.push('', 'The gate did not run.');
    state.verify.forEach((v, i) => {
      lines.push('', ...renderVerify(v, i === state.verify.length - 1));
    });
  }

  if (state.notes.length) {
    lines.push('', '## Notes');
    for (const n of state.notes) lines.push(`- ${n}`);
  }

  const usage = Object.entries(state.usage);
  if (usage.length) {
    lines.push('', '## Agent usage');
    for (const [agent, u] of usage) {
      const cost = u.costUsd !== null ? `, $${u.costUsd.toFixed(4)}` : '';
      lines.push(
        `- ${agent}: ${u.calls} call(s), ${seconds(u.durationMs)}, ${u.inputTokens} in / ${u.outputTokens} out tokens${cost}`,
      );
    }
  }
  lines.push('', `Record: \`${recordDir}\``, '');
  return lines.join('\n');
}
