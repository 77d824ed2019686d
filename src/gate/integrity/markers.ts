/**
 * Skip, focus, todo and xfail markers a run added to test code. A skipped test still "passes"; a focused one
 * silently turns every other test off. Each marker counts per file: more at the head than at the base means the
 * run added them. Pure: the caller passes both versions of each file.
 */

export interface AddedMarker {
  path: string;
  /** 1-based line of a marker at the head that has no equal line at the base. */
  line: number | null;
  marker: string;
  /** How many more of this marker the file has than at the base. */
  added: number;
}

const MARKERS: { name: string; re: RegExp; files: RegExp }[] = [
  { name: '.skip', re: /\b(?:it|test|describe|suite|context|specify|bench)\.skip(?:If)?\b/g, files: /\.[cm]?[jt]sx?$/ },
  { name: '.only', re: /\b(?:it|test|describe|suite|context|specify)\.only\b/g, files: /\.[cm]?[jt]sx?$/ },
  { name: '.todo', re: /\b(?:it|test|describe|suite)\.todo\b|\bt\.(?:skip|todo)\(/g, files: /\.[cm]?[jt]sx?$/ },
  { name: 'xit/xdescribe', re: /\b(?:xit|xtest|xdescribe|xcontext|xspecify)\s*\(/g, files: /\.[cm]?[jt]sx?$/ },
  { name: 'fit/fdescribe', re: /\b(?:fit|fdescribe)\s*\(/g, files: /\.[cm]?[jt]sx?$/ },
  { name: '{ skip/only/todo }', re: /[{,]\s*(?:skip|only|todo)\s*:(?!\s*false\b)/g, files: /\.[cm]?[jt]sx?$/ },
  {
    name: 'pytest skip/xfail',
    re: /@pytest\.mark\.(?:skip|skipif|xfail)\b|\bpytest\.(?:skip|xfail)\(/g,
    files: /\.py$/,
  },
  { name: 'unittest skip', re: /@unittest\.(?:skip\w*|expectedFailure)\b|\bself\.skipTest\(/g, files: /\.py$/ },
  { name: 't.Skip', re: /\bt\.Skip(?:Now|f)?\(/g, files: /\.go$/ },
  { name: '#[ignore]', re: /#\[ignore\b/g, files: /\.rs$/ },
];

export function addedMarkers(path: string, base: string | null, head: string | null): AddedMarker[] {
  if (head === null) return [];
  const out: AddedMarker[] = [];
  const baseLines = new Set((base ?? '').split('\n').map((l) => l.trim()));
  const headLines = head.split('\n');
  for (const m of MARKERS) {
    if (!m.files.test(path)) continue;
    const count = (text: string) => [...text.matchAll(m.re)].length;
    const added = count(head) - count(base ?? '');
    if (added <= 0) continue;
    const idx = headLines.findIndex((l) => !baseLines.has(l.trim()) && count(l) > 0);
    out.push({ path, line: idx >= 0 ? idx + 1 : null, marker: m.name, added });
  }
  return out;
}

/** Files worth scanning: test files, and Rust sources (their unit tests live beside the code). */
export function mayHoldMarkers(path: string, isTest: boolean): boolean {
  return isTest || path.endsWith('.rs');
}
