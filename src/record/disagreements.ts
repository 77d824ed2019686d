import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RunState } from '../protocol/types.js';
import { redactSecrets } from '../sys/redact.js';
import { replaceFile } from '../sys/replace-file.js';
import { localTime } from '../sys/time.js';
import type { RunFiles } from './run-files.js';

/**
 * The dated log of what the agents disagreed on and how it resolved — per run, and one index across runs
 * (`.duo/DISAGREEMENTS.md`) that users read weeks later.
 */
export function renderDisagreementLog(state: RunState): string {
  const lines = [
    `# Disagreements — ${state.runId}`,
    '',
    `Task: ${state.task.slice(0, 300)}`,
    `Status: ${state.status}`,
    '',
  ];
  if (state.disagreements.length === 0) lines.push('The agents did not disagree on anything in this run.', '');
  for (const d of state.disagreements) {
    lines.push(`## ${localTime(d.at)} · ${d.phase} · ${d.findingId} (${d.severity})`, '');
    lines.push(
      `- **Topic:** ${d.topic}`,
      `- **Driver:** ${d.driver}`,
      `- **Skeptic:** ${d.skeptic}`,
      `- **Outcome:** ${d.outcome}`,
      '',
    );
  }
  return lines.join('\n');
}

export function writeDisagreementIndex(store: RunFiles): void {
  const { runs } = store.list();
  const lines = [
    '# duo — disagreements across runs',
    '',
    'Newest first. Each run folder has its own disagreements.md and report.md.',
    '',
  ];
  for (const run of runs) {
    if (run.disagreements.length === 0) continue;
    lines.push(
      `## ${localTime(run.createdAt).slice(0, 10)} · ${run.runId} · ${run.status}`,
      '',
      `Task: ${run.task.slice(0, 200)}`,
      '',
    );
    for (const d of run.disagreements)
      lines.push(`- ${localTime(d.at)} ${d.phase} ${d.findingId} (${d.severity}): ${d.topic} → ${d.outcome}`);
    lines.push('');
  }
  const file = join(dirname(store.root), 'DISAGREEMENTS.md');
  mkdirSync(dirname(file), { recursive: true });
  replaceFile(file, redactSecrets(lines.join('\n')));
}
