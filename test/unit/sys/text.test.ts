import { describe, expect, it } from 'vitest';
import { firstOf } from '../../../src/sys/text.js';

describe('firstOf', () => {
  it('lists all when they fit, else the first ones and how many more', () => {
    expect(firstOf(['a', 'b', 'c'], 3)).toBe('a, b, c');
    expect(firstOf(['a', 'b', 'c', 'd', 'e'], 3)).toBe('a, b, c and 2 more');
    expect(firstOf([], 3)).toBe('');
  });

  it('counts against a total larger than the list it was given (a capped list)', () => {
    expect(firstOf(['a', 'b'], 10, 2)).toBe('a, b');
    expect(firstOf(['a', 'b'], 1, 40)).toBe('a and 39 more');
    expect(firstOf(['a', 'b'], 10, 25)).toBe('a, b and 15 more');
  });
});
