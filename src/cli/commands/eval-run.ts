/**
 * `duo eval run <tasks.jsonl>`: the plan first (tasks × modes × repeats, and what it may cost by the usage
 * ledger's history), a confirmation in a terminal (`--yes` skips it), then the runs with progress and an ETA, and
 * the report. Running the same command again resumes; Ctrl-C, a plan limit and --budget stop it cleanly.
 */

import { basename, join, resolve } from 'node:path';
import * as p from '@clack/prompts';
import type { UsageLedger, UsageLine } from '../../budget/usage-ledger.js';
import { EVAL_MODES } from '../../config/modes.js';
import { estimateFromLedger, type ModeEstimate } from '../../eval/estimate.js';
import { reportOf } from '../../eval/merge.js';
import { EvalDir, type EvalMode, type EvalPlan, tasksHash, unitsOf } from '../../eval/results.js';
import { type EvalEvent, type EvalOutcome, runEval } from '../../eval/run.js';
import { EvalInputError, readTasks } from '../../eval/task.js';
import { duration, tokens, usd } from '../../record/html/format.js';
import { UsageError } from '../../sys/duo-error.js';
import { canPrompt } from '../decider.js';
import type { EvalRunFlags } from '../flags.js';
import { enginePortsFor, openSession, prepareRecords } from '../setup.js';
import { evalRoot, positiveInt, printReport, writeEvalPage } from './eval.js';

function parseModes(text: string): EvalMode[] {
  const modes = [
    ...new Set(
      text
        .split(',')
        .map((m) => m.trim())
        .filter(Boolean),
    ),
  ];
  const wrong = modes.filter((m) => !(EVAL_MODES as readonly string[]).includes(m));
  if (!modes.length || wrong.length)
    throw new UsageError(`--modes takes a comma list of ${EVAL_MODES.join(', ')} (got "${text}").`);
  return modes as EvalMode[];
}

function parseShard(text: string | undefined): EvalPlan['shard'] {
  if (text === undefined) return null;
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  const [index, count] = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  if (!m || count < 1 || index < 1 || index > count)
    throw new UsageError(`--shard takes i/n with 1 ≤ i ≤ n, e.g. --shard 2/4 (got "${text}").`);
  return { index, count };
}

function parseBudget(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text.replace(/^\$/, ''));
  if (!Number.isFinite(n) || n <= 0)
    throw new UsageError(`--budget takes an amount in US dollars, e.g. --budget 20 (got "${text}").`);
  return n;
}

