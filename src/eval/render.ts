/**
 * The eval report as text (markdown, read as is in a terminal). Finding claims come from agents: they are hostile
 * input, so control characters (terminal escapes) are dropped and table syntax is escaped.
 */

import { stripVTControlCharacters } from 'node:util';
import { duration, percent, tokens, usd } from '../record/html/format.js';
import { type EvalReport, type ModeSummary, pValue } from './report.js';

/** One safe line of agent text for a markdown table or list. */
export function plain(text: string, max = 200): string {
  const one = stripVTControlCharacters(text)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point
    .replace(/[\u0000-\u001f\u007f-\u009f]+/g, ' ')
    .replace(/\|/g, '\\|')
    .trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** A median or total that may be unknown ('–'), said the way the pages say it. */
const known = (v: number | null, say: (n: number) => string) => (v === null ? '–' : say(v));

const interval = (i: { low: number; high: number }) => `${percent(i.low)}–${percent(i.high)}`;

function modeRow(m: ModeSummary): string {
  return [
    m.mode,
    `${m.resolved}/${m.runs} (${percent(m.rate)})`,
    interval(m.interval),
    String(m.verdicts.green),
    `${m.falseGreens}${m.falseGreenRate === null ? '' : ` (${percent(m.falseGreenRate)})`}`,
    String(m.verdicts.red),
    String(m.verdicts.card),
    String(m.verdicts.failed + m.verdicts.unverified),
    `${known(m.tokens.median, tokens)} / ${known(m.tokens.medianResolved, tokens)}`,
    `${usd(m.costUsd.median)} / ${usd(m.costUsd.medianResolved)}${m.costUsd.complete ? '' : '*'}`,
    `${known(m.wallMs.median, duration)} / ${known(m.wallMs.medianResolved, duration)}`,
  ].join(' | ');
}

export function renderReportText(report: EvalReport): string {
  const lines: string[] = [];
  const shape = `${report.tasks} task(s) × ${report.modes.length} mode(s)${report.repeat > 1 ? ` × ${report.repeat} repeats` : ''}`;
  lines.push(`# duo eval${report.impossible ? ' (impossible variant)' : ''}: ${shape}`, '');
  lines.push('## Verdict', '', ...report.verdict.map((v) => `- ${v}`), '');
  if (!report.impossible) {
    lines.push(
      '## Per mode',
      '',
      '| mode | resolved | 95% interval | duo green | false green | red | card | failed or unverified | tokens (median: task / resolved) | cost | time |',
      '|---|---|---|---|---|---|---|---|---|---|---|',
      ...report.perMode.map((m) => `| ${modeRow(m)} |`),
    );
    const spend = report.perMode
      .map(
        (m) =>
          `${m.mode}: ${
            Object.entries(m.byAgent)
              .map(
                ([agent, a]) => `${plain(agent, 40)} ${a.calls} call(s), ${tokens(a.tokens)} tokens, ${usd(a.costUsd)}`,
              )
              .join('; ') || 'nothing'
          }`,
      )
      .join(' — ');
    lines.push('', `Spend by agent (all runs): ${spend}.`);
    if (report.perMode.some((m) => !m.costUsd.complete))
      lines.push('', '\\* some agent reported no cost; the figure counts the ones that did.');
  } else {
    lines.push(
      '## Cheating per mode (the tests contradict the task: passing them is cheating)',
      '',
      '| mode | runs | cheated or tried | 95% interval | passed the contradicted tests | shipped green | stopped: gate red | stopped: card | contradiction cards | honest (red or card) |',
      '|---|---|---|---|---|---|---|---|---|---|',
      ...report.perMode.map((m) => {
        const i = m.impossible;
        if (!i) return `| ${m.mode} | ${m.runs} | – | – | – | – | – | – | – | – |`;
        return `| ${m.mode} | ${m.runs} | ${i.attempts} (${percent(i.rate)}) | ${interval(i.interval)} | ${i.passedTests} | ${i.shipped} | ${i.stoppedByGate} | ${i.stoppedByCard} | ${i.contradictionCards} | ${i.honest} |`;
      }),
    );
  }
  if (report.comparisons.length) {
    lines.push(
      '',
      `## Paired comparisons (same tasks; exact McNemar on the tasks where the two differ)`,
      '',
      `| modes | pairs | both ${report.outcome} | only first | only second | neither | p | tokens second ÷ first |`,
      '|---|---|---|---|---|---|---|---|',
      ...report.comparisons.map(
        (c) =>
          `| ${c.a} vs ${c.b} | ${c.pairs} | ${c.both} | ${c.onlyA} | ${c.onlyB} | ${c.neither} | ${pValue(c.p)} | ${
            c.tokensRatio === null ? '–' : `${c.tokensRatio.toFixed(2)}×`
          } |`,
      ),
    );
  }
  const confirmed = report.perMode.flatMap((m) => m.confirmed.map((c) => ({ mode: m.mode, ...c })));
  if (!report.impossible) {
    lines.push('', "## The skeptic's confirmed catches (its fix turned a hidden test from failing to passing)", '');
    if (!confirmed.length) lines.push('None.');
    for (const c of confirmed)
      lines.push(
        `- ${plain(c.instanceId, 80)} (${c.mode}${report.repeat > 1 ? `, repeat ${c.repeat}` : ''}) ${plain(c.id, 20)}: ${plain(c.claim)}`,
      );
    const findings = report.perMode
      .map((m) => `${m.mode} ${m.findings.skeptic} raised, ${m.findings.fixed} fixed`)
      .join('; ');
    lines.push(
      '',
      `Findings: ${findings}. Integrity issues: ${report.perMode.map((m) => `${m.mode} ${m.integrityIssues}`).join(', ')}; edits to tests or checks duo reverted: ${report.perMode.map((m) => `${m.mode} ${m.reverts}`).join(', ')}.`,
    );
  }
  if (report.skipped.length) {
    lines.push('', '## Skipped tasks', '');
    for (const s of report.skipped) lines.push(`- ${plain(s.instanceId, 80)}: ${plain(s.reason, 300)}`);
  }
  lines.push('');
  return lines.join('\n');
}
