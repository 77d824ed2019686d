/**
 * The run record: `<repo>/.duo/runs/<runId>/` holds the checkpointed state (atomic writes), an append-only
 * event log, and the human-facing artefacts (plan.md, report.md, disagreements.md, verify logs).
 * Everything written passes through redaction so keys and tokens never land on disk: JSON is masked value by value
 * before it is serialised (never as text), so a record duo writes always parses again.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { RunRecord } from '../protocol/ports.js';
import type { RunEvent } from '../protocol/run-events.js';
import { RunState } from '../protocol/types.js';
import { redactedJson, redactSecrets } from '../sys/redact.js';
import { type ProcessKind, reapRunProcesses, trackProcesses } from './processes.js';
import { damagedRecord as damaged, isRunId, RECORD_DIR, unknownRun } from './record-errors.js';
import { rememberRepo } from './repos.js';
import { RunIndex } from './run-index.js';

export { RECORD_DIR, RecordError, unknownRun } from './record-errors.js';

export class RunStore implements RunRecord {
  readonly root: string;
  /** The run index beside the records (record/run-index.ts): kept up to date on every save. */
  readonly index: RunIndex;
  constructor(readonly repoRoot: string) {
    this.root = join(repoRoot, RECORD_DIR, 'runs');
    this.index = new RunIndex(repoRoot, (runId) => this.load(runId));
  }

  dir(runId: string): string {
    if (!isRunId(runId)) throw unknownRun(runId);
    return join(this.root, runId);
  }

  exists(runId: string): boolean {
    return existsSync(join(this.dir(runId), 'state.json'));
  }

  save(state: RunState): void {
    const dir = this.dir(state.runId);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic.sync(join(dir, 'state.json'), `${redactedJson(state, 2)}\n`);
    this.index.update(state);
    rememberRepo(this.repoRoot);
  }

  load(runId: string): RunState {
    const file = join(this.dir(runId), 'state.json');
    if (!existsSync(file)) throw unknownRun(runId);
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw damaged(runId, file, `is not valid JSON (${(e as Error).message}).`);
    }
    const parsed = RunState.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('\n');
      throw damaged(runId, file, `does not have the expected shape:\n${issues}`);
    }
    return parsed.data;
  }

  /** Every run whose record loads, newest first, plus the ids of damaged ones. */
  list(): { runs: RunState[]; damaged: { runId: string; error: string }[] } {
    if (!existsSync(this.root)) return { runs: [], damaged: [] };
    const runs: RunState[] = [];
    const damaged: { runId: string; error: string }[] = [];
    for (const runId of readdirSync(this.root).sort().reverse()) {
      if (!existsSync(join(this.root, runId, 'state.json'))) continue;
      try {
        runs.push(this.load(runId));
      } catch (e) {
        damaged.push({ runId, error: (e as Error).message });
      }
    }
    runs.sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));
    return { runs, damaged };
  }

  appendEvent(runId: string, event: RunEvent): void {
    const dir = this.dir(runId);
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, 'events.jsonl'), `${redactedJson({ at: new Date().toISOString(), ...event })}\n`);
  }

  writeText(runId: string, name: string, text: string): string {
    const dir = this.dir(runId);
    mkdirSync(dir, { recursive: true });
    const file = join(dir, name);
    writeFileAtomic.sync(file, redactSecrets(text));
    return file;
  }

  readText(runId: string, name: string): string | undefined {
    const file = join(this.dir(runId), name);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  verifyLogDir(runId: string): string {
    const dir = join(this.dir(runId), 'verify');
    mkdirSync(dir, { recursive: true });
    return dir;
  }

  trackProcess(runId: string, kind: ProcessKind, pid: number, state: 'started' | 'exited'): void {
    trackProcesses(this.dir(runId), kind)(pid, state);
  }

  reapProcesses(runId: string) {
    return reapRunProcesses(this.dir(runId));
  }

  /** Loaded when a run ends, not by every command that opens the store (`duo log` stays light). */
  async writeArtifacts(state: RunState): Promise<void> {
    const { writeRunArtifacts } = await import('./report.js');
    writeRunArtifacts(this, state);
  }
}
