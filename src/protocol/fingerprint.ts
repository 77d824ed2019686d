/**
 * A finding's identity, so the same finding is one thread across the rounds of a run and across runs. Built from
 * three things, each normalised so that wording, formatting and moved lines do not change it:
 * - the claim, as the set of its content words (lower case, stop words dropped, plural/tense endings cut, sorted);
 * - the file;
 * - the code it points at: a hash of the lines around the cited line (blank lines dropped, whitespace collapsed) at
 *   the commit it was raised on — the same code moved elsewhere in the file hashes the same. A finding without a
 *   line points at the whole file; one on a file that does not exist there points at its absence.
 *
 * Models rarely say the same thing twice in the same words, so two findings are also the same thread when they are
 * on the same file, their claims share most content words, and they point at the same code (or lines close by).
 * A declined finding repeats when a new one matches it and the code it pointed at is still there unchanged.
 * Everything here is pure: the engine reads the files and hands their text in.
 */

import { createHash } from 'node:crypto';

/** Lines each side of the cited line that the anchor covers. */
const CONTEXT = 2;
/** Claims this similar (shared content words ÷ all content words) are the same claim. */
const SIMILAR = 0.6;
/** Findings cited within this many lines of each other point at the same place. */
const NEAR = 3;
/** How many hex digits of a fingerprint are shown; commands accept any unambiguous prefix. */
export const SHORT = 8;

const STOP = new Set(
  (
    'a an the and or but if then else of in on at to for from by with without into onto as is are was were be been ' +
    'being it its this that these those there here which who whom whose what when where why how can could should ' +
    'would will may might must do does did done has have had not no nor so than too very just also any all each ' +
    'every some such only own same other more most less least one two we you they he she i me my our your their'
  ).split(' '),
);

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

/** A word as the claim's identity sees it: crude stemming, so "rounds", "rounded" and "rounding" agree. */
function stem(word: string): string {
  // "classes" → "class", "boxes" → "box"; but "shares" → "share" (the plain -s below).
  if (word.length > 5 && /(ss|x|z|ch|sh)es$/.test(word)) return word.slice(0, -2);
  for (const suffix of ['ing', 'edly', 'ed', 's', 'ly']) {
    if (word.length > suffix.length + 3 && word.endsWith(suffix)) return word.slice(0, -suffix.length);
  }
  return word;
}

/** The claim's content words, de-duplicated and sorted. */
export function claimWords(claim: string): string[] {
  const words = claim
    .toLowerCase()
    .replace(/[`'"“”‘’]/g, '')
    .split(/[^\p{L}\p{N}_$.]+/u)
    .map((w) => w.replace(/^\.+|\.+$/g, ''))
    .filter((w) => w && !STOP.has(w))
    .map(stem);
  return [...new Set(words)].sort();
}

/** Shared words ÷ all words of two claims (Jaccard); 1 when both have none. */
export function claimSimilarity(a: string, b: string): number {
  const x = new Set(claimWords(a));
  const y = new Set(claimWords(b));
  if (!x.size && !y.size) return 1;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return shared / (x.size + y.size - shared);
}

const normaliseLine = (line: string) => line.trim().replace(/\s+/g, ' ');

/** The file's lines as the anchor sees them, each with its 1-based line number; blank ones dropped. */
function codeLines(content: string): { n: number; text: string }[] {
  return content
    .split('\n')
    .map((l, i) => ({ n: i + 1, text: normaliseLine(l) }))
    .filter((l) => l.text);
}

const windowHash = (lines: { text: string }[]) => `w${sha(lines.map((l) => l.text).join('\n')).slice(0, 16)}`;
const fileHash = (lines: { text: string }[]) => `f${sha(lines.map((l) => l.text).join('\n')).slice(0, 16)}`;
export const ABSENT = 'absent';

/**
 * What a finding points at, as a hash: the non-blank lines around `line` (the nearest non-blank line to it and
 * CONTEXT each side), the whole file without a line, `absent` for a file that is not there, null without a file.
 */
export function anchorOf(file: string | null, content: string | null, line: number | null): string | null {
  if (!file) return null;
  if (content === null) return ABSENT;
  const lines = codeLines(content);
  if (line === null || !lines.length) return fileHash(lines);
  let at = lines.findIndex((l) => l.n >= line);
  if (at < 0) at = lines.length - 1;
  return windowHash(lines.slice(Math.max(0, at - CONTEXT), at + CONTEXT + 1));
}

/**
 * Every anchor a finding could have on this content: each window position (as anchorOf builds them, so a window at
 * the start or end of the file is the shorter one anchorOf takes there) and the whole file. An earlier anchor that
 * is in this set points at code that is still there, unchanged, wherever it moved.
 */
export function anchorsIn(content: string | null): Set<string> {
  if (content === null) return new Set([ABSENT]);
  const lines = codeLines(content);
  const out = new Set([fileHash(lines)]);
  for (let at = 0; at < lines.length; at++)
    out.add(windowHash(lines.slice(Math.max(0, at - CONTEXT), at + CONTEXT + 1)));
  return out;
}

/** The fingerprint: 16 hex digits from the claim's words, the file and the anchor (SHORT of them are shown). */
export function fingerprint(f: { claim: string; file: string | null; anchor: string | null }): string {
  return sha(`${claimWords(f.claim).join(' ')}\0${f.file ?? ''}\0${f.anchor ?? ''}`).slice(0, 16);
}

export const shortFingerprint = (fp: string) => fp.slice(0, SHORT);

/** What two findings are compared on. */
export interface Located {
  fingerprint: string;
  claim: string;
  file: string | null;
  line: number | null;
  anchor: string | null;
}

/** The same thread: the same fingerprint, or the same file, a similar claim, and the same code or lines close by. */
export function sameThread(a: Located, b: Located): boolean {
  if (a.fingerprint === b.fingerprint) return true;
  if (a.file !== b.file || claimSimilarity(a.claim, b.claim) < SIMILAR) return false;
  if (a.anchor !== null && a.anchor === b.anchor) return true;
  if (a.line === null || b.line === null) return a.line === b.line;
  return Math.abs(a.line - b.line) <= NEAR;
}

/**
 * A new finding repeats a declined one when it is on the same file with a similar claim and the code the declined
 * one pointed at is still there unchanged (`present`: the anchors of that file now, from anchorsIn).
 */
export function repeats(
  found: { claim: string; file: string | null },
  declined: { claim: string; file: string | null; anchor: string | null },
  present: ReadonlySet<string>,
): boolean {
  if (found.file !== declined.file || claimSimilarity(found.claim, declined.claim) < SIMILAR) return false;
  return declined.anchor === null || present.has(declined.anchor);
}
