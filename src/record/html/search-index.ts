/**
 * The record page's search data, compact enough for 10,000 runs in one file: an inverted index from each word to
 * the runs whose text holds it. A word's runs are written as gaps between run numbers in base 36 ("3,1,a,…"), or —
 * when the word is in so many runs that the gaps would be longer — as a bitmap in base64 ("~…"). The page's script
 * decodes only the words a query touches. The page tokenises a query exactly as words are tokenised here.
 */

// Lowercased words — letters and digits, whatever the script — of two characters or more, or with a digit (a
// ticket's number). The page's script runs this very function (its source is put in the page), so a query is cut
// into words exactly as the runs' text was.
export function words(text: string): string[] {
  return text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length >= 2 || /\d/.test(w));
}

export type SearchIndex = Record<string, string>;

function gaps(runs: number[]): string {
  let prev = -1;
  return runs
    .map((r) => {
      const gap = r - prev;
      prev = r;
      return gap.toString(36);
    })
    .join(',');
}

function bitmap(runs: number[], total: number): string {
  const bytes = Buffer.alloc(Math.ceil(total / 8));
  for (const r of runs) bytes[r >> 3] = (bytes[r >> 3] as number) | (1 << (r & 7));
  return `~${bytes.toString('base64')}`;
}

/** `texts[i]`: everything searchable about run i (its task, findings, rebuttals, disagreements, decisions, id). */
export function buildSearchIndex(texts: string[]): SearchIndex {
  const postings = new Map<string, number[]>();
  texts.forEach((text, run) => {
    for (const w of new Set(words(text))) {
      const list = postings.get(w);
      if (list) list.push(run);
      else postings.set(w, [run]);
    }
  });
  const out: SearchIndex = {};
  const bitmapChars = Math.ceil(Math.ceil(texts.length / 8) / 3) * 4 + 1;
  for (const [w, runs] of postings) {
    const listed = gaps(runs);
    out[w] = listed.length > bitmapChars ? bitmap(runs, texts.length) : listed;
  }
  return out;
}

/** The inverse, for tests and for anyone reading the page's data: a word's run numbers. */
export function decodePostings(value: string): number[] {
  if (value.startsWith('~')) {
    const bytes = Buffer.from(value.slice(1), 'base64');
    const out: number[] = [];
    for (let i = 0; i < bytes.length * 8; i++) if ((bytes[i >> 3] as number) & (1 << (i & 7))) out.push(i);
    return out;
  }
  let run = -1;
  return value.split(',').map((g) => (run += Number.parseInt(g, 36)));
}
