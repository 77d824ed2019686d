/**
 * Tests are the spec, not the driver's to edit. Pre-existing tests and the gate's definition are protected:
 * - a change the agreed plan declared (`testChanges`, critiqued by the skeptic) or that the skeptic or the human
 *   accepted later is allowed;
 * - anything else a write call did to them is reverted by duo right after the call (one mechanism for every agent,
 *   like the read-only guard), recorded, and told to the driver. Adding tests, or adding lines to an existing test
 *   file, is not weakening and is kept — the gate re-runs the original tests to catch an addition that bends one.
 */

import type { Acceptance } from '../gate/integrity.js';
import { addedMarkers } from '../gate/markers.js';
import {
  declaredMatcher,
  type GateScope,
  gateFileKind,
  gateScope,
  isTestPath,
  manifestProjection,
  projectionDiff,
  restoreManifest,
} from '../gate/protected.js';
import type { VerifyCommand } from '../gate/types.js';
import type { RunContext } from './context.js';
import type { LedgerEntry } from './types.js';

export interface Revert {
  path: string;
  reason: string;
}

/** Step key of the verify commands, resolved on the base before any agent runs. */
export const COMMANDS_STEP = 'verify/commands';

export function verifyCommands(ctx: RunContext): VerifyCommand[] {
  return (ctx.state.steps[COMMANDS_STEP]?.result as VerifyCommand[] | undefined) ?? [];
}

interface GateFiles {
  baseFiles: Set<string>;
  scope: GateScope;
}

const gateFilesCache = new WeakMap<RunContext, Promise<GateFiles>>();

/** The base's files and the files its verify commands name (computed once per run). */
export function gateFiles(ctx: RunContext): Promise<GateFiles> {
  let cached = gateFilesCache.get(ctx);
  if (!cached) {
    cached = (async () => {
      const ws = ctx.ports.workspace;
      const base = ctx.state.worktree?.baseSha;
      if (!base) return { baseFiles: new Set<string>(), scope: { commandFiles: [], scripts: null } };
      const baseFiles = new Set(await ws.listFiles(base));
      const pkg = baseFiles.has('package.json') ? await ws.readAt(base, 'package.json') : null;
      return { baseFiles, scope: gateScope(verifyCommands(ctx), baseFiles, pkg) };
    })();
    gateFilesCache.set(ctx, cached);
  }
  return cached;
}

/**
 * Whether the skeptic stood behind the agreed plan, so its declared test changes are accepted with it: the plan
 * converged and no blocker/major plan finding was left disputed (held, escalated) without a human siding with the
 * driver. A single-agent run has nobody to accept them: there the gate raises them for the human.
 */
function planAccepted(ctx: RunContext): boolean {
  if (ctx.state.mode === 'solo' || !ctx.state.roles.skeptic || ctx.state.planConverged !== true) return false;
  return !ctx.state.findings.some(
    (e) =>
      e.phase === 'plan' &&
      (e.finding.severity === 'blocker' || e.finding.severity === 'major') &&
      (e.resolution === 'open' || e.resolution === 'escalated') &&
      humanPick(ctx, e) !== 'driver',
  );
}

function humanPick(ctx: RunContext, entry: LedgerEntry): 'driver' | 'skeptic' | 'custom' | undefined {
  return ctx.state.decisions.find((d) => d.cardId === `card-${entry.id}`)?.pick;
}

/** Acceptance of an integrity entry after it was raised: the skeptic took the rebuttal, or the human sided with it. */
function entryAcceptance(ctx: RunContext, entry: LedgerEntry): Acceptance | null {
  if (entry.resolution === 'rebutted')
    return { by: 'skeptic', note: entry.recheck?.note || entry.answer?.note || 'the skeptic accepted the reason' };
  if (humanPick(ctx, entry) === 'driver')
    return { by: 'human', note: entry.decision ?? 'the human accepted the change' };
  return null;
}

/** Accepted integrity issues by key, for the gate's verdict. */
export function acceptedIssues(ctx: RunContext): Record<string, Acceptance> {
  const out: Record<string, Acceptance> = {};
  for (const e of ctx.state.findings) {
    if (e.phase !== 'integrity' || !e.integrityKey) continue;
    const a = entryAcceptance(ctx, e);
    if (a) out[e.integrityKey] = a;
  }
  return out;
}

/** Paths named by an integrity key: `kind:path[:…]`, or a contradiction's JSON list of paths. */
function keyPaths(key: string): string[] {
  if (key.startsWith('contradiction:')) {
    try {
      return JSON.parse(key.slice('contradiction:'.length)) as string[];
    } catch {
      return [];
    }
  }
  const [kind, rest] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'skip-added') return [rest.slice(0, rest.lastIndexOf(':'))];
  if (kind === 'gate-definition' || kind === 'test-changed') return [rest];
  return [];
}

/** Step key of the protected files a reviewed diff changes (duo review), as shown to the skeptic. */
export const REVIEWED_PROTECTED_STEP = 'review/protected';

/**
 * duo review: the user's diff is the "plan". Its changes to existing tests and the checks' definition were named to
 * the skeptic, who was asked to raise a blocker on any that weakens a check; they count as accepted by the skeptic
 * once no blocker/major review finding is left standing (open, or escalated without the human siding with the
 * driver). Only the paths the skeptic was shown.
 */
