import { existsSync, readFileSync } from 'node:fs';

/**
 * One of the run index's JSON-lines files, read for speed at 10,000 runs: the bytes are viewed as latin1 (one
 * character per byte, no UTF-8 decoding of a file of several megabytes), which is exact for everything ASCII — the
 * line prefixes (`{"runId":"…","rev":"…",…`) and any ASCII search word — and a line is decoded as UTF-8 only when it
 * is parsed. The last line of each run wins.
 */
export interface IndexFile {
  /** The file, one character per byte: offsets are byte offsets. */
  bytes: string;
  /** Per run, its last line: the revision from the prefix, and where the line is. */
  latest: Map<string, { rev: string; start: number; end: number }>;
  /** Lines in the file, superseded ones included. */
  total: number;
  /** A line, decoded as UTF-8 (for JSON.parse). */
  line(start: number, end: number): string;
}

const PREFIX = '{"runId":"';
const REV = '","rev":"';

export function readIndexFile(path: string): IndexFile {
  const latest = new Map<string, { rev: string; start: number; end: number }>();
  if (!existsSync(path)) return { bytes: '', latest, total: 0, line: () => '' };
  const buf = readFileSync(path);
  const bytes = buf.toString('latin1');
  let total = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf('\n', start);
    if (end < 0) end = bytes.length;
    if (end > start) {
      total++;
      if (bytes.startsWith(PREFIX, start)) {
        const idEnd = bytes.indexOf('"', start + PREFIX.length);
        const revStart = idEnd + REV.length;
        const revEnd = bytes.indexOf('"', revStart);
        if (idEnd > 0 && revEnd > 0 && revEnd < end && bytes.startsWith(REV, idEnd))
          latest.set(bytes.slice(start + PREFIX.length, idEnd), { rev: bytes.slice(revStart, revEnd), start, end });
      }
    }
    start = end + 1;
  }
  return { bytes, latest, total, line: (start, end) => buf.toString('utf8', start, end) };
}

/**
 * Whether [start, end) of the file holds every needle, case-insensitively. An ASCII needle's occurrences are found
 * in the whole file at once (a case-insensitive expression over the byte view), then each line is a binary search;
 * a needle with other characters is looked for line by line in the decoded, lowercased text.
 */
export function occurrences(file: IndexFile, needles: string[]): (start: number, end: number) => boolean {
  const checks = needles.map((n): ((start: number, end: number) => boolean) => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range, on purpose
    if (!/^[\x00-\x7f]*$/.test(n)) return (start, end) => file.line(start, end).toLowerCase().includes(n);
    const found: number[] = [];
    const re = new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
    for (let m = re.exec(file.bytes); m; m = re.exec(file.bytes)) found.push(m.index);
    return (start, end) => {
      let lo = 0;
      let hi = found.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((found[mid] as number) < start) lo = mid + 1;
        else hi = mid;
      }
      return lo < found.length && (found[lo] as number) + n.length <= end;
    };
  });
  return (start, end) => checks.every((c) => c(start, end));
}
