import pc from 'picocolors';
import { readRunList } from '../../record/run-list.js';
import { findRecordRoot } from '../../workspace/repo.js';
import { printJson } from '../json.js';
import { effectiveStatus } from '../status.js';

/**
 * `duo log`: the runs of this repository, newest first. It only reads records, so it loads neither the schemas
 * nor the subprocess library, needs no commit in the repository, and writes nothing.
 */
export async function logCommand(flags: { json?: boolean; config?: string }): Promise<number> {
  const repoRoot = await findRecordRoot(process.cwd());
  if (flags.config) {
    // The list does not use the config; a --config given anyway is still checked, as every command does.
    const { loadConfig } = await import('../../config/load.js');
    loadConfig(repoRoot, flags.config);
  }
  const { runs, damaged } = readRunList(repoRoot);
  const rows = runs.map((r) => ({
    runId: r.runId,
    date: r.createdAt,
    task: r.task,
    mode: r.mode,
    status: effectiveStatus(r),
    findings: r.findings.length,
    open: r.findings.filter((f) => f.resolution === 'open' || f.resolution === 'escalated').length,
    disagreements: r.disagreements.length,
    branch: r.worktree?.branch ?? null,
  }));
  if (flags.json) {
    printJson({ runs: rows, damaged });
    return 0;
  }
  if (rows.length === 0 && damaged.length === 0)
    process.stdout.write('No duo runs in this repository yet. Start one with: duo "<task>"\n');
  for (const r of rows) {
    const task = r.task.replace(/\s+/g, ' ');
    process.stdout.write(
      `${r.date.slice(0, 16).replace('T', ' ')}  ${pc.bold(r.runId)}  ${r.mode.padEnd(6)} ${statusColour(r.status)(r.status.padEnd(17))} ` +
        `findings ${r.findings} · disagreements ${r.disagreements}  ${task.length > 60 ? `${task.slice(0, 59)}…` : task}\n`,
    );
  }
  for (const d of damaged) process.stdout.write(pc.red(`${d.runId}: damaged record — ${d.error.split('\n')[0]}\n`));
  return 0;
}

function statusColour(status: string): (s: string) => string {
  if (status === 'green' || status === 'answered') return pc.green;
  if (status === 'red' || status === 'failed') return pc.red;
  return pc.yellow;
}
