/**
 * The gate's measurements, taken by duo in scratch worktrees so the run's own worktree is never bent either:
 * - the **baseline**: the verify commands on the untouched base, started beside the plan phase;
 * - each **attempt**: the commands on the run's code with the base's definition of the gate (unless a change to it
 *   was accepted), and the original versions of the pre-existing tests the run changed, re-run on the new code.
 * All of it runs in parallel; `gate/integrity.ts` turns the measurements into the verdict.
 */

import { statusOf } from '../gate/index.js';
import { assessIntegrity, type MarkerChange, type OriginalRun, type ProtectedChange } from '../gate/integrity.js';
import { addedMarkers, mayHoldMarkers } from '../gate/markers.js';
import {
  gateFileKind,
  isTestPath,
  lockfileToolEntries,
  manifestProjection,
  projectionDiff,
  restoreManifest,
} from '../gate/protected.js';
import type { GateJob, VerifyCommand } from '../gate/types.js';
import type { RunContext } from './context.js';
import { acceptedIssues, gateFiles, pathAcceptance } from './protect.js';
import type { RunState, VerifyRecord } from './types.js';

export type Baseline = NonNullable<RunState['baseline']>;

/** The verify commands: --verify flags win, then the config, then what the base's files say (detected). */
export async function resolveCommands(ctx: RunContext, cwd = ctx.cwd): Promise<VerifyCommand[]> {
  const flags = ctx.state.options.verify;
  if (flags.length) return flags.map((command) => ({ command, kind: guessKind(command), source: 'flag' }));
  if (ctx.config.verify.length)
    return ctx.config.verify.map((command) => ({ command, kind: guessKind(command), source: 'config' }));
  return ctx.ports.gate.detect(cwd);
}

function guessKind(command: string): VerifyCommand['kind'] {
  if (/\b(tsc|typecheck|type-check|mypy|pyright)\b/.test(command)) return 'typecheck';
  if (/\b(lint|eslint|biome|ruff|clippy|vet)\b/.test(command)) return 'lint';
  if (/\b(test|vitest|jest|mocha|pytest|spec)\b/.test(command)) return 'test';
  return 'other';
}

interface BaselineRun {
  promise: Promise<Baseline | null>;
  controller: AbortController;
  /** Why there is no baseline, when there is none. */
  error?: string;
}

const baselines = new WeakMap<RunContext, BaselineRun>();

/**
 * Starts the baseline once per run process, as a journaled step that runs beside the plan phase (a resumed run
 * replays it, or starts it again if it never finished). It never fails the run: without it the report says why and
 * the gate judges on exit codes alone.
 */
export function startBaseline(ctx: RunContext, commands: VerifyCommand[]): Promise<Baseline | null> {
  const running = baselines.get(ctx);
  if (running) return running.promise;
  const controller = new AbortController();
  const outer = ctx.ports.signal;
  outer?.addEventListener('abort', () => controller.abort(), { once: true });
  const run: BaselineRun = { controller, promise: Promise.resolve(null) };
  run.promise = commands.length
    ? ctx
        .step(BASELINE_STEP, () => runBaseline(ctx, commands, controller.signal))
        .catch((e: unknown) => {
          run.error = controller.signal.aborted ? 'stopped before it finished' : (e as Error).message;
          return null;
        })
    : Promise.resolve(null);
  baselines.set(ctx, run);
  return run.promise;
}

/** Stops a baseline still running (the run ended early) and waits for it to let go of its worktree. */
export async function stopBaseline(ctx: RunContext): Promise<void> {
  const run = baselines.get(ctx);
  if (!run) return;
  run.controller.abort();
  await run.promise;
}

export function baselineError(ctx: RunContext): string | undefined {
  return baselines.get(ctx)?.error;
}

export const BASELINE_STEP = 'gate/baseline';

