import { join } from 'node:path';
import { shortFingerprint } from '../protocol/fingerprint.js';
import type { RunState } from '../protocol/types.js';
import { failingTestNames, nextStep, statusLine } from '../record/report.js';
import { fingerprintOf } from '../record/run-facts.js';
import type { RunStore } from '../record/store.js';
import { EXIT } from '../sys/duo-error.js';
import { oneLine } from '../sys/text.js';
import type { RunJson } from '../wire/run.js';
import { pc } from './color.js';
import { visibleControls } from './safe-text.js';

/** The exit code a finished run's status ends the command with (EXIT says what each means). */
export function exitCodeFor(state: RunState): number {
  switch (state.status) {
    case 'green':
    case 'answered':
      return EXIT.ok;
    case 'awaiting-decision':
      return EXIT.decision;
    case 'interrupted':
      return EXIT.interrupted;
    case 'paused':
      return EXIT.paused;
    default:
      return EXIT.failed;
  }
}

const OUTPUT_TAIL = 4000;

/** The one JSON object `--json` prints, of the type its schema declares (wire/run.ts). */
export function runSummary(state: RunState, store: RunStore, warnings: string[] = []): RunJson {
  const last = state.verify.at(-1);
  return {
    runId: state.runId,
    status: state.status,
    mode: state.mode,
    task: state.task,
    roles: state.roles,
    /** duo review: what was reviewed (scope, base..head); null for other runs. */
    review: state.options.review ?? null,
    branch: state.worktree?.branch ?? null,
    worktree: state.worktree?.path ?? null,
    reportPath: join(store.dir(state.runId), 'report.md'),
    /** The same report as a self-contained page (written at the end of every run; `duo show --html` rewrites it). */
    htmlPath: join(store.dir(state.runId), 'report.html'),
    unreviewed: state.unreviewed,
    /** auto mode: how the run was routed (risk, each agent's headroom, an upgrade after the plan); null otherwise. */
    routing: state.triage,
    /** A paused run: which agent, until when, and why. */
    pause: state.pause,
    /** The config file the run runs on, and whether `resume --config` replaced it (null: an old record without one). */
    config: state.config ? { path: state.config.path, changes: state.config.changes } : null,
    findings: state.findings.map((f) => ({
      id: f.id,
      /** The finding's identity across rounds and runs (short form; `duo memory forget` takes it). */
      fingerprint: shortFingerprint(fingerprintOf(f)),
      phase: f.phase,
      severity: f.finding.severity,
      category: f.finding.category ?? null,
      claim: f.finding.claim,
      resolution: f.resolution,
      fixCommit: f.fixCommit,
      decision: f.decision,
      /** A panel review: both, or `<agent>-only`; null otherwise. */
      caughtBy: f.panel ?? null,
      /** resolution repeat: the declined finding it raises again (fingerprint, run, finding, why). */
      repeatOf: f.repeatOf ?? null,
      /** A new thread with new evidence against a declined one, which it cites. */
      reopens: f.reopens ?? null,
      /** resolution suggestion: why it took no fix round. */
      suggestion: f.suggestion ?? null,
    })),
    /** --panel: who reviewed, and who was left out and why (then a single reviewer's review); null otherwise. */
    panel: state.panel,
    disagreements: state.disagreements,
    verify: (last?.results ?? []).map((r) => ({
      command: r.command,
      exitCode: r.exitCode,
      durationMs: r.durationMs,
      passed: r.passed,
      noTestsRan: r.noTestsRan,
      /** The failing tests the runner named in its output ([] when it passed or names none). */
      failingTests: r.passed ? [] : (r.failingTests ?? []),
      output: r.output.length > OUTPUT_TAIL ? r.output.slice(-OUTPUT_TAIL) : r.output,
      outputPath: r.outputPath,
      ...(r.logCutBytes ? { logCutBytes: r.logCutBytes } : {}),
    })),
    verifyAttempts: state.verify.map((v) => ({ attempt: v.attempt, status: v.status })),
    /** Every failing test the runners named in the last gate attempt. */
    failingTests: failingTestNames(last),
    /** Test integrity of the last gate attempt: null before the gate ran (or in records older than the check). */
    integrity: last?.integrity
      ? {
          headline: last.integrity.headline,
          unaccepted: last.integrity.unaccepted,
          issues: last.integrity.issues,
          comparisons: last.integrity.comparisons,
          baseDefinition: last.baseDefinition ?? [],
          original: last.original ?? null,
        }
      : null,
    baseline: state.baseline
      ? {
          durationMs: state.baseline.durationMs,
          results: state.baseline.results.map((r) => ({
            command: r.command,
            exitCode: r.exitCode,
            passed: r.passed,
            counts: r.counts ?? null,
          })),
        }
      : null,
    reverts: state.reverts,
    cards: state.cards.filter((c) => !state.decisions.some((d) => d.cardId === c.id)),
    decisions: state.decisions,
    changes: state.changes,
    answer: state.answer,
    error: state.error,
    usage: state.usage,
    createdAt: state.createdAt,
    finishedAt: state.finishedAt,
    /** What was said on stderr before the run started (no verify command found, a secret in a verify command). */
    warnings,
  };
}

