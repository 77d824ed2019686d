import type { ShowHtmlJson, ShowJson } from '../../wire/run.js';
import { existingRunBranches } from '../../workspace/index.js';
import type { ShowFlags } from '../flags.js';
import { printJson } from '../json.js';
import { openPage } from '../open-page.js';
import { exitCodeFor, runSummary } from '../output.js';
import { openSession, resolveRun } from '../setup.js';
import { effectiveStatus } from '../status.js';

export { effectiveStatus } from '../status.js';

/** `duo show [runId]`: the report of a run (the newest without an id), as markdown, JSON or an HTML page. */
export async function showCommand(ref: string | undefined, flags: ShowFlags): Promise<number> {
  const session = await openSession(process.cwd(), flags.config);
  const runId = await resolveRun(session, ref);
  const state = session.store.load(runId);
  state.status = effectiveStatus(state);
  // The report was written when the run ended; if the branch has gone since, its next step no longer holds.
  const branchGone = !!state.worktree && !(await existingRunBranches(session.repoRoot)).has(runId);
  const gone =
    `run ${runId}'s branch duo/${runId} is gone (removed by \`duo clean\`, or by hand): ` +
    'it can no longer be applied or resumed';
  if (flags.html || flags.open) {
    // Written again from the record: a page from before this duo, or a run's status that changed since it ended.
    const { writeRunPage } = await import('../../record/html/write.js');
    const page = writeRunPage(session.store, state, branchGone ? { next: `nothing to apply or resume: ${gone}.` } : {});
    if (flags.json)
      printJson({ ...runSummary(state, session.store), branchGone, htmlPath: page } satisfies ShowHtmlJson);
    else process.stdout.write(`${page}\n`);
    if (flags.open) await openPage(page);
  } else if (flags.json) {
    printJson({
      ...runSummary(state, session.store),
      branchGone,
      plan: state.plan,
      notes: state.notes,
    } satisfies ShowJson);
  } else {
    let report =
      session.store.readText(runId, 'report.md') ?? `Run ${runId} has no report yet (status ${state.status}).\n`;
    // The report's next step (apply, resume) was written while the branch existed; it no longer holds.
    if (branchGone) report = report.replace(/^\*\*Next:\*\* .*$/m, `**Next:** nothing to apply or resume: ${gone}.`);
    process.stdout.write(report);
    if (branchGone) process.stderr.write(`note: ${gone}.\n`);
  }
  return exitCodeFor(state);
}