async function runBaseline(ctx: RunContext, commands: VerifyCommand[], signal?: AbortSignal): Promise<Baseline> {
  const ws = ctx.ports.workspace;
  const sha = ctx.state.worktree?.baseSha as string;
  const started = Date.now();
  const cwd = await ws.createScratch(`${ctx.state.runId}-baseline`, sha);
  try {
    const outcome = await ctx.ports.gate.run(
      commands.map((c) => ({ ...c, cwd, label: 'baseline' })),
      gateOptions(ctx, cwd, 'baseline', signal),
    );
    return { sha, durationMs: Date.now() - started, results: outcome.results };
  } finally {
    await ws.removeScratch(cwd);
  }
}

function gateOptions(ctx: RunContext, cwd: string, label: string, signal = ctx.ports.signal) {
  return {
    cwd,
    logDir: ctx.ports.store.verifyLogDir(ctx.state.runId),
    label,
    timeoutMs: ctx.config.limits.verifyTimeoutMs,
    parallel: ctx.config.verifyParallel,
    onProcess: (pid: number, st: 'started' | 'exited') =>
      ctx.ports.store.trackProcess(ctx.state.runId, 'verify', pid, st),
    ...(signal ? { signal } : {}),
  };
}

/** The commands that run tests, for the original-test re-run: test commands, else the catch-all ones (`make check`). */
function testCommandIndexes(commands: VerifyCommand[]): number[] {
  const tests = commands.flatMap((c, i) => (c.kind === 'test' ? [i] : []));
  return tests.length ? tests : commands.flatMap((c, i) => (c.kind === 'other' ? [i] : []));
}

/** What the run changed among the protected files, against the base, with who accepted each change. */
async function protectedChanges(
  ctx: RunContext,
  head: string,
): Promise<{ changes: ProtectedChange[]; markers: MarkerChange[] }> {
  const ws = ctx.ports.workspace;
  const base = ctx.state.worktree?.baseSha as string;
  const { baseFiles, scope } = await gateFiles(ctx);
  const changes: ProtectedChange[] = [];
  const markers: MarkerChange[] = [];
  for (const { path, status } of await ws.changedBetween(base, head)) {
    const kind = gateFileKind(path, scope);
    const before = kind || mayHoldMarkers(path, isTestPath(path)) ? await ws.readAt(base, path) : null;
    const after = kind || mayHoldMarkers(path, isTestPath(path)) ? await ws.readAt(head, path) : null;
    const acceptance = pathAcceptance(ctx, path);
    if (kind === 'manifest' || kind === 'lockfile') {
      const project = (text: string | null) =>
        kind === 'manifest' ? manifestProjection(path, text, scope) : lockfileToolEntries(path, text);
      const [b, a] = [project(before), project(after)];
      if (b !== a)
        changes.push({ path, status, kind, preExisting: before !== null, detail: projectionDiff(b, a), acceptance });
    } else if (kind === 'file') {
      changes.push({
        path,
        status,
        kind: 'gate-file',
        preExisting: before !== null,
        detail: `${path} ${verb(status)}`,
        acceptance,
      });
    } else if (isTestPath(path)) {
      changes.push({
        path,
        status,
        kind: 'test',
        preExisting: baseFiles.has(path),
        detail: `${path} ${verb(status)}`,
        acceptance,
      });
    }
    if (status !== 'D' && mayHoldMarkers(path, isTestPath(path)))
      for (const m of addedMarkers(path, before, after))
        markers.push({ ...m, preExisting: baseFiles.has(path), acceptance });
  }
  return { changes, markers };
}

/**
 * One gate attempt on the run's head: the final gate (base definition where the run's change to it is not
 * accepted) and the original-test re-run, in parallel, then the verdict.
 */