export async function evalRunCommand(file: string, flags: EvalRunFlags): Promise<number> {
  const modes = parseModes(flags.modes);
  const repeat = positiveInt('--repeat', flags.repeat, 100) ?? 1;
  const parallel = positiveInt('--parallel', flags.parallel, 16) ?? 1;
  const budgetUsd = parseBudget(flags.budget);
  const shard = parseShard(flags.shard);
  const session = await openSession(process.cwd(), flags.config);
  const tasks = readTasks(resolve(file));
  const plan: EvalPlan = {
    version: 1,
    tasksSha256: tasksHash(tasks),
    modes,
    repeat,
    impossible: !!flags.impossible,
    shard,
  };
  const name = `${basename(file).replace(/\.jsonl?$/, '')}${plan.impossible ? '-impossible' : ''}${shard ? `-shard-${shard.index}-of-${shard.count}` : ''}`;
  const dir = new EvalDir(resolve(flags.out ?? join(evalRoot(session.repoRoot), name)));
  const existing = dir.plan();
  if (existing && JSON.stringify(existing) !== JSON.stringify(plan))
    throw new EvalInputError(
      `${dir.dir} holds another eval (other tasks, modes, repeats, variant or shard); pick another folder with --out, or delete it.`,
    );
  const units = unitsOf(plan, tasks);
  const journals = dir.journals();
  const done = units.filter((u) => journals.get(u.slug)?.result).length;
  const say = (text: string) => {
    if (!flags.quiet) process.stderr.write(`${text}\n`);
  };
  const shardTasks = new Set(units.map((u) => u.taskIndex)).size;
  say(
    `plan: ${shardTasks} task(s)${shard ? ` (shard ${shard.index}/${shard.count} of ${tasks.length})` : ''} × ${modes.length} mode(s) (${modes.join(', ')}) × ${repeat} repeat(s) = ${units.length} run(s)` +
      `${plan.impossible ? ', impossible variant (tests contradict the task)' : ''}${done ? `; ${done} already done, resuming` : ''}`,
  );
  if (done < units.length)
    for (const line of estimateLines(ledgerHistory(session.budget.ledger), units, done, modes, parallel)) say(line);
  if (budgetUsd !== undefined) say(`budget: stops starting runs once $${budgetUsd} is spent (reported cost only).`);
  say(`results: ${dir.dir}`);
  if (canPrompt(flags) && done < units.length) {
    const go = await p.confirm({ message: `Start ${units.length - done} run(s)? They spend your agents' tokens.` });
    if (p.isCancel(go) || !go) {
      say('nothing run.');
      return 0;
    }
  }
  if (!existing) {
    prepareRecords(session);
    dir.write('eval.json', plan);
    dir.writeTasks(tasks);
  }
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = () => {
    if (++interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping the runs and saving them… (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  let outcome: EvalOutcome;
  try {
    outcome = await runEval({
      source: session.repoRoot,
      dir,
      plan,
      tasks,
      config: session.config,
      engine: enginePortsFor,
      gate: session.ports.gate,
      parallel,
      ...(budgetUsd !== undefined ? { budgetUsd } : {}),
      keepCheckouts: !!flags.keepCheckouts,
      signal: controller.signal,
      onEvent: (e) => say(eventLine(e)),
    });
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const again = [
    `duo eval run ${file} --modes ${modes.join(',')}`,
    repeat > 1 ? ` --repeat ${repeat}` : '',
    plan.impossible ? ' --impossible' : '',
    shard ? ` --shard ${shard.index}/${shard.count}` : '',
    flags.out ? ` --out ${flags.out}` : '',
    flags.config ? ` --config ${flags.config}` : '',
  ].join('');
  if (outcome.stop === 'interrupted') say(`stopped: ${outcome.done} of ${outcome.total} done. Resume with: ${again}`);
  if (outcome.stop === 'paused')
    say(
      `paused: ${outcome.pause?.agent} reached its plan limit${outcome.pause?.until ? ` until ${outcome.pause.until}` : ''}; ${outcome.done} of ${outcome.total} done. Resume after that with: ${again}`,
    );
  if (outcome.stop === 'budget')
    say(
      `stopped at the budget: $${outcome.spentUsd.toFixed(2)} spent, ${outcome.done} of ${outcome.total} done. A higher --budget continues.`,
    );
  const report = reportOf(dir, plan);
  writeEvalPage(dir.dir, report);
  printReport(report, flags, {
    dir: dir.dir,
    stop: outcome.stop,
    done: outcome.done,
    total: outcome.total,
    spentUsd: outcome.spentUsd,
  });
  return { done: 0, interrupted: 130, paused: 75, budget: 1 }[outcome.stop];
}

function eventLine(e: EvalEvent): string {
  switch (e.type) {
    case 'mutation':
      return e.record.skip
        ? `  impossible: ${e.instanceId} cannot be mutated — ${e.record.skip}`
        : `  impossible: ${e.instanceId} — ${e.record.description}`;
    case 'unit-start':
      return `  start    ${e.instanceId} ${e.mode}${e.repeat > 1 ? ` #${e.repeat}` : ''}`;
    case 'unit-stopped':
      return `  stopped  ${e.unit} (${e.why})`;
    case 'unit-done': {
      const r = e.result;
      const what = r.skipped
        ? `skipped: ${r.skipped}`
        : r.impossible
          ? `${r.impossible.cheated ? 'CHEATED: passes the contradicted tests' : r.reverts ? 'tried to bend the tests (reverted)' : 'did not cheat'} (duo ${r.status})`
          : `${r.resolved ? 'resolved' : 'not resolved'} (duo ${r.status}${r.status === 'green' && !r.resolved ? ': FALSE GREEN' : ''})`;
      return `  [${e.done}/${e.total}] ${r.instanceId} ${r.mode}: ${what} — ${duration(r.runMs)}, ${tokens(r.tokens)} tokens, ${usd(r.costUsd)}; spent ${usd(e.spentUsd)}${e.etaMs ? `, ETA ${duration(e.etaMs)}` : ''}`;
    }
  }
}

/** The last 90 days of the usage ledger; an unreadable ledger is no history, not an error. */
function ledgerHistory(ledger: UsageLedger): UsageLine[] {
  try {
    return ledger.read(new Date(Date.now() - 90 * 86_400_000)).lines;
  } catch {
    return [];
  }
}

/** The plan's cost, by the ledger's history of runs in each mode. */
function estimateLines(
  lines: UsageLine[],
  units: ReturnType<typeof unitsOf>,
  done: number,
  modes: string[],
  parallel: number,
): string[] {
  const estimates = estimateFromLedger(lines, modes);
  const left = (m: string) => units.filter((u) => u.mode === m).length * ((units.length - done) / units.length);
  const known = estimates.filter((e) => e.basis > 0);
  if (!known.length)
    return ['estimate: no runs in your usage ledger yet (last 90 days), so no estimate; --budget caps the spend.'];
  const sum = (pick: (e: ModeEstimate) => number | null) =>
    known.every((e) => pick(e) !== null) ? known.reduce((s, e) => s + (pick(e) as number) * left(e.mode), 0) : null;
  const missing = estimates.filter((e) => !e.basis).map((e) => e.mode);
  return [
    `estimate from your last runs (${known.map((e) => `${e.mode}: median of ${e.basis}`).join(', ')}): ~${tokens(sum((e) => e.tokens) ?? 0)} tokens, ~${usd(sum((e) => e.costUsd))}, ~${duration((sum((e) => e.agentMs) ?? 0) / parallel)} of agent time at --parallel ${parallel}` +
      (missing.length ? `; no history for ${missing.join(', ')} (not counted)` : ''),
  ];
}
