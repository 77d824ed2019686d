/**
 * The files of a run record, `<repo>/.duo/runs/<runId>/`: state.json read back and validated, the append-only event
 * log, and the human-facing files beside them (plan.md, report.md, disagreements.md, verify logs). The bottom of the
 * record: the store (store.ts) adds saving a run and the index on top, and what reads or writes a run's files
 * (the report, the pages, the run index's re-derivation) takes this class, so nothing below the store imports it.
 * Everything written passes through redaction so keys and tokens never land on disk: JSON is masked value by value
 * before it is serialised (never as text), so a record duo writes always parses again.
 */
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunEvent } from '../protocol/run-events.js';
import { RunState } from '../protocol/types.js';
import { redactedJson, redactSecrets } from '../sys/redact.js';
import { replaceFile } from '../sys/replace-file.js';
import { damagedRecord as damaged, isRunId, RECORD_DIR, unknownRun } from './record-errors.js';

export class RunFiles {
  readonly root: string;
  constructor(readonly repoRoot: string) {
    this.root = join(repoRoot, RECORD_DIR, 'runs');
  }

  dir(runId: string): string {
    if (!isRunId(runId)) throw unknownRun(runId);
    return join(this.root, runId);
  }

  exists(runId: string): boolean {
    return existsSync(join(this.dir(runId), 'state.json'));
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

  /** state.json, atomically (a crash leaves the old checkpoint or the new one, never half of one). */
  protected writeState(state: RunState): void {
    const dir = this.dir(state.runId);
    mkdirSync(dir, { recursive: true });
    replaceFile(join(dir, 'state.json'), `${redactedJson(state, 2)}\n`);
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
    replaceFile(file, redactSecrets(text));
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
}
