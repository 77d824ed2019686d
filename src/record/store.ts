import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { redactSecrets } from '../agents/redact.js';
import { RunState } from '../protocol/types.js';
import { RecordError } from './errors.js';
import { rememberRepo } from './repos.js';
import { RunIndex } from './run-index.js';

/**
 * The run record: `<repo>/.duo/runs/<runId>/` holds the checkpointed state (atomic writes), an append-only
 * event log, and the human-facing artefacts (plan.md, report.md, disagreements.md, verify logs).
 * Everything written passes through redaction so keys and tokens never land on disk.
 */
export { RecordError } from './errors.js';

export const RECORD_DIR = '.duo';

export class RunStore {
  readonly root: string;
  /** The run index beside the records (record/run-index.ts): kept up to date on every save. */
  readonly index: RunIndex;
  constructor(readonly repoRoot: string) {
    this.root = join(repoRoot, RECORD_DIR, 'runs');
    this.index = new RunIndex(repoRoot, (runId) => this.load(runId));
  }

  dir(runId: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(runId)) throw new RecordError(`"${runId}" is not a run id; \`duo log\` lists them.`);
    return join(this.root, runId);
  }

  exists(runId: string): boolean {
    return existsSync(join(this.dir(runId), 'state.json'));
  }

  save(state: RunState): void {
    const dir = this.dir(state.runId);
    mkdirSync(dir, { recursive: true });
    writeFileAtomic.sync(join(dir, 'state.json'), `${redactSecrets(JSON.stringify(state, null, 2))}\n`);
    this.index.update(state);
    rememberRepo(this.repoRoot);
  }

  load(runId: string): RunState {
    const file = join(this.dir(runId), 'state.json');
    if (!existsSync(file)) {
      throw new RecordError(`No run "${runId}" in ${this.root}. \`duo log\` lists the runs of this repository.`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new RecordError(
        `The record of run ${runId} is damaged (${file} is not valid JSON: ${(e as Error).message}). ` +
          'It was probably edited or truncated by hand; restore it from a backup or start a new run.',
      );
    }
    const parsed = RunState.safeParse(raw);
    if (!parsed.success) {
      const issues = parsed.error.issues
        .slice(0, 5)
        .map((i) => `  ${i.path.join('.') || '(root)'}: ${i.message}`)
        .join('\n');
      throw new RecordError(
        `The record of run ${runId} is damaged (${file} does not have the expected shape):\n${issues}\n` +
          'It was probably edited by hand; restore it or start a new run.',
      );
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
    runs.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
    return { runs, damaged };
  }

  appendEvent(runId: string, event: Record<string, unknown>): void {
    const dir = this.dir(runId);
    mkdirSync(dir, { recursive: true });
    const line = JSON.stringify({ at: new Date().toISOString(), ...event });
    appendFileSync(join(dir, 'events.jsonl'), `${redactSecrets(line)}\n`);
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
}
