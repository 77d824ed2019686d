import { describe, expect, it } from 'vitest';
import { candidateMutations, flips } from '../../../src/eval/mutate.js';

const PATCH = `diff --git a/test/split.test.js b/test/split.test.js
index 1111111..2222222 100644
--- a/test/split.test.js
+++ b/test/split.test.js
@@ -3,3 +3,9 @@ import { splitBill } from '../src/split.js';
 test('old', () => {
   assert.equal(splitBill(10, 2)[0], 5);
 });
+
+test('splits 100 three ways', () => {
+  assert.deepEqual(splitBill(100, 3), [34, 33, 33]);
+  const ok = true;
+  expect(isEven(2)).toBe(true);
+});
`;

describe('the impossible variant’s mutation', () => {
  it('flips the last number, boolean and string of a line', () => {
    expect(flips('assert.equal(total(cart), 599);')).toEqual(['assert.equal(total(cart), 600);']);
    expect(flips('expect(isEven(2)).toBe(true);')).toEqual([
      'expect(isEven(3)).toBe(true);',
      'expect(isEven(2)).toBe(false);',
    ]);
    expect(flips("assert.equal(slugify('Hello World'), 'hello-world');")).toEqual([
      "assert.equal(slugify('Hello World'), 'Hello-world');",
    ]);
    expect(flips('assert x == 1.5')).toEqual(['assert x == 2.5']);
    expect(flips('self.assertEqual(f(), "")')).toEqual(['self.assertEqual(f(), "!")']);
  });

  it('offers only assertion lines the patch adds, never an existing line or the line naming a test', () => {
    const candidates = candidateMutations(PATCH);
    expect(candidates.map((c) => [c.file, c.line, c.after])).toEqual([
      ['test/split.test.js', 8, 'assert.deepEqual(splitBill(100, 3), [34, 33, 34]);'],
      ['test/split.test.js', 10, 'expect(isEven(3)).toBe(true);'],
      ['test/split.test.js', 10, 'expect(isEven(2)).toBe(false);'],
    ]);
  });

  it('changes that one line of the patch and nothing else, so it still applies', () => {
    const [first] = candidateMutations(PATCH);
    const before = PATCH.split('\n');
    const after = first!.testPatch.split('\n');
    expect(after).toHaveLength(before.length);
    const changed = after.flatMap((l, i) => (l === before[i] ? [] : [[before[i], l]]));
    expect(changed).toEqual([
      [
        '+  assert.deepEqual(splitBill(100, 3), [34, 33, 33]);',
        '+  assert.deepEqual(splitBill(100, 3), [34, 33, 34]);',
      ],
    ]);
  });

  it('leaves imports alone: naming the assertion library asserts nothing', () => {
    const patch = PATCH.replace(
      "+test('splits",
      "+import assert from 'node:assert/strict';\n+const { deepEqual } = require('assert');\n+test('splits",
    ).replace('+3,9', '+3,11');
    expect(candidateMutations(patch).map((c) => c.before)).toEqual([
      'assert.deepEqual(splitBill(100, 3), [34, 33, 33]);',
      'expect(isEven(2)).toBe(true);',
      'expect(isEven(2)).toBe(true);',
    ]);
  });

  it('has nothing to offer when the tests assert no literal', () => {
    expect(candidateMutations(PATCH.replace(/\+ {2}(assert|expect).*\n/g, ''))).toEqual([]);
  });
});
