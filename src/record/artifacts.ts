/**
 * The human artefacts of a run, written from its record when it ends (and after `duo apply`): plan.md, report.md,
 * disagreements.md, the log of disagreements across runs and the run's page. It writes through the run's files
 * (run-files.ts) and renders with report.ts, disagreements.ts and html/; the store calls it, never the reverse.
 */
import { renderPlan } from '../protocol/prompts/render.js';
import type { RunState } from '../protocol/types.js';
import { renderDisagreementLog, writeDisagreementIndex } from './disagreements.js';
import { writeRunPage } from './html/write.js';
import { renderReport } from './report.js';
import type { RunFiles } from './run-files.js';

export function writeRunArtifacts(files: RunFiles, state: RunState): void {
  if (state.plan) files.writeText(state.runId, 'plan.md', `# Plan — ${state.runId}\n\n${renderPlan(state.plan)}\n`);
  files.writeText(state.runId, 'report.md', renderReport(state, files.dir(state.runId)));
  files.writeText(state.runId, 'disagreements.md', renderDisagreementLog(state));
  writeDisagreementIndex(files);
  try {
    // The same record as a page (report.html). report.md above is the record's word: a page that cannot be
    // written costs the page, not the run.
    writeRunPage(files, state);
  } catch (e) {
    files.appendEvent(state.runId, { type: 'internal-error', stack: (e as Error).stack ?? String(e) });
  }
}
