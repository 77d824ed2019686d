import { resolveVerify } from '../config/verify-command.js';
import { classify, manifestProjection } from '../gate/integrity/index.js';
import type { RunContext } from './context.js';
import { startBaseline, verifyLists } from './gate-checks.js';
import { ProtectedPathsStep, VerifyCommandsStep } from './replay.js';
import { reviewPhase } from './review.js';
import { standingFindings } from './standing.js';
import { baseProtection, COMMANDS_STEP, REVIEWED_PROTECTED_STEP } from './test-guard.js';
import { verifyPhase } from './verify.js';

export { standingFindings } from './standing.js';

/**
 * `duo review`: the adversarial review and the gate alone, on what the user already has. The run's worktree holds a
 * snapshot of it (their tree is never touched); its base is the review's base. The same engine does the rest: the
 * verify commands are fixed on the base and its baseline runs beside the review, the skeptic reviews the diff, the
 * driver answers only with --answer (rebut, or fix on the run branch: a patch for `duo apply`), and the gate — with
 * its integrity checks — judges the snapshot. The run is red while a blocker/major finding stands.
 */
export async function reviewOnly(ctx: RunContext): Promise<void> {
  const { state, ports } = ctx;
  const target = state.options.review;
  if (!target) throw new Error('a review run needs options.review');

  // Detected on the base, like every run: the reviewed change cannot pick what the gate runs.
  const commands = await ctx.step(
    COMMANDS_STEP,
    () =>
      resolveVerify(verifyLists(ctx), async () => {
        const cwd = await ports.workspace.createScratch(`${state.runId}-detect`, target.base);
        try {
          return await ports.gate.detect(cwd);
        } finally {
          await ports.workspace.removeScratch(cwd);
        }
      }),
    VerifyCommandsStep,
  );
  const baseline = startBaseline(ctx, commands);

  state.phase = 'review';
  const shown = await ctx.step(
    REVIEWED_PROTECTED_STEP,
    () => protectedPaths(ctx, target.base, target.head),
    ProtectedPathsStep,
  );
  await reviewPhase(ctx, { answer: target.answer, note: protectedNote(shown) });

  state.phase = 'verify';
  const gate = await verifyPhase(ctx, baseline, { fix: target.answer });
  const standing = standingFindings(state.findings);
  if (standing.length)
    state.notes.push(
      `${standing.length} blocker/major finding(s) still stand: ${standing.map((e) => e.id).join(', ')}.`,
    );
  state.status = standing.length ? 'red' : gate;
  state.phase = 'done';
}

/** Existing tests and check definitions the reviewed diff changes (a manifest only when its gate part changed). */
async function protectedPaths(ctx: RunContext, base: string, head: string): Promise<string[]> {
  const ws = ctx.ports.workspace;
  const protection = await baseProtection(ctx);
  const paths: string[] = [];
  for (const { path } of await ws.changedBetween(base, head)) {
    const kind = classify(path, protection);
    if (kind === 'manifest') {
      const [b, a] = [await ws.readAt(base, path), await ws.readAt(head, path)];
      if (manifestProjection(path, b, protection.scope) !== manifestProjection(path, a, protection.scope))
        paths.push(path);
    } else if (kind === 'definition' || (kind === 'test' && protection.baseFiles.has(path))) paths.push(path);
  }
  return paths;
}

function protectedNote(paths: string[]): string | undefined {
  if (!paths.length) return undefined;
  return (
    `PROTECTED FILES CHANGED: this diff changes existing tests or the definition of the checks: ${paths.join(', ')}. ` +
    'Judge each one: it is acceptable only when the change really alters the behaviour that test or check pins ' +
    '(say which). A test edited to match wrong code, or a check skipped, deleted or weakened, is a blocker finding. ' +
    'If you raise no blocker/major finding, duo counts these changes as accepted by you.'
  );
}
