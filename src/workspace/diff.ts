/**
 * The diff an agent reviews. Binary files and oversized per-file diffs become one-line summaries, and the whole
 * text is capped, so a generated file or a vendored blob cannot push the real change out of the reviewer's
 * context. What was summarised is said in `notes` (and so in the report).
 */

import { git } from './git.js';
import type { ChangeStatus, DiffSummary } from './types.js';

const FILE_MAX_BYTES = 200 * 1024;
const FILE_MAX_LINES = 2_000;
const TOTAL_MAX_BYTES = 400 * 1024;

export async function summariseDiff(cwd: string, range: string[]): Promise<DiffSummary> {
  // Three reads of the same range: they run at once (none of them writes the index).
  const read = (...format: string[]) =>
    git(cwd, ['diff', '--no-renames', ...format, ...range], { stripFinalNewline: false });
  const [numstat, status, text] = await Promise.all([
    read('--numstat', '-z'),
    read('--name-status', '-z'),
    read('--no-color', '--no-ext-diff'),
  ]);

  const statusOf = new Map<string, string>();
  const st = status.split('\0');
  for (let i = 0; i + 1 < st.length; i += 2) statusOf.set(st[i + 1] ?? '', st[i] ?? '');

  const files: DiffSummary['files'] = [];
  for (const entry of numstat.split('\0').filter(Boolean)) {
    const [a, r, ...rest] = entry.split('\t');
    const path = rest.join('\t');
    const binary = a === '-' && r === '-';
    files.push({
      path,
      status: changeStatus(statusOf.get(path)),
      binary,
      added: binary ? 0 : Number(a),
      removed: binary ? 0 : Number(r),
      summarised: false,
    });
  }

  const notes: string[] = [];
  const chunks = splitByFile(text);
  let total = 0;
  const out: string[] = [];
  for (const [i, chunk] of chunks.entries()) {
    const file =
      files[i] && chunk.includes(files[i].path) ? files[i] : files.find((f) => chunk.includes(` b/${f.path}`));
    const label = file?.path ?? /^diff --git a\/(.*?) b\//.exec(chunk)?.[1] ?? 'a file';
    let summary: string | undefined;
    if (file?.binary) summary = `binary file ${label} (${file.status}): contents not shown`;
    else if (Buffer.byteLength(chunk) > FILE_MAX_BYTES || chunk.split('\n').length > FILE_MAX_LINES)
      summary = `large diff of ${label} (+${file?.added ?? '?'} −${file?.removed ?? '?'} lines): summarised, not pasted`;
    else if (total + Buffer.byteLength(chunk) > TOTAL_MAX_BYTES)
      summary = `diff of ${label} (+${file?.added ?? '?'} −${file?.removed ?? '?'} lines): left out, the diff was over ${TOTAL_MAX_BYTES / 1024} KB`;
    if (summary) {
      if (file) file.summarised = true;
      notes.push(summary);
      out.push(`diff --git a/${label} b/${label}\n[duo: ${summary}]\n`);
    } else out.push(chunk);
    total += Buffer.byteLength(out[out.length - 1] ?? '');
  }
  return { text: out.join(''), files, notes };
}

function splitByFile(text: string): string[] {
  if (!text) return [];
  const parts = text.split(/^(?=diff --git )/m);
  return parts.filter((p) => p.startsWith('diff --git '));
}

const STATUSES = ['A', 'C', 'D', 'M', 'R', 'T', 'U', 'X'] as const;

/** git prints R100 / C075 for renames and copies: the letter is what counts; anything unknown reads as modified. */
function changeStatus(raw: string | undefined): ChangeStatus {
  const letter = raw?.[0];
  return STATUSES.find((s) => s === letter) ?? 'M';
}
