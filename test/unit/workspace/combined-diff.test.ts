import { describe, expect, it } from 'vitest';
import { splitCombinedDiff } from '../../../src/workspace/diff.js';

/** `git diff --raw --numstat -p -z` read as its three parts (the real git's output is checked in integration). */

describe('splitCombinedDiff', () => {
  it('reads nothing from an empty diff', () => {
    expect(splitCombinedDiff('')).toEqual({ statusOf: new Map(), counts: [], text: '' });
  });
  it('keeps a path that starts with a colon or a digit a path, and the patch after the empty field', () => {
    const patch = 'diff --git a/:odd b/:odd\nindex 1..2 100644\n--- a/:odd\n+++ b/:odd\n@@ -1 +1 @@\n-a\n+b\n';
    const out =
      ':100644 100644 aaaaaaa bbbbbbb M\0:odd\0:000000 100644 0000000 ccccccc A\x0012\tab\0' +
      '1\t1\t:odd\x002\t0\t12\tab\0\0' +
      patch;
    const r = splitCombinedDiff(out);
    expect([...r.statusOf]).toEqual([
      [':odd', 'M'],
      ['12\tab', 'A'],
    ]);
    expect(r.counts).toEqual(['1\t1\t:odd', '2\t0\t12\tab']);
    expect(r.text).toBe(patch);
  });
});
