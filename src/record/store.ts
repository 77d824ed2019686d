/**
 * The run record as the engine uses it (protocol/ports.ts's RunRecord): the run's files (run-files.ts), and on top
 * of them what saving a run does besides — the run index (record/run-index.ts) kept up to date on every checkpoint,
 * the repository remembered for `duo log --all-repos`, the processes a run started tracked for a resume after a
 * crash — and the human artefacts written when a run ends. The top of the record's write side: nothing in record/
 * imports it, so the dependencies point one way (test/unit/record/import-graph.test.ts checks it).
 */
import type { RunRecord } from '../protocol/ports.js';
import type { RunState } from '../protocol/types.js';
import { type ProcessKind, reapRunProcesses, trackProcesses } from './processes.js';
import { rememberRepo } from './repos.js';
import { indexEntry } from './run-facts.js';
import { RunFiles } from './run-files.js';
import { RunIndex } from './run-index.js';

export { RECORD_DIR, RecordError, unknownRun } from './record-errors.js';

export class RunStore extends RunFiles implements RunRecord {
  /** The run index beside the records: kept up to date on every save. */
  readonly index: RunIndex;
  constructor(repoRoot: string) {
    super(repoRoot);
    this.index = new RunIndex(repoRoot);
  }

  save(state: RunState): void {
    this.writeState(state);
    this.index.update(state.runId, () => indexEntry(state));
    rememberRepo(this.repoRoot);
  }

  trackProcess(runId: string, kind: ProcessKind, pid: number, state: 'started' | 'exited'): void {
    trackProcesses(this.dir(runId), kind)(pid, state);
  }

  reapProcesses(runId: string) {
    return reapRunProcesses(this.dir(runId));
  }

  /**
   * report.md, plan.md, disagreements.md and the run's page (record/artifacts.ts), imported when a run ends: the
   * renderers are not loaded by every command that opens the store.
   */
  async writeArtifacts(state: RunState): Promise<void> {
    const { writeRunArtifacts } = await import('./artifacts.js');
    writeRunArtifacts(this, state);
  }
}
