/**
 * The gate's measurements. duo takes them in pristine checkouts — exactly one commit and the user's dependency
 * links, nothing an agent left, ignored or hid — so what is judged is exactly what `duo apply` brings in:
 * - the **baseline**: the verify commands on the untouched base, started beside the plan phase;
 * - each **attempt**: the commands on the run's commit, with the base's definition of the gate unless a change to it
 *   was accepted; the original versions of the pre-existing tests the run changed, re-run on the new code (and,
 *   for the record, those of the tests changed on purpose); the mechanical scan of the added code.
 * Checkouts are reused across attempts and removed when the verify phase ends. All commands of an attempt run in
 * parallel; gate/integrity/ turns the measurements into the verdict.
 */

import { resolveVerify, type VerifyList } from '../config/verify-command.js';
import { statusOf } from '../gate/index.js';
import {
  addedMarkers,
  assertionLiterals,
  assessIntegrity,
  type ChangedFile,
  classify,
  isTestPath,
  lockfileToolEntries,
  type MarkerChange,
  manifestProjection,
  mayHoldMarkers,
  type OriginalRun,
  type OutsideWrite,
  type ProtectedChange,
  projectionDiff,
  protectionReason,
  restoreManifest,
  scanCheats,
  verb,
} from '../gate/integrity/index.js';
import type { GateJob, VerifyCommand } from '../gate/types.js';
import type { RunContext } from './context.js';
import { BaselineStep } from './replay.js';
import { acceptanceOf, acceptedByKey, baseProtection } from './test-guard.js';
import type { RunState, VerifyRecord } from './types.js';

export type Baseline = NonNullable<RunState['baseline']>;

/** Where a run's verify commands may be given, in order: its --verify flags, then its config. */
export function verifyLists(ctx: RunContext): VerifyList[] {
  return [
    { source: 'flag', commands: ctx.state.options.verify },
    { source: 'config', commands: ctx.config.verify },
  ];
}