export function printHuman(state: RunState, store: RunStore, out: NodeJS.WriteStream = process.stdout): void {
  const colour =
    state.status === 'green' || state.status === 'answered'
      ? pc.green
      : state.status === 'awaiting-decision' || state.status === 'interrupted' || state.status === 'paused'
        ? pc.yellow
        : pc.red;
  const lines: string[] = [];
  lines.push(
    `${pc.bold('duo')} ${state.runId}: ${colour(pc.bold(state.status.toUpperCase()))}${state.unreviewed ? pc.red(' (UNREVIEWED)') : ''}`,
  );
  const why = statusLine(state);
  if (why.startsWith('RED — ')) lines.push(pc.red(why.slice('RED — '.length)));
  if (why.startsWith('PAUSED — ')) lines.push(pc.yellow(why.slice('PAUSED — '.length)));
  if (state.triage) lines.push(`routing: ${state.triage.reason}`);
  if (state.triage?.upgrade) lines.push(`upgraded after the plan: ${state.triage.upgrade.reason}`);
  if (state.answer) lines.push('', state.answer, '');
  const counts = (r: string) => state.findings.filter((f) => f.resolution === r).length;
  if (state.findings.length) {
    lines.push(
      `findings: ${state.findings.length} (${counts('fixed')} fixed, ${counts('rebutted')} rebutted, ${counts('escalated')} escalated, ${counts('open')} open` +
        `${counts('repeat') ? `, ${counts('repeat')} repeat` : ''}${counts('suggestion') ? `, ${counts('suggestion')} suggestion` : ''})`,
    );
  }
  // The ones that matter, one line each: what stands (blocker/major), and anything left open.
  const shown = state.findings.filter(
    (f) => f.finding.severity === 'blocker' || f.finding.severity === 'major' || f.resolution === 'open',
  );
  for (const f of shown.slice(0, 20)) {
    const where = f.finding.file ? ` (${f.finding.file}${f.finding.line ? `:${f.finding.line}` : ''})` : '';
    lines.push(`  [${f.id}] ${f.finding.severity} · ${f.resolution} — ${f.finding.claim.split('\n')[0]}${where}`);
  }
  if (shown.length > 20) lines.push(`  … and ${shown.length - 20} more in the report`);
  if (state.disagreements.length) lines.push(`disagreements: ${state.disagreements.length}`);
  const last = state.verify.at(-1);
  if (last) {
    for (const r of last.results) {
      lines.push(`  ${r.passed ? pc.green('pass') : pc.red('FAIL')} $ ${r.command} (${verifyOutcome(r)})`);
      const names = r.passed ? [] : (r.failingTests ?? []);
      for (const name of names.slice(0, 10))
        lines.push(`      ${pc.red('✗')} ${visibleControls(name.split('\n')[0] ?? '')}`);
      if (names.length > 10) lines.push(`      … and ${names.length - 10} more in the report`);
    }
  }
  for (const c of state.cards.filter((c) => !state.decisions.some((d) => d.cardId === c.id))) {
    lines.push(
      '',
      pc.bold(`Decision needed (${c.id}): ${c.question}`),
      `  driver:  ${c.driverPosition}`,
      `  skeptic: ${c.skepticPosition}`,
      `  expensive to get wrong: ${c.stakes}`,
    );
  }
  if (state.error)
    lines.push(
      pc.red(`error: ${state.error.message.split('\n')[0]}`),
      // The end of what the agent CLI said, beside the cause the message names: often the whole story.
      ...errorDetail(state.error.detail)
        .filter((l) => !state.error?.message.includes(l))
        .map((l) => pc.dim(`  | ${l}`)),
      state.error.hint ? `what to do: ${state.error.hint}` : '',
    );
  if (state.worktree && state.mode !== 'answer') lines.push(`branch: ${state.worktree.branch}`);
  lines.push(`report: ${join(store.dir(state.runId), 'report.md')}`);
  lines.push(`page:   ${join(store.dir(state.runId), 'report.html')}`);
  const next = nextStep(state);
  if (next) lines.push(`next: ${next.replace(/`/g, '')}`);
  out.write(`${lines.filter((l) => l !== undefined).join('\n')}\n`);
}

/**
 * What a verify command's line says in parentheses: its exit code when that is the story, else why it failed in
 * words — "timed out after 20 s", "ran no tests (…)" — never "exit none", or "FAIL (exit 0)" with no why.
 */
export function verifyOutcome(r: { exitCode?: number | null; passed?: boolean; reason?: string }): string {
  if (r.passed || !r.reason || /^exit code \d+$/.test(r.reason)) return `exit ${r.exitCode ?? 'none'}`;
  return r.reason.split(';')[0]!;
}

/** The last few lines of an agent's own output carried by a failure, each made safe for a terminal. */
export function errorDetail(detail: string | null | undefined, lines = 6): string[] {
  if (!detail) return [];
  return detail
    .split('\n')
    .map((l) => oneLine(l, 200))
    .filter(Boolean)
    .slice(-lines);
}
