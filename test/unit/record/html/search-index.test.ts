import { describe, expect, it } from 'vitest';
import { buildSearchIndex, decodePostings, words } from '../../../../src/record/html/search-index.js';

/** The record page's search data: every word's runs, as gaps or as a bitmap, whichever is shorter. */
describe('the record page search index', () => {
  it('tokenises as the page does: lowercased letters and digits of any script, two or more, or a number', () => {
    expect(words('Fix the Refund-rounding (SHOP-42) in Zürich: a b 7')).toEqual([
      'fix',
      'the',
      'refund',
      'rounding',
      'shop',
      '42',
      'in',
      'zürich',
      '7',
    ]);
  });

  it('lists each word with exactly the runs whose text holds it', () => {
    const texts = ['refund rounding', 'cache retry', 'rounding cache', 'REFUND'];
    const index = buildSearchIndex(texts);
    expect(decodePostings(index.refund as string)).toEqual([0, 3]);
    expect(decodePostings(index.rounding as string)).toEqual([0, 2]);
    expect(decodePostings(index.cache as string)).toEqual([1, 2]);
    expect(Object.keys(index).sort()).toEqual(['cache', 'refund', 'retry', 'rounding']);
  });

  it('writes a word most runs hold as a bitmap, and a rare one as gaps', () => {
    const texts = Array.from({ length: 1000 }, (_, i) => `common${i === 500 ? ' rare' : ''}`);
    const index = buildSearchIndex(texts);
    expect(index.common?.startsWith('~')).toBe(true);
    expect((index.common as string).length).toBeLessThan(200);
    expect(decodePostings(index.common as string)).toEqual(texts.map((_, i) => i));
    // One gap, from before the first run (-1) to run 500: 501, "dx" in base 36.
    expect(index.rare).toBe('dx');
    expect(decodePostings(index.rare as string)).toEqual([500]);
  });
});