/** The verify commands: given (flags, then the config), else what the base's files say (detected in `cwd`). */
export async function resolveCommands(ctx: RunContext, cwd = ctx.cwd): Promise<VerifyCommand[]> {
  return resolveVerify(verifyLists(ctx), () => ctx.ports.gate.detect(cwd));
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
        .step(BASELINE_STEP, () => runBaseline(ctx, commands, controller.signal), BaselineStep)
        .catch((e: unknown) => {
          run.error = controller.signal.aborted ? 'stopped before it finished' : (e as Error).message;
          return null;
        })
    : Promise.resolve(null);
  baselines.set(ctx, run);
  // What the base protects is read while the plan phase runs, too: the first write call needs it.
  if (ctx.state.worktree) void baseProtection(ctx).catch(() => undefined);
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
  const sha = ctx.state.worktree?.baseSha as string;
  const started = Date.now();
  // The checkout the final gate reuses: by then only the run's own change has to be checked out in it.
  const cwd = await checkout(ctx, 'final', sha);
  const outcome = await ctx.ports.gate.run(
    commands.map((c) => ({ ...c, cwd, label: 'baseline' })),
    gateOptions(ctx, cwd, 'baseline', signal),
  );
  return { sha, durationMs: Date.now() - started, results: outcome.results };
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

interface Measured {
  changes: ProtectedChange[];
  markers: MarkerChange[];
  /** Non-test code and new test files the run added or changed, for the cheat scan. */
  scanned: ChangedFile[];
  /** Every path the run changes against its base. */
  paths: Set<string>;
}

/** What the run changed against the base: protected files (with who accepted each), markers, code to scan. */
async function measureChanges(ctx: RunContext, head: string): Promise<Measured> {
  const ws = ctx.ports.workspace;
  const base = ctx.state.worktree?.baseSha as string;
  const protection = await baseProtection(ctx);
  const { baseFiles, scope } = protection;
  const changes: ProtectedChange[] = [];
  const markers: MarkerChange[] = [];
  const scanned: ChangedFile[] = [];
  const paths = new Set<string>();
  const changed = await ws.changedBetween(base, head);
  const [atBase, atHead] = await Promise.all(
    [base, head].map((sha) =>
      ws.readManyAt(
        sha,
        changed.map((c) => c.path),
      ),
    ),
  );
  for (const { path, status } of changed) {
    paths.add(path);
    const kind = classify(path, protection);
    const testLike = kind === 'test' || (!baseFiles.has(path) && isTestPath(path));
    const before = atBase?.get(path) ?? null;
    const after = status === 'D' ? null : (atHead?.get(path) ?? null);
    const acceptance = acceptanceOf(ctx, path);
    if (kind === 'manifest' || kind === 'lockfile') {
      const project = (text: string | null) =>
        kind === 'manifest' ? manifestProjection(path, text, scope) : lockfileToolEntries(path, text);
      const [b, a] = [project(before), project(after)];
      if (b !== a)
        changes.push({ path, status, kind, preExisting: before !== null, detail: projectionDiff(b, a), acceptance });
    } else if (kind === 'definition') {
      const why = protectionReason(path, protection);
      changes.push({
        path,
        status,
        kind,
        preExisting: before !== null,
        detail: `${path} ${verb(status)}${why ? `; it ${why}` : ''}`,
        acceptance,
      });
    } else if (kind === 'test') {
      const helper = protection.testSide.get(path)?.startsWith('a test helper');
      changes.push({
        path,
        status,
        kind,
        preExisting: true,
        detail: `${path} ${verb(status)}${helper ? ` (${protection.testSide.get(path)})` : ''}`,
        label: helper ? 'an existing test helper' : 'an existing test',
        acceptance,
      });
    }
    if (status !== 'D' && mayHoldMarkers(path, testLike))
      for (const m of addedMarkers(path, before, after))
        markers.push({ ...m, preExisting: baseFiles.has(path), acceptance });
    if (after !== null && (!testLike || !baseFiles.has(path)) && kind !== 'definition')
      scanned.push({ path, base: before, head: after, test: testLike });
  }
  return { changes, markers, scanned, paths };
}

/** The assertion literals of every test-side file at the head, for the special-cased-input rule. */
async function testLiterals(ctx: RunContext, head: string): Promise<Set<string>> {
  const protection = await baseProtection(ctx);
  const files = [...protection.testSide.keys()].filter((f) => /\.([cm]?[jt]sx?|py)$/.test(f));
  const texts = await ctx.ports.workspace.readManyAt(head, files);
  const out = new Set<string>();
  for (const text of texts.values()) for (const lit of assertionLiterals(text)) out.add(lit);
  return out;
}

/** Writes found outside the worktree during the run, grouped by folder, with how to put each back. */
function outsideWrites(ctx: RunContext, lockfiles: ReadonlySet<string>, changed: ReadonlySet<string>): OutsideWrite[] {
  const byDir = new Map<string, OutsideWrite>();
  for (const w of ctx.state.outsideWrites) {
    const seen = byDir.get(w.dir);
    if (seen) {
      seen.paths = [...new Set([...seen.paths, ...w.paths])].slice(0, 50);
      seen.count += w.count;
    } else
      byDir.set(w.dir, {
        dir: w.dir,
        paths: [...w.paths],
        count: w.count,
        step: w.step,
        restore: restoreHint(w.dir, lockfiles),
      });
  }
  const tree = byDir.get('.');
  if (tree) tree.overlap = tree.paths.filter((p) => changed.has(p));
  return [...byDir.values()];
}

function restoreHint(dir: string, lockfiles: ReadonlySet<string>): string {
  if (dir === '.')
    return 'Look at `git diff` in your tree: a file you did not edit yourself was written by an agent (`git checkout -- <file>` puts a tracked file back, and your own uncommitted edits to it with it).';
  if (dir === '.git')
    return 'compare the named files in .git with what you set up yourself (`git config --list --show-origin`, .git/hooks/, .git/info/) and remove what you did not put there.';
  if (dir.endsWith('node_modules')) {
    const folder = dir === 'node_modules' ? 'the repository root' : dir.replace(/\/node_modules$/, '');
    const has = (f: string) => lockfiles.has(f);
    const cmd = has('pnpm-lock.yaml')
      ? 'pnpm install --frozen-lockfile'
      : has('yarn.lock')
        ? 'yarn install --frozen-lockfile'
        : has('bun.lock') || has('bun.lockb')
          ? 'bun install --frozen-lockfile'
          : 'npm ci';
    return `reinstall your dependencies: \`${cmd}\` in ${folder}, then \`duo resume <runId> --verify "<cmd>"\` to gate the run again.`;
  }
  return `recreate the virtualenv ${dir} from your requirements (e.g. \`python3 -m venv --clear ${dir}\`, then reinstall), then \`duo resume <runId> --verify "<cmd>"\`.`;
}

const checkoutName = (ctx: RunContext, purpose: string) => `${ctx.state.runId}-${purpose}`;

/** Removes the attempt checkouts once the verify phase is over (a resumed run makes them again). */
export async function removeGateCheckouts(ctx: RunContext): Promise<void> {
  const used = [...(gateCheckouts.get(ctx)?.values() ?? [])];
  if (used.length) await ctx.ports.workspace.removeScratch(...used);
  gateCheckouts.delete(ctx);
}

const gateCheckouts = new WeakMap<RunContext, Map<string, string>>();

async function checkout(ctx: RunContext, purpose: string, sha: string): Promise<string> {
  const path = await ctx.ports.workspace.pristineCheckout(checkoutName(ctx, purpose), sha);
  if (!gateCheckouts.has(ctx)) gateCheckouts.set(ctx, new Map());
  gateCheckouts.get(ctx)?.set(purpose, path);
  return path;
}

/**
 * One gate attempt on the run's commit: the final gate (base definition where the run's change to it is not
 * accepted) and the original-test re-runs in pristine checkouts, in parallel, then the verdict.
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
  const protection = await baseProtection(ctx);
  // The final checkout is made while the change is measured: neither reads what the other writes.
  const [{ changes, markers, scanned, paths }, finalCwd] = await Promise.all([
    measureChanges(ctx, head),
    checkout(ctx, 'final', head),
  ]);

  // The base's definition of the gate, for every change to it nobody accepted (a lockfile only matters once
  // installed: it is judged, not overlaid).
  const definition = changes.filter((c) => c.kind !== 'test' && c.kind !== 'lockfile' && !c.acceptance);
  const restoreDefinition = async (cwd: string) => {
    const whole = definition.filter((c) => c.kind === 'definition' || c.status !== 'M').map((c) => c.path);
    if (whole.length) await ws.restoreFrom(cwd, base, whole);
    const merged: Record<string, string> = {};
    for (const c of definition.filter((c) => c.kind === 'manifest' && c.status === 'M'))
      merged[c.path] = restoreManifest(
        c.path,
        (await ws.readAt(head, c.path)) ?? '',
        await ws.readAt(base, c.path),
        protection.scope,
      );
    if (Object.keys(merged).length) await ws.writeFiles(cwd, merged);
  };
  const changedTests = changes.filter((c) => c.kind === 'test' && c.status !== 'A');
  const groups = {
    original: changedTests.filter((c) => !c.acceptance).map((c) => c.path),
    declared: changedTests.filter((c) => c.acceptance).map((c) => c.path),
  };
  const testIdx = testCommandIndexes(commands);

  await restoreDefinition(finalCwd);
  const jobs: GateJob[] = commands.map((c) => ({ ...c, cwd: finalCwd, label: `verify-${attempt}` }));
  const reruns: Partial<Record<keyof typeof groups, { restored: string[]; from: number }>> = {};
  for (const purpose of ['original', 'declared'] as const) {
    const restored = groups[purpose];
    if (!restored.length || !testIdx.length) continue;
    const cwd = await checkout(ctx, purpose, head);
    await restoreDefinition(cwd);
    await ws.restoreFrom(cwd, base, restored);
    reruns[purpose] = { restored, from: jobs.length };
    for (const i of testIdx) jobs.push({ ...(commands[i] as VerifyCommand), cwd, label: `${purpose}-${attempt}` });
  }
  for (const j of jobs) ctx.emit({ type: 'verify', command: j.command, state: 'start' });
  // The code is scanned for cheats while the commands run: the verdict needs both, the commands neither.
  const [outcome, suspects] = await Promise.all([
    ctx.ports.gate.run(jobs, gateOptions(ctx, finalCwd, `verify-${attempt}`)),
    testLiterals(ctx, head).then((literals) => scanCheats(scanned, literals)),
  ]);
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
  const rerun = (purpose: keyof typeof groups): OriginalRun | null => {
    const r = reruns[purpose];
    if (!r) return null;
    return {
      restored: r.restored,
      commandIndexes: testIdx,
      results: outcome.results.slice(r.from, r.from + testIdx.length),
    };
  };
  const original = rerun('original');
  const declared = rerun('declared');
  const accepted = acceptedByKey(ctx);
  const integrity = assessIntegrity({
    commands,
    baseline: baseline?.results ?? null,
    final: results,
    original,
    declared,
    changes,
    markers,
    suspects: suspects.map((s) => ({ ...s, acceptance: null })),
    outside: outsideWrites(ctx, protection.baseFiles, paths),
    accepted,
  });
  // Recomputed from the measurements, never trusted from anyone: every command ran, exited 0 and (for tests)
  // ran tests, and no integrity issue is left that nobody accepted.
  const status = statusOf(results) === 'green' && integrity.unaccepted.length === 0 ? 'green' : 'red';
  return {
    status,
    results,
    integrity,
    sha: head,
    baseDefinition: definition.map((c) => c.path),
    original: original ? { restored: original.restored, results: original.results } : null,
    declared: declared ? { restored: declared.restored, results: declared.results } : null,
  };
}
