import type { VerifyCommand, VerifyResult } from '../gate/types.js';
import { trackProcesses } from '../record/agent-processes.js';
import type { RunContext } from './context.js';
import { Ledger } from './ledger.js';
import { diagnosePrompt, reviewPrompt } from './prompts/prompts.js';
import { answerLoop, withNotes } from './review.js';
import { Critique, WorkReport } from './schemas.js';
import type { VerifyRecord } from './types.js';

/**
 * The verify gate. duo runs the commands itself; only their exit codes and output decide the status. Red →
 * the driver diagnoses and fixes → the skeptic reviews the fix → verify again, bounded. No commands → unverified.
 */
export async function verifyPhase(ctx: RunContext): Promise<VerifyRecord['status']> {
  ctx.emit({ type: 'phase', phase: 'verify' });
  const commands = await ctx.step('verify/commands', () => resolveCommands(ctx));
  if (commands.length === 0) {
    ctx.state.notes.push(
      'No verify commands were given or detected, so nothing was verified. Pass --verify "<cmd>" or set "verify" in duo.config.json.',
    );
  }
  const cap = ctx.config.limits.verifyRounds;
  let status: VerifyRecord['status'] = 'unverified';
  for (let attempt = 1; attempt <= cap; attempt++) {
    if (attempt > 1) ctx.emit({ type: 'phase', phase: 'verify', round: attempt });
    const outcome = await ctx.step(`verify/a${attempt}/gate`, () => runGate(ctx, commands, attempt));
    ctx.state.verify.push({ attempt, ...outcome });
    status = outcome.status;
    if (status !== 'red' || attempt === cap) break;
    await fixAttempt(ctx, attempt, outcome.results);
  }
  return status;
}

async function resolveCommands(ctx: RunContext): Promise<VerifyCommand[]> {
  const flags = ctx.state.options.verify;
  if (flags.length) return flags.map((command) => ({ command, kind: guessKind(command), source: 'flag' }));
  if (ctx.config.verify.length)
    return ctx.config.verify.map((command) => ({ command, kind: guessKind(command), source: 'config' }));
  return ctx.ports.gate.detect(ctx.cwd);
}

function guessKind(command: string): VerifyCommand['kind'] {
  if (/\b(tsc|typecheck|type-check|mypy|pyright)\b/.test(command)) return 'typecheck';
  if (/\b(lint|eslint|biome|ruff|clippy|vet)\b/.test(command)) return 'lint';
  if (/\b(test|vitest|jest|mocha|pytest|spec)\b/.test(command)) return 'test';
  return 'other';
}

async function runGate(
  ctx: RunContext,
  commands: VerifyCommand[],
  attempt: number,
): Promise<Omit<VerifyRecord, 'attempt'>> {
  if (commands.length === 0) return { status: 'unverified', results: [] };
  for (const c of commands) ctx.emit({ type: 'verify', command: c.command, state: 'start' });
  const outcome = await ctx.ports.gate.run(commands, {
    cwd: ctx.cwd,
    logDir: ctx.ports.store.verifyLogDir(ctx.state.runId),
    label: `verify-${attempt}`,
    timeoutMs: ctx.config.limits.verifyTimeoutMs,
    onProcess: trackProcesses(ctx.ports.store.dir(ctx.state.runId), 'verify'),
    ...(ctx.ports.signal ? { signal: ctx.ports.signal } : {}),
  });
  for (const r of outcome.results)
    ctx.emit({
      type: 'verify',
      command: r.command,
      state: 'end',
      exitCode: r.exitCode,
      passed: r.passed,
      reason: r.reason,
    });
  // The status is recomputed here from the measurements, not trusted from the gate: green needs every command
  // to have run, exited 0 and (for tests) run tests.
  const status =
    outcome.results.length === 0
      ? 'unverified'
      : outcome.results.every((r) => r.passed && r.exitCode === 0 && !r.noTestsRan && !r.timedOut && !r.startError)
        ? 'green'
        : 'red';
  return { status, results: outcome.results };
}

export function renderFailures(results: VerifyResult[] | VerifyRecord['results']): string {
  return results
    .filter((r) => !r.passed)
    .map((r) => {
      const why = r.startError ?? r.reason ?? (r.timedOut ? 'timed out' : `exit code ${r.exitCode}`);
      return `$ ${r.command}\n(${why})\n${r.output.slice(-12_000)}`;
    })
    .join('\n\n');
}

async function fixAttempt(
  ctx: RunContext,
  attempt: number,
  results: VerifyResult[] | VerifyRecord['results'],
): Promise<void> {
  const prefix = `verify/a${attempt}`;
  const fix = await ctx.callAgent(`${prefix}/diagnose`, 'driver', {
    purpose: 'diagnose',
    access: 'write',
    schema: WorkReport,
    schemaName: 'WorkReport',
    commitMessage: `duo: fix verify failure (attempt ${attempt})`,
    ...diagnosePrompt(ctx.state.task, renderFailures(results)),
  });
  if (!fix.commit) {
    ctx.state.notes.push(`Verify attempt ${attempt}: the driver's diagnosis changed no files.`);
    return;
  }
  const key = `${prefix}/review`;
  if (!ctx.canCall('skeptic', key)) return;
  const wt = ctx.state.worktree!;
  const diff = await ctx.ports.workspace.diff(wt.path, `${fix.commit}~1`, fix.commit);
  const fresh = ctx.state.mode === 'invert';
  const review = await ctx.callAgent(key, 'skeptic', {
    purpose: 'review',
    access: 'read-only',
    schema: Critique,
    schemaName: 'Critique',
    ...(fresh ? { slot: 'reviewer' } : {}),
    ...reviewPrompt(ctx.state.task, null, withNotes(diff.text, diff.notes), fresh),
  });
  new Ledger(ctx.state).add('verify', attempt, review.answer.findings, ctx.at(key));
  await answerLoop(ctx, 'verify', prefix, fresh ? 'reviewer' : 'skeptic');
}
