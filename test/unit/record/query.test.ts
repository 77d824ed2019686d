import { describe, expect, it } from 'vitest';
import { parseSince, searchTerms } from '../../../src/record/query.js';

/** What `duo log --search` and `--since` read from the command line. */
describe('query arguments', () => {
  it('search words are lowercased; a quoted phrase is one term', () => {
    expect(searchTerms('S3 Uploader "retries forever"  403')).toEqual(['s3', 'uploader', 'retries forever', '403']);
    expect(searchTerms('   ')).toEqual([]);
  });

  it('--since reads spans and dates, and says what it takes otherwise', async () => {
    const now = new Date('2026-03-10T12:00:00Z');
    expect(parseSince('7d', now).toISOString()).toBe('2026-03-03T12:00:00.000Z');
    expect(parseSince('36h', now).toISOString()).toBe('2026-03-09T00:00:00.000Z');
    expect(parseSince('2w', now).toISOString()).toBe('2026-02-24T12:00:00.000Z');
    expect(parseSince('2026-03-01', now).getTime()).toBe(new Date(2026, 2, 1).getTime());
    expect(() => parseSince('last tuesday', now)).toThrow(/7d, 24h/);
  });
});