function reviewAcceptance(ctx: RunContext, path: string): Acceptance | null {
  if (ctx.state.mode !== 'review' || !('review/r1/review' in ctx.state.steps)) return null;
  const shown = (ctx.state.steps[REVIEWED_PROTECTED_STEP]?.result as string[] | undefined) ?? [];
  if (!shown.includes(path)) return null;
  const standing = ctx.state.findings.some(
    (e) =>
      e.phase === 'review' &&
      (e.finding.severity === 'blocker' || e.finding.severity === 'major') &&
      (e.resolution === 'open' || (e.resolution === 'escalated' && humanPick(ctx, e) !== 'driver')),
  );
  return standing
    ? null
    : { by: 'skeptic', note: 'the skeptic reviewed this change to a protected file and left no blocker/major finding' };
}

/** Why the run may change this protected path, or null when it may not (yet). */
export function pathAcceptance(ctx: RunContext, path: string): Acceptance | null {
  const plan = ctx.state.plan;
  const declared = plan?.testChanges.find((c) => declaredMatcher([c.path])(path));
  if (declared && planAccepted(ctx)) return { by: 'plan', note: declared.reason };
  const reviewed = reviewAcceptance(ctx, path);
  if (reviewed) return reviewed;
  for (const e of ctx.state.findings) {
    if (e.phase !== 'integrity' || !e.integrityKey || !keyPaths(e.integrityKey).includes(path)) continue;
    const a = entryAcceptance(ctx, e);
    if (a) return a;
  }
  return null;
}

/** The guard lets a write call change a protected path that is declared in the plan (agreed or not) or accepted. */
function mayChange(ctx: RunContext): (path: string) => boolean {
  const declared = declaredMatcher(ctx.state.plan?.testChanges.map((c) => c.path) ?? []);
  return (path) => declared(path) || pathAcceptance(ctx, path) !== null;
}

/** Every line of `base`, in order, is still in `now`: the edit only added lines. */
export function onlyAdds(base: string, now: string): boolean {
  const want = base.split('\n');
  let i = 0;
  for (const line of now.split('\n')) if (i < want.length && line === want[i]) i++;
  return i === want.length;
}

/**
 * After a write call: puts back every undeclared edit to a protected file, made since `preSha` in `cwd`. Returns
 * what was reverted and why (the caller records it and tells the driver), and how many paths the call changed.
 */
export async function revertProtectedEdits(
  ctx: RunContext,
  cwd: string,
  preSha: string,
): Promise<{ reverted: Revert[]; changed: number }> {
  const ws = ctx.ports.workspace;
  const changed = await ws.changedPaths(cwd, preSha);
  const baseSha = ctx.state.worktree?.baseSha;
  if (!changed.length || !baseSha) return { reverted: [], changed: changed.length };
  const { baseFiles, scope } = await gateFiles(ctx);
  const allowed = mayChange(ctx);
  const reverts: Revert[] = [];
  const restore: string[] = [];
  const rewrite: Record<string, string> = {};
  for (const { path, status } of changed) {
    if (allowed(path)) continue;
    const kind = gateFileKind(path, scope);
    if (kind === 'file') {
      restore.push(path);
      reverts.push({ path, reason: `${path} defines how the checks run (${verb(status)})` });
    } else if (kind === 'manifest') {
      const before = await ws.readAt(preSha, path);
      const now = await ws.readWorking(cwd, path);
      const [was, is] = [manifestProjection(path, before, scope), manifestProjection(path, now, scope)];
      if (was === is) continue;
      if (now === null || before === null) restore.push(path);
      else rewrite[path] = restoreManifest(path, now, before, scope);
      const what = projectionDiff(was, is).replace(/\n/g, '; ');
      reverts.push({ path, reason: `${path}'s check definition was changed (${what})` });
    } else if (kind !== 'lockfile' && isTestPath(path) && baseFiles.has(path)) {
      if (status === 'D') {
        restore.push(path);
        reverts.push({ path, reason: `${path} is an existing test and was deleted` });
        continue;
      }
      const base = (await ws.readAt(baseSha, path)) ?? '';
      const now = (await ws.readWorking(cwd, path)) ?? '';
      if (!onlyAdds(base, now)) {
        restore.push(path);
        reverts.push({ path, reason: `${path} is an existing test and its existing lines were changed` });
      } else if (addedMarkers(path, base, now).length) {
        restore.push(path);
        const m = addedMarkers(path, base, now).map((x) => x.marker);
        reverts.push({ path, reason: `${path} is an existing test and ${m.join(', ')} was added to it` });
      }
    }
  }
  if (restore.length) await ws.restoreFrom(cwd, preSha, restore);
  if (Object.keys(rewrite).length) await ws.writeFiles(cwd, rewrite);
  return { reverted: reverts, changed: changed.length };
}

function verb(status: 'A' | 'M' | 'D'): string {
  return status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified';
}

/** What duo reverted so far, for the driver's next prompt. */
export function revertNotice(ctx: RunContext): string {
  const r = ctx.state.reverts;
  if (!r.length) return '';
  return (
    'duo REVERTED these edits of yours to protected files (existing tests and the check definitions are the spec):\n' +
    r.map((x) => `- ${x.reason}`).join('\n') +
    '\nTo change one on purpose, say why in a rebuttal the skeptic can accept, or set `contradiction` if the task ' +
    'truly contradicts it; otherwise make the code satisfy it.'
  );
}
