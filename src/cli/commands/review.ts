import { givenCommands } from '../../config/verify-command.js';
import { createRunState } from '../../protocol/engine.js';
import { withPanel } from '../../protocol/new-run.js';
import type { EnginePorts } from '../../protocol/ports.js';
import { rolesFor } from '../../protocol/roles.js';
import { ownerRecord } from '../../record/run-owner.js';
import { untouchedSetupFiles } from '../../record/setup-files.js';
import { UsageError } from '../../sys/duo-error.js';
import type { NothingToReviewJson } from '../../wire/run.js';
import { reviewRange } from '../../workspace/index.js';
import type { ReviewFlags } from '../flags.js';
import { printJson } from '../json.js';
import { checkVerifyCommands, locateAgents, panelWarning, verifyWarnings } from '../preflight.js';
import { openSession, prepareRecords } from '../setup.js';
import { launchDetached, printDetached } from './detach.js';
import { drive } from './run.js';

/**
 * `duo review [--staged | --base <ref>] [--answer]`: the adversarial review alone, on what the user already has —
 * uncommitted changes (default), the staged ones, or what HEAD adds over a branch (a PR). A snapshot commit of it
 * goes to a run worktree; the user's files and index are never touched. The skeptic reviews, the driver answers only
 * with --answer, and the verify gate (baseline and integrity checks included, the review's base as the base) judges
 * the snapshot. Same report, ledger and disagreement log as a run; exit 1 while a blocker/major finding stands.
 */
export async function reviewCommand(focusWords: string[], flags: ReviewFlags): Promise<number> {
  if (flags.staged && flags.base !== undefined)
    throw new UsageError('--staged reviews your index and --base <ref> a branch range: pick one.');
  if (flags.base !== undefined && !flags.base.trim()) throw new UsageError('--base needs a branch or commit.');
  const session = await openSession(process.cwd(), flags.config);
  if (flags.driver) session.config.roles.driver = flags.driver;
  if (flags.skeptic) session.config.roles.skeptic = flags.skeptic;
  // Checked before anything exists, like a run: the skeptic, and the driver only when it will be asked (--answer).
  const roles = withPanel(rolesFor('review', session.config), flags.panel);
  locateAgents(session.config, { ...roles, driver: flags.answer ? roles.driver : '' }, session.repoRoot);
  const verify = givenCommands([
    { source: 'flag', commands: flags.verify },
    { source: 'config', commands: session.config.verify },
  ]);
  await checkVerifyCommands(verify, session.repoRoot);
  const lonePanel = panelWarning(session.config, roles, session.repoRoot);
  const warnings = [
    ...(await verifyWarnings(session.ports.gate, session.repoRoot, verify, 'review')),
    ...(lonePanel ? [lonePanel] : []),
  ];
  for (const w of warnings) process.stderr.write(`warning: ${w}\n`);
  // Before the snapshot: .duo/ is kept out of git, so the record is never part of what is reviewed.
  prepareRecords(session);

  const scope = flags.base !== undefined ? 'base' : flags.staged ? 'staged' : 'uncommitted';
  // What `duo init` wrote (and nobody changed since) is duo's set-up, not the work under review.
  const range = await reviewRange(
    session.repoRoot,
    scope === 'base'
      ? { scope, ref: (flags.base as string).trim() }
      : { scope, leaveOut: untouchedSetupFiles(session.repoRoot) },
  );
  if (!range) {
    const what =
      scope === 'base' ? `no difference between HEAD and ${flags.base}` : `no ${scope} changes in this repository`;
    if (flags.json) printJson({ runId: null, status: 'nothing-to-review', scope } satisfies NothingToReviewJson);
    else process.stderr.write(`duo review: nothing to review (${what}).\n`);
    return 0;
  }
  const focus = focusWords.join(' ').trim();
  const state = createRunState(
    session.ports as EnginePorts,
    {
      task: `Review ${range.label}.${focus ? ` Focus: ${focus}` : ''}`,
      mode: 'review',
      options: {
        verify: flags.verify ?? [],
        includeUncommitted: false,
        apply: false,
        ...(flags.panel ? { panel: true } : {}),
        review: {
          scope,
          ref: scope === 'base' ? (flags.base as string).trim() : null,
          base: range.base,
          head: range.head,
          label: range.label,
          answer: !!flags.answer,
        },
      },
      configPath: session.configPath,
    },
    session.repoRoot,
  );
  state.owner = ownerRecord(process.pid); // see run.ts: owned from the first write
  session.store.save(state);
  if (flags.detach) {
    printDetached(await launchDetached(session, state.runId), flags.json);
    return 0;
  }
  if (!flags.json && !flags.quiet)
    process.stderr.write(`duo ${state.runId}: reviewing ${range.label}; your files are not touched\n`);
  return drive(session, state, flags, warnings);
}
