import { pct } from '../../budget/describe.js';
import { parseSince } from '../../record/query.js';
import { type Adoption, type ReviewerStats, trackRecord } from '../../record/stats.js';
import { localTime } from '../../sys/time.js';
import type { StatsJson } from '../../wire/user.js';
import { pc } from '../color.js';
import type { StatsFlags } from '../flags.js';
import { openSession } from '../setup.js';

/**
 * `duo stats [--json] [--since] [--all-repos]`: the skeptic's track record (record/stats.ts), with the published
 * figures it can be read against printed beside it.
 */
export async function statsCommand(flags: StatsFlags): Promise<number> {
  const since = flags.since ? parseSince(flags.since) : undefined;
  const scope = flags.allRepos ? 'all' : { repoRoot: (await openSession(process.cwd(), flags.config)).repoRoot };
  const record = await trackRecord(scope, since);
  if (flags.json) {
    process.stdout.write(`${JSON.stringify(record satisfies StatsJson, null, 2)}\n`);
    return 0;
  }
  const out: string[] = [];
  const where = flags.allRepos ? plural(record.repos.length, 'repository', 'repositories') : 'this repository';
  out.push(
    `${pc.bold('duo stats')} — ${plural(record.runs, 'run')} in ${where}${record.since ? ` since ${localTime(record.since)}` : ''}`,
  );
  if (!record.runs) {
    out.push('No runs to count yet.');
    process.stdout.write(`${out.join('\n')}\n`);
    return 0;
  }
  out.push('', pc.bold('Reviewers') + pc.dim(' (the findings each raised, and how they ended)'));
  if (!record.reviewers.length) out.push('  no reviewer findings or approvals yet');
  for (const r of record.reviewers) out.push(...reviewerLines(r));
  out.push(pc.dim('  Published figures to read these against:'));
  for (const a of record.anchors) out.push(pc.dim(`    ${a.figure} (${a.source})`));

  out.push('', pc.bold('Drivers'));
  for (const d of record.drivers) {
    out.push(
      `  ${pc.bold(`${d.agent} · ${d.model}`)}  ${plural(d.runs, 'run')}` +
        `  · "checks pass" claims the gate contradicted: ${d.claims.contradicted} of ${d.claims.made}` +
        `  · tests/checks it tried to bend: ${d.bent.edits}${d.bent.edits ? ` (in ${plural(d.bent.runs, 'run')})` : ''}`,
    );
  }
  out.push('', pc.bold('Humans') + pc.dim(' (decision cards)'));
  if (!record.humans.length) out.push('  no decisions yet');
  for (const h of record.humans)
    out.push(
      `  ${pc.bold(h.human)}  ${plural(h.decisions, 'decision')}: sided with the driver ${h.driver}, the skeptic ${h.skeptic}, own decision ${h.own}`,
    );
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

function reviewerLines(r: ReviewerStats): string[] {
  const share = (x: number | null) => (x === null ? '–' : pct(x));
  const sev = Object.entries(r.bySeverity)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
  const bands = r.precision
    .filter((p) => p.findings)
    .map((p) => {
      const band = p.band === 'not given' ? 'no confidence given' : `confidence ${p.band}`;
      const decided = p.real + p.falseAlarms;
      const of = plural(p.findings, 'finding');
      // A band none of whose findings has been settled has no precision yet: said in words, not as "– (0/0)".
      if (p.precision === null || !decided) return `${band}: ${of}, none settled yet`;
      return `${band}: ${pct(p.precision)} real (${p.real} of ${decided} settled; ${of})`;
    })
    .join(' · ');
  const ratio = (a: Adoption) => `${share(a.share)} (${a.adopted}/${a.findings})`;
  // Per category, its severities in brackets: "correctness 2/3 (blocker 1/1, major 1/2)".
  const categories = new Map<string, ReviewerStats['adoptionBy']>();
  for (const c of r.adoptionBy) categories.set(c.category, [...(categories.get(c.category) ?? []), c]);
  const byCategory = [...categories]
    .map(([category, cells]) => {
      const total = cells.reduce((t, c) => ({ findings: t.findings + c.findings, adopted: t.adopted + c.adopted }), {
        findings: 0,
        adopted: 0,
      });
      return `${category} ${total.adopted}/${total.findings} (${cells.map((c) => `${c.severity} ${c.adopted}/${c.findings}`).join(', ')})`;
    })
    .join(' · ');
  const lines = [
    `  ${pc.bold(`${r.agent} · ${r.model}`)}${r.ownCode ? pc.dim(' reviewing its own code (invert)') : ''}  ${plural(r.runs, 'run')}, ${plural(r.findings, 'finding')} (${sev})`,
    `    fixed ${share(r.shares.fixed)} · false alarms (rebutted, accepted) ${share(r.shares.falseAlarms)} · escalated ${share(r.shares.escalated)} · left open ${share(r.shares.open)}` +
      `${r.outcomes.repeat ? ` · repeats ${r.outcomes.repeat}` : ''}${r.outcomes.suggestion ? ` · suggestions ${r.outcomes.suggestion}` : ''}`,
    `    adoption (fixed, or decided for the skeptic): ${ratio(r.adoption)}${byCategory ? ` — by category: ${byCategory}` : ''}`,
    `    approvals the gate then contradicted (approved, then red): ${r.approvals.contradicted} of ${r.approvals.total}`,
    `    precision by confidence: ${bands || 'no decided findings yet'}`,
  ];
  if (r.panel.findings)
    lines.push(
      `    in panel reviews: ${plural(r.panel.findings, 'finding')}, ${r.panel.both} caught by both, ${r.panel.only} only by it — its unique catches adopted ${ratio(r.panel.unique)}`,
    );
  return lines;
}

/** "1 run", "3 runs", "1 repository", "2 repositories". */
export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
