/**
 * The run's diff for its page: read from git (the run's base against the commit it ended at, both in the record),
 * split per file and per line with the new side's line numbers, so a finding's file:line can point at its line.
 * Capped per file and in total so one generated file cannot blow the page past its size; what is left out is said.
 */

import { execFileSync } from 'node:child_process';
import type { RunState } from '../../protocol/types.js';
import { redactSecrets } from '../../sys/redact.js';
import { splitCombinedDiff } from '../../workspace/diff.js';

export interface DiffLine {
  kind: 'add' | 'del' | 'ctx' | 'hunk' | 'meta';
  /** Line numbers on the old and new side (null where the line is not on that side). */
  old: number | null;
  new: number | null;
  text: string;
}

export interface DiffFile {
  path: string;
  /** git's name-status letter (A, D, M, …). */
  status: string;
  added: number;
  removed: number;
  binary: boolean;
  lines: DiffLine[];
  /** Lines of this file left out of the page (over the caps). */
  cut: number;
}

export interface RunDiff {
  /** The commits compared, for the reader who wants the rest: `git diff <from> <to>`. */
  from: string | null;
  to: string | null;
  files: DiffFile[];
  /** Why there is no diff, or what was left out. */
  note: string | null;
}

const FILE_MAX_LINES = 1_500;
const TOTAL_MAX_LINES = 12_000;
const LINE_MAX_CHARS = 1_000;
const GIT_MAX_BYTES = 64 * 1024 * 1024;

/** The two commits a run's change lies between: a review's base, or the run's base, up to where the run ended. */
export function diffRange(state: RunState): { from: string; to: string } | null {
  const review = state.options.review;
  if (review) return { from: review.base, to: state.headSha ?? review.head };
  if (!state.worktree || !state.headSha) return null;
  return { from: state.worktree.baseSha, to: state.headSha };
}

export function readRunDiff(state: RunState): RunDiff {
  const range = diffRange(state);
  if (!range) return { from: null, to: null, files: [], note: 'This run has no committed change to show.' };
  const git = (args: string[]) =>
    execFileSync('git', ['-c', 'core.quotePath=false', ...args, range.from, range.to, '--'], {
      cwd: state.repoRoot,
      maxBuffer: GIT_MAX_BYTES,
      timeout: 30_000,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  try {
    // The statuses and the text from one git process (workspace/diff.ts reads the combined form).
    const read = splitCombinedDiff(
      git(['diff', '--no-renames', '--no-color', '--no-ext-diff', '--raw', '-p', '-z']).toString('utf8'),
    );
    // A key an agent wrote into the code is masked here as everywhere duo writes (the page is not run through the
    // text redaction as a whole: its patterns would eat markup after a `TOKEN=` in the text).
    return { ...range, ...parseDiff(redactSecrets(read.text), read.statusOf) };
  } catch (e) {
    const why = (e as { code?: string }).code === 'ENOBUFS' ? 'it is over 64 MB' : 'git could not read it';
    return {
      ...range,
      files: [],
      note: `The diff ${range.from.slice(0, 10)}..${range.to.slice(0, 10)} is not shown: ${why} (the run's branch may have been removed).`,
    };
  }
}

/** `git diff` text, and each file's status for the same range (same order), into files and numbered lines. */
export function parseDiff(
  text: string,
  /** Each file's status letter by path, in git's path order (the raw entries of the same diff). */
  statusOf: ReadonlyMap<string, string>,
): { files: DiffFile[]; note: string | null } {
  const chunks = text.split(/^(?=diff --git )/m).filter((c) => c.startsWith('diff --git '));
  const files: DiffFile[] = [];
  let budget = TOTAL_MAX_LINES;
  let cutFiles = 0;
  for (const [path, status] of statusOf) {
    // Both listings come in git's path order; the header check guards against a file git printed no text for (a
    // name git quotes in the header, with a quote or a newline in it, falls back to that order).
    const header = (c: string | undefined) => c?.slice(0, c.indexOf('\n')).endsWith(` b/${path}`) ?? false;
    const next = chunks[files.length];
    const chunk = (header(next) ? next : (chunks.find(header) ?? next)) ?? '';
    const file = parseFile(path, status.slice(0, 1), chunk, budget);
    budget -= file.lines.length;
    if (file.cut) cutFiles++;
    files.push(file);
  }
  return { files, note: cutFiles ? `${cutFiles} file(s) are cut short on this page: the diff is long.` : null };
}

function parseFile(path: string, status: string, chunk: string, budget: number): DiffFile {
  const file: DiffFile = { path, status, added: 0, removed: 0, binary: false, lines: [], cut: 0 };
  let old = 0;
  let now = 0;
  let inHunk = false;
  const max = Math.max(0, Math.min(FILE_MAX_LINES, budget));
  const raw = chunk.split('\n');
  if (raw.at(-1) === '') raw.pop();
  for (const line of raw.slice(1)) {
    let entry: DiffLine;
    const hunk = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@/.exec(line);
    if (hunk) {
      old = Number(hunk[1]);
      now = Number(hunk[2]);
      inHunk = true;
      entry = { kind: 'hunk', old: null, new: null, text: line };
    } else if (!inHunk) {
      if (/^Binary files /.test(line)) file.binary = true;
      // Headers (index, ---, +++, mode lines) say nothing a reader needs but a mode change or a binary.
      if (!/^(Binary files |new file mode|deleted file mode|old mode|new mode)/.test(line)) continue;
      entry = { kind: 'meta', old: null, new: null, text: line };
    } else if (line.startsWith('+')) {
      file.added++;
      entry = { kind: 'add', old: null, new: now++, text: line.slice(1) };
    } else if (line.startsWith('-')) {
      file.removed++;
      entry = { kind: 'del', old: old++, new: null, text: line.slice(1) };
    } else if (line.startsWith('\\')) {
      entry = { kind: 'meta', old: null, new: null, text: line };
    } else {
      entry = { kind: 'ctx', old: old++, new: now++, text: line.slice(1) };
    }
    if (file.lines.length >= max) {
      file.cut++;
      continue;
    }
    if (entry.text.length > LINE_MAX_CHARS) entry.text = `${entry.text.slice(0, LINE_MAX_CHARS)}… (line cut)`;
    file.lines.push(entry);
  }
  return file;
}
