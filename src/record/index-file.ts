import { existsSync, readFileSync } from 'node:fs';

/**
 * One of the run index's JSON-lines files, read for speed at 10,000 runs: the bytes are viewed as latin1 (one
 * character per byte, no UTF-8 decoding of a file of several megabytes), which is exact for everything ASCII — the
 * line prefixes (`{"runId":"…","rev":"…",…`) and any ASCII search word — and a line is decoded as UTF-8 only when it
 * is parsed. The last line of each run wins.
 *
 * Reading keeps one number per run (where its last line starts) and where each line ends, in one typed array: a
 * revision is compared in place and a line's end looked up, so a read of 10,000 runs leaves little for the garbage
 * collector and no line is scanned twice.
 */
export interface IndexFile {
  /** The file, one character per byte: offsets are byte offsets. */
  bytes: string;
  /** Per run, where its last line starts. */
  latest: Map<string, number>;
  /** Lines in the file, superseded ones included. */
  total: number;
  /** Where the line that starts at `start` ends (before its newline). */
  end(start: number): number;
  /** Whether the line of `runId` that starts at `start` carries revision `rev`. */
  hasRev(start: number, runId: string, rev: string): boolean;
  /** A line, decoded as UTF-8 (for JSON.parse). */
  line(start: number, end: number): string;
}

const PREFIX = '{"runId":"';
const REV = '","rev":"';
const QUOTE = 0x22;

export function readIndexFile(path: string): IndexFile {
  return indexFileOf(existsSync(path) ? readFileSync(path) : Buffer.alloc(0));
}

/** The lines of an index file's contents. */
export function indexFileOf(buf: Buffer): IndexFile {
  const latest = new Map<string, number>();
  const bytes = buf.toString('latin1');
  let total = 0;
  // Where every line ends, in file order (so sorted): the end of the line at `start` is the first one at or after it.
  let ends = new Int32Array(1024);
  let lines = 0;
  for (let start = 0; start < bytes.length; ) {
    let end = bytes.indexOf('\n', start);
    if (end < 0) end = bytes.length;
    if (lines === ends.length) {
      const grown = new Int32Array(lines * 2);
      grown.set(ends);
      ends = grown;
    }
    ends[lines++] = end;
    if (end > start) {
      total++;
      if (bytes.startsWith(PREFIX, start)) {
        const idEnd = bytes.indexOf('"', start + PREFIX.length);
        if (idEnd > 0 && idEnd < end && bytes.startsWith(REV, idEnd))
          latest.set(bytes.slice(start + PREFIX.length, idEnd), start);
      }
    }
    start = end + 1;
  }
  const lineEnd = (start: number) => {
    let lo = 0;
    let hi = lines;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((ends[mid] as number) < start) lo = mid + 1;
      else hi = mid;
    }
    return lo < lines ? (ends[lo] as number) : bytes.length;
  };
  return {
    bytes,
    latest,
    total,
    end: lineEnd,
    hasRev(start, runId, rev) {
      // Run ids are plain (letters, digits, . _ -): the revision starts right after the id, as written.
      const at = start + PREFIX.length + runId.length + REV.length;
      return bytes.startsWith(rev, at) && bytes.charCodeAt(at + rev.length) === QUOTE;
    },
    line: (start, end) => buf.toString('utf8', start, end),
  };
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
    // test(), not exec(): no match object per occurrence (a word in every run has 10,000). An ASCII needle matches
    // exactly its own length: case folding never maps a latin1 character to ASCII.
    while (re.test(file.bytes)) found.push(re.lastIndex - n.length);
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
