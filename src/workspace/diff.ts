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
  const { statusOf, counts, text } = splitCombinedDiff(
    await git(
      cwd,
      ['diff', '--no-renames', '--no-color', '--no-ext-diff', '--raw', '--numstat', '-p', '-z', ...range],
      {
        stripFinalNewline: false,
      },
    ),
  );

  const files: DiffSummary['files'] = [];
  for (const entry of counts) {
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

/**
 * One `git diff --raw --numstat -p -z` read as its three parts, in the order git prints them: the raw entries
 * (`:<modes> <ids> <status>\0<path>\0`), the numstat entries (`<added>\t<removed>\t<path>\0`), an empty field, then
 * the patch text (which holds no NUL: a file with one is a binary file to git). One process instead of three.
 */
export function splitCombinedDiff(out: string): { statusOf: Map<string, string>; counts: string[]; text: string } {
  const statusOf = new Map<string, string>();
  const counts: string[] = [];
  let pos = 0;
  const field = () => {
    const end = out.indexOf('\0', pos);
    const f = out.slice(pos, end < 0 ? out.length : end);
    pos = end < 0 ? out.length : end + 1;
    return f;
  };
  while (out.startsWith(':', pos)) {
    const meta = field();
    statusOf.set(field(), meta.slice(meta.lastIndexOf(' ') + 1));
  }
  while (pos < out.length && out[pos] !== '\0' && !out.startsWith('diff --git ', pos)) counts.push(field());
  if (out[pos] === '\0') pos++;
  return { statusOf, counts, text: out.slice(pos) };
}
