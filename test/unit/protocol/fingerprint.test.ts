import { describe, expect, it } from 'vitest';
import {
  ABSENT,
  anchorOf,
  anchorsIn,
  claimSimilarity,
  claimWords,
  fingerprint,
  repeats,
  sameThread,
  shortFingerprint,
} from '../../../src/protocol/fingerprint.js';

/** A finding's identity: the claim's words, the file, and the code it points at, robust to wording and moved lines. */
const CODE = [
  'export function split(total, people) {',
  '  const base = Math.floor(total / people);',
  '  const rest = total - base * people;',
  '  return Array.from({ length: people }, (_, i) => base + (i < rest ? 1 : 0));',
  '}',
  '',
].join('\n');

describe('the claim', () => {
  it('is its content words: case, punctuation, stop words and plural/tense endings do not count', () => {
    expect(claimWords('The shares are NOT rounded, so cents vanish!')).toEqual(['cent', 'round', 'share', 'vanish']);
    expect(claimWords('`totalCents` rounding loses a cent')).toEqual(claimWords('totalCents rounded: lose cents'));
    expect(claimSimilarity('Use BigInt for cents.', 'cents: use BigInt')).toBe(1);
    expect(claimSimilarity('x returns 3', 'y is undefined')).toBe(0);
  });
});

describe('the code a finding points at', () => {
  it('is the same when lines move, and changes when the code does', () => {
    const at = anchorOf('src/split.js', CODE, 3);
    const moved = `// a header comment\n\n${CODE.replace('{\n', '{\n\n')}`;
    expect(anchorsIn(moved).has(at as string)).toBe(true);
    expect(anchorsIn(CODE.replace('total - base', 'total + base')).has(at as string)).toBe(false);
    // Whitespace and blank lines are not code.
    expect(anchorOf('src/split.js', CODE.replaceAll('  ', '    '), 3)).toBe(at);
  });

  it('is the whole file without a line, its absence on a file not there, nothing without a file', () => {
    expect(anchorOf('src/split.js', CODE, null)).toMatch(/^f[0-9a-f]{16}$/);
    expect(anchorOf('src/split.js', null, 3)).toBe(ABSENT);
    expect(anchorOf(null, null, null)).toBeNull();
    expect(anchorsIn(null).has(ABSENT)).toBe(true);
    // A line past the end points at the last lines.
    expect(anchorOf('src/split.js', CODE, 99)).toBe(anchorOf('src/split.js', CODE, 5));
  });
});

describe('the fingerprint', () => {
  it('is 16 hex digits from the claim words, the file and the anchor; 8 are shown', () => {
    const anchor = anchorOf('src/split.js', CODE, 3);
    const fp = fingerprint({ claim: 'Rounding loses a cent', file: 'src/split.js', anchor });
    expect(fp).toMatch(/^[0-9a-f]{16}$/);
    expect(shortFingerprint(fp)).toBe(fp.slice(0, 8));
    expect(fingerprint({ claim: 'rounding LOSES cents.', file: 'src/split.js', anchor })).toBe(fp);
    expect(fingerprint({ claim: 'Rounding loses a cent', file: 'src/other.js', anchor })).not.toBe(fp);
    expect(fingerprint({ claim: 'Rounding loses a cent', file: 'src/split.js', anchor: ABSENT })).not.toBe(fp);
  });
});

describe('the same thread', () => {
  const at = (line: number) => ({
    fingerprint: `fp${line}`,
    claim: 'the remainder loop hands out one cent too many',
    file: 'src/split.js',
    line,
    anchor: anchorOf('src/split.js', CODE, line),
  });

  it('is the same file, a similar claim and the same code or lines close by', () => {
    expect(sameThread(at(3), { ...at(4), claim: 'remainder loop hands out a cent too many' })).toBe(true);
    expect(sameThread(at(1), at(5))).toBe(false); // four lines apart and other code
    expect(sameThread(at(3), { ...at(3), fingerprint: 'other', file: 'src/x.js' })).toBe(false);
    expect(sameThread(at(3), { ...at(3), fingerprint: 'other', claim: 'people = 0 divides by zero' })).toBe(false);
    // The same fingerprint is the same thread, whatever else differs.
    expect(sameThread(at(1), { ...at(5), fingerprint: 'fp1' })).toBe(true);
  });

  it('repeats a declined finding only while the code it pointed at is still there', () => {
    const declined = { claim: 'Use BigInt for cents', file: 'src/split.js', anchor: anchorOf('src/split.js', CODE, 2) };
    const raised = { claim: 'cents should use BigInt', file: 'src/split.js' };
    expect(repeats(raised, declined, anchorsIn(CODE))).toBe(true);
    expect(repeats(raised, declined, anchorsIn(CODE.replace('Math.floor', 'Math.trunc')))).toBe(false);
    expect(repeats({ ...raised, file: 'src/x.js' }, declined, anchorsIn(CODE))).toBe(false);
    expect(repeats({ ...raised, claim: 'the loop is off by one' }, declined, anchorsIn(CODE))).toBe(false);
  });
});
