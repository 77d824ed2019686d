import { Budget } from '../../budget/budget.js';
import { ago, pct, usd, when } from '../../budget/describe.js';
import type { Headroom } from '../../budget/headroom.js';
import { type Spend, tokensOf } from '../../budget/spend.js';
import { Config } from '../../config/schema.js';
import { type RouteDecision, route, routeRisk } from '../../protocol/route.js';
import type { BudgetJson } from '../../wire/user.js';
import { NotARepoError, RepoError } from '../../workspace/index.js';
import { pc } from '../color.js';
import type { ReadFlags } from '../flags.js';
import { agentKinds, openSession, type Session } from '../setup.js';

/**
 * `duo budget [task…] [--json]`: per agent, the latest five-hour and weekly use of its plan with reset times and the
 * figures' age (or "unknown" and why); duo's own spend today and this week, in this repo and in all; and what
 * `--mode auto` would choose right now, and why — for a task given here, and for each kind of task. Works outside
 * a repository too (then without the per-repo spend, on the default config).
 */
export async function budgetCommand(taskWords: string[], flags: ReadFlags): Promise<number> {
  const { session, config, repo } = await sessionOrDefaults(flags.config);
  const budget = session?.budget ?? Budget.forUser(config, agentKinds(config));
  const now = new Date();
  const roles = [config.roles.driver, ...(config.roles.skeptic !== config.roles.driver ? [config.roles.skeptic] : [])];
  const snap = budget.snapshot(roles, repo, now);
  const room = (agent: string) => snap.agents.find((h) => h.agent === agent) ?? budget.headroom(agent, now);
  const task = taskWords.join(' ').trim();
  const auto = {
    ...(task ? { task: route(task, config, room, now) } : {}),
    highRisk: routeRisk(
      { mode: 'pair', reason: 'a high-risk task (money, auth, data, migrations)' },
      config,
      room,
      now,
    ),
    lowRisk: routeRisk({ mode: 'solo', reason: 'a low-risk change' }, config, room, now),
    question: routeRisk({ mode: 'answer', reason: 'a question' }, config, room, now),
  };
  if (flags.json) {
    process.stdout.write(
      `${JSON.stringify(
        {
          at: snap.at,
          thresholds: { tightAt: config.budget.tightAt, exhaustedAt: config.budget.exhaustedAt },
          agents: snap.agents.map((h) => ({ ...h, role: h.agent === config.roles.driver ? 'driver' : 'skeptic' })),
          spend: snap.spend,
          repo,
          auto: {
            ...(auto.task ? { task: decisionJson(auto.task) } : {}),
            highRisk: decisionJson(auto.highRisk),
            lowRisk: decisionJson(auto.lowRisk),
            question: decisionJson(auto.question),
          },
          ledger: budget.ledger.dir,
          skippedLines: snap.skipped,
          simulatedCalls: snap.simulatedCalls,
        } satisfies BudgetJson,
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  const out: string[] = [];
  out.push(
    pc.bold('Plan headroom') +
      pc.dim(
        ` (as the CLIs last reported it; tight from ${pct(config.budget.tightAt)}, out from ${pct(config.budget.exhaustedAt)})`,
      ),
  );
  for (const h of snap.agents) out.push(...headroomLines(h, now));
  out.push('', pc.bold("duo's own spend") + pc.dim(' (calls, tokens in+out, cost where the CLI reports it)'));
  const agents = [
    ...new Set([...roles, ...Object.keys(snap.spend.week.all), ...Object.keys(snap.spend.today.all)]),
  ].sort();
  for (const agent of agents) {
    out.push(`  ${pc.bold(agent)}`);
    if (repo)
      out.push(
        `    this repo   today ${spendText(snap.spend.today.repo[agent])}   this week ${spendText(snap.spend.week.repo[agent])}`,
      );
    out.push(
      `    all repos   today ${spendText(snap.spend.today.all[agent])}   this week ${spendText(snap.spend.week.all[agent])}`,
    );
  }
  if (snap.simulatedCalls)
    out.push(pc.dim(`  (${snap.simulatedCalls} scripted call(s) this week — the demo, tests — are not counted)`));
  out.push('', pc.bold('--mode auto right now'));
  if (auto.task) out.push(`  "${task}" (${auto.task.risk.reason}) → ${decisionText(auto.task)}`);
  out.push(`  high-risk → ${decisionText(auto.highRisk)}`);
  out.push(`  low-risk  → ${decisionText(auto.lowRisk)}`);
  out.push(`  question  → ${decisionText(auto.question)}`);
  if (snap.skipped)
    out.push('', pc.yellow(`${snap.skipped} line(s) of the usage ledger could not be read and were skipped.`));
  out.push('', pc.dim(`ledger: ${budget.ledger.dir}`));
  process.stdout.write(`${out.join('\n')}\n`);
  return 0;
}

async function sessionOrDefaults(
  configFile?: string,
): Promise<{ session: Session | null; config: Config; repo: string | null }> {
  try {
    const session = await openSession(process.cwd(), configFile);
    return { session, config: session.config, repo: session.repoRoot };
  } catch (e) {
    // Outside a repository the budget still answers: it belongs to the user, not to a repo.
    if ((e instanceof NotARepoError || e instanceof RepoError) && !configFile)
      return { session: null, config: Config.parse({}), repo: null };
    throw e;
  }
}

function headroomLines(h: Headroom, now: Date): string[] {
  const level =
    h.level === 'room'
      ? pc.green('room')
      : h.level === 'tight'
        ? pc.yellow('tight')
        : h.level === 'out'
          ? pc.red('out')
          : pc.dim('unknown');
  const lines = [
    `  ${pc.bold(h.agent.padEnd(8))} ${level}${h.until && h.level !== 'room' ? ` until ${when(h.until, now)}` : ''}`,
  ];
  const f = h.figure;
  if (f) {
    for (const w of [f.fiveHour, f.weekly]) {
      if (!w) continue;
      const reset = w.resetSince
        ? 'reset since'
        : w.resetsAt
          ? `resets ${when(w.resetsAt, now)}`
          : 'reset time not given';
      lines.push(
        `    ${w.name.padEnd(9)} ${pct(w.utilization).padStart(5)} used · ${reset}${w.status ? pc.dim(` · ${w.status}`) : ''}`,
      );
    }
    if (f.rejected) lines.push(pc.red(`    refusing requests (${f.rejected.window.replace('_', '-')} limit)`));
    lines.push(pc.dim(`    figures from ${ago(f.observedAt, now)} (${f.source})`));
  }
  for (const c of h.caps)
    lines.push(
      `    cap       ${pct(c.share).padStart(5)} of ${c.window === 'day' ? 'today' : 'this week'}'s ${c.metric === 'usd' ? usd(c.cap) : `${c.cap} tokens`} (${c.metric === 'usd' ? usd(c.used) : `${c.used} tokens`}) · resets ${when(c.resetsAt, now)}`,
    );
  if (h.level === 'unknown') lines.push(pc.dim(`    ${h.why.replace(/^unknown: /, '')}`));
  return lines;
}

function spendText(s: Spend | undefined): string {
  if (!s) return pc.dim('—');
  const tokens = tokensOf(s);
  const t = tokens >= 1000 ? `${(tokens / 1000).toFixed(1)}k` : String(tokens);
  const cost = s.calls > s.callsWithoutCost ? usd(s.costUsd) : 'cost not reported';
  return `${s.calls} call(s) · ${t} tokens · ${cost}`;
}

function decisionText(d: RouteDecision): string {
  const who =
    d.mode === 'pair'
      ? `pair (driver ${d.roles.driver}, skeptic ${d.roles.skeptic})`
      : d.mode === 'invert'
        ? `invert (${d.roles.driver} works${d.roles.dispatcher ? `, ${d.roles.dispatcher} briefs and reports` : ''})`
        : `${d.mode} on ${d.roles.driver}`;
  return d.wait ? `${pc.red('wait')} — ${d.choice}` : `${pc.bold(who)} — ${d.choice}`;
}

function decisionJson(d: RouteDecision): BudgetJson['auto']['highRisk'] {
  return {
    mode: d.wait ? 'wait' : d.mode,
    roles: d.roles,
    choice: d.choice,
    reason: d.reason,
    wait: d.wait,
    headroom: d.headroom,
  };
}
