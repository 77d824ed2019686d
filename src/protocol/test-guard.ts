/**
 * Tests are the spec, not the driver's to edit. What the base's checks read is protected (gate/integrity/): after
 * every write call duo puts back any undeclared edit to it — one mechanism for every agent, like the read-only
 * guard — records it and tells the driver. A change the agreed plan declared (`testChanges`, critiqued by the
 * skeptic) or that the skeptic or the human accepted later is allowed. Adding tests, or adding lines to an existing
 * test file, is not weakening and is kept: the gate re-runs the original tests to catch an addition that bends one.
 * This file applies the rules; it decides none of them.
 */

import {
  type Acceptance,
  type AcceptanceView,
  acceptedIssues,
  type BaseProtection,
  classify,
  gateScope,
  importGraph,
  isModuleFile,
  judgeWrite,
  mayChange,
  pathAcceptance,
  scopeInputs,
  testSideFiles,
} from '../gate/integrity/index.js';
import type { VerifyCommand } from '../gate/types.js';
import type { RunContext } from './context.js';

export interface Revert {
  path: string;
  reason: string;
}

/** Step key of the verify commands, resolved on the base before any agent runs. */
export const COMMANDS_STEP = 'verify/commands';

/** Step key of the protected files a reviewed diff changes (duo review), as shown to the skeptic. */
export const REVIEWED_PROTECTED_STEP = 'review/protected';

export function verifyCommands(ctx: RunContext): VerifyCommand[] {
  return (ctx.state.steps[COMMANDS_STEP]?.result as VerifyCommand[] | undefined) ?? [];
}

/** The run record as the acceptance rules read it. */
export function acceptanceView(ctx: RunContext): AcceptanceView {
  const s = ctx.state;
  const reviewed = s.mode === 'review' && 'review/r1/review' in s.steps;
  return {
    ...s,
    reviewedProtected: reviewed ? ((s.steps[REVIEWED_PROTECTED_STEP]?.result as string[] | undefined) ?? []) : null,
  };
}

export const acceptedByKey = (ctx: RunContext): Record<string, Acceptance> => acceptedIssues(acceptanceView(ctx));
export const acceptanceOf = (ctx: RunContext, path: string): Acceptance | null =>
  pathAcceptance(acceptanceView(ctx), path);

const protections = new WeakMap<RunContext, Promise<BaseProtection>>();

/** Source files bigger than this, or in these folders, are left out of the import graph (generated or vendored). */
const MAX_MODULE_BYTES = 512 * 1024;
const SKIPPED = /(^|\/)(node_modules|vendor|third_party|dist|build|coverage|\.venv|venv)\/|\.min\.js$/;
const MAX_MODULES = 20_000;

/** What is protected on this run's base (computed once per run process; the base never changes). */
export function baseProtection(ctx: RunContext): Promise<BaseProtection> {
  let cached = protections.get(ctx);
  if (!cached) {
    cached = (async () => {
      const ws = ctx.ports.workspace;
      const base = ctx.state.worktree?.baseSha;
      if (!base)
        return { baseFiles: new Set<string>(), scope: { namedFiles: new Map(), scripts: null }, testSide: new Map() };
      const files = await ws.listFiles(base);
      const baseFiles = new Set(files);
      const modules = files.filter((f) => isModuleFile(f) && !SKIPPED.test(f)).slice(0, MAX_MODULES);
      const configs = scopeInputs(files);
      const texts = await ws.readManyAt(base, [...new Set([...configs, ...modules])]);
      const pick = (paths: string[]) =>
        new Map(paths.flatMap((p) => (texts.has(p) ? [[p, texts.get(p) as string] as const] : [])));
      const scope = gateScope(verifyCommands(ctx), { files: baseFiles, texts: pick(configs) });
      const sources = new Map([...pick(modules)].filter(([, t]) => t.length <= MAX_MODULE_BYTES));
      const graph = await importGraph(baseFiles, sources);
      const manifests = pick(configs.filter((p) => p.endsWith('package.json')));
      return { baseFiles, scope, testSide: testSideFiles(baseFiles, graph, manifests) };
    })();
    // Only once the commands are fixed: the scope depends on them.
    if (COMMANDS_STEP in ctx.state.steps) protections.set(ctx, cached);
  }
  return cached;
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
  const protection = await baseProtection(ctx);
  const allowed = mayChange(acceptanceView(ctx));
  const reverts: Revert[] = [];
  const restore: string[] = [];
  const rewrite: Record<string, string> = {};
  for (const { path, status } of changed) {
    // Most of what a call changes is not protected: no reads for those.
    const kind = classify(path, protection);
    if (!kind || kind === 'lockfile' || allowed(path)) continue;
    const [before, now, base] = await Promise.all([
      ws.readAt(preSha, path),
      ws.readWorking(cwd, path),
      protection.baseFiles.has(path) ? ws.readAt(baseSha, path) : null,
    ]);
    const verdict = judgeWrite({ path, status, before, now, base }, protection);
    if (verdict.action === 'keep') continue;
    reverts.push({ path, reason: verdict.reason });
    if (verdict.action === 'restore') restore.push(path);
    else rewrite[path] = verdict.content;
  }
  if (restore.length) await ws.restoreFrom(cwd, preSha, restore);
  if (Object.keys(rewrite).length) await ws.writeFiles(cwd, rewrite);
  return { reverted: reverts, changed: changed.length };
}

/** What duo reverted so far, and what it found written outside the worktree, for the driver's next prompt. */
export function revertNotice(ctx: RunContext): string {
  const r = ctx.state.reverts;
  const outside = ctx.state.outsideWrites;
  const parts: string[] = [];
  if (r.length)
    parts.push(
      'duo REVERTED these edits of yours to protected files (existing tests and the check definitions are the spec):\n' +
        r.map((x) => `- ${x.reason}`).join('\n') +
        '\nTo change one on purpose, say why in a rebuttal the skeptic can accept, or set `contradiction` if the task ' +
        'truly contradicts it; otherwise make the code satisfy it.',
    );
  if (outside.length)
    parts.push(
      'duo FOUND WRITES OUTSIDE YOUR WORKTREE (the user’s installed dependencies or the repository’s .git): ' +
        outside.map((w) => `${w.dir} (${w.paths.slice(0, 3).join(', ')})`).join('; ') +
        '. Never write there: the run cannot be green after it. Work only in your working directory.',
    );
  return parts.join('\n\n');
}