export async function gateAttempt(
  ctx: RunContext,
  commands: VerifyCommand[],
  attempt: number,
  baseline: Baseline | null,
): Promise<Omit<VerifyRecord, 'attempt'>> {
  if (commands.length === 0) return { status: 'unverified', results: [] };
  const ws = ctx.ports.workspace;
  const head = ctx.state.headSha ?? (await ws.head(ctx.cwd));
  const base = ctx.state.worktree?.baseSha as string;
  const { changes, markers } = await protectedChanges(ctx, head);
  const { scope } = await gateFiles(ctx);

  // The base's definition of the gate, for every change to it nobody accepted (a lockfile only matters once
  // installed: it is judged, not overlaid).
  const definition = changes.filter((c) => c.kind !== 'test' && c.kind !== 'lockfile' && !c.acceptance);
  const restoreDefinition = async (cwd: string) => {
    const whole = definition.filter((c) => c.kind === 'gate-file' || c.status !== 'M').map((c) => c.path);
    if (whole.length) await ws.restoreFrom(cwd, base, whole);
    const merged: Record<string, string> = {};
    for (const c of definition.filter((c) => c.kind === 'manifest' && c.status === 'M'))
      merged[c.path] = restoreManifest(
        c.path,
        (await ws.readAt(head, c.path)) ?? '',
        await ws.readAt(base, c.path),
        scope,
      );
    if (Object.keys(merged).length) await ws.writeFiles(cwd, merged);
  };
  const originals = changes.filter((c) => c.kind === 'test' && c.preExisting && c.status !== 'A' && !c.acceptance);
  const originalIdx = originals.length ? testCommandIndexes(commands) : [];

  const scratches: string[] = [];
  const scratch = async (name: string) => {
    const cwd = await ws.createScratch(`${ctx.state.runId}-${name}-a${attempt}`, head);
    scratches.push(cwd);
    return cwd;
  };
  try {
    let finalCwd = ctx.cwd;
    if (definition.length) {
      finalCwd = await scratch('gate');
      await restoreDefinition(finalCwd);
    }
    const jobs: GateJob[] = commands.map((c) => ({ ...c, cwd: finalCwd, label: `verify-${attempt}` }));
    if (originalIdx.length) {
      const cwd = await scratch('original');
      await restoreDefinition(cwd);
      await ws.restoreFrom(
        cwd,
        base,
        originals.map((c) => c.path),
      );
      for (const i of originalIdx) jobs.push({ ...(commands[i] as VerifyCommand), cwd, label: `original-${attempt}` });
    }
    for (const j of jobs) ctx.emit({ type: 'verify', command: j.command, state: 'start' });
    // The project's commands may leave files behind (a build, a cache) in the run worktree.
    if (finalCwd === ctx.cwd) ctx.markWorktreeDirty();
    const outcome = await ctx.ports.gate.run(jobs, gateOptions(ctx, ctx.cwd, `verify-${attempt}`));
    for (const r of outcome.results)
      ctx.emit({
        type: 'verify',
        command: r.command,
        state: 'end',
        exitCode: r.exitCode,
        passed: r.passed,
        reason: r.reason,
      });
    const results = outcome.results.slice(0, commands.length);
    const original: OriginalRun | null = originalIdx.length
      ? {
          restored: originals.map((c) => c.path),
          commandIndexes: originalIdx,
          results: outcome.results.slice(commands.length),
        }
      : null;
    const integrity = assessIntegrity({
      commands,
      baseline: baseline?.results ?? null,
      final: results,
      original,
      changes,
      markers,
      accepted: acceptedIssues(ctx),
    });
    // Recomputed from the measurements, never trusted from anyone: every command ran, exited 0 and (for tests)
    // ran tests, and no change to the checks is left that nobody accepted.
    const status = statusOf(results) === 'green' && integrity.unaccepted.length === 0 ? 'green' : 'red';
    return {
      status,
      results,
      integrity,
      baseDefinition: definition.map((c) => c.path),
      original: original ? { restored: original.restored, results: original.results } : null,
    };
  } finally {
    for (const s of scratches) await ws.removeScratch(s);
  }
}

function verb(status: 'A' | 'M' | 'D'): string {
  return status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified';
}
