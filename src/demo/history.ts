/**
 * The sample shop's history: a few commits a team might have made before the demo's task, each fix bringing its
 * tests, so `npm run demo:eval` can mine them into eval tasks. It ends at exactly the tree the demo has always
 * had (SAMPLE_REPO), so `npm run demo` shows what it showed before.
 *
 * - "Fix cartTotal ignoring the quantity" and "Round coupon discounts to the nearest cent (#2)": bug fixes with
 *   a test each (tasks);
 * - "Add coupons": a feature with its test file (a task);
 * - "README: say what the shop is": no tests (not a task);
 * - "Remove coupons": code and tests deleted together, so its tests pass at its base (skipped).
 */

export interface SampleCommit {
  message: string;
  /** Files to write (content) or delete (null). */
  files: Record<string, string | null>;
}

const CART_V0 = `/** Total of a cart in cents. */
export function cartTotal(items) {
  return items.reduce((sum, item) => sum + item.priceCents, 0);
}
`;

const CART_TEST_V0 = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cartTotal } from '../src/cart.js';

test('cart total of one of each', () => {
  assert.equal(cartTotal([{ priceCents: 250, quantity: 1 }, { priceCents: 99, quantity: 1 }]), 349);
});
`;

export const COUPON_FLOOR = `/** The total after a percentage coupon, in whole cents. */
export function applyCoupon(totalCents, percent) {
  return Math.floor((totalCents * (100 - percent)) / 100);
}
`;

export const COUPON_ROUND = COUPON_FLOOR.replace('Math.floor', 'Math.round');

const COUPON_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyCoupon } from '../src/coupon.js';

test('takes 10% off', () => {
  assert.equal(applyCoupon(1000, 10), 900);
});
`;

const COUPON_TEST_ROUNDING = `${COUPON_TEST}
test('rounds a discount to the nearest cent', () => {
  assert.equal(applyCoupon(995, 10), 896);
});
`;

const ISSUE_2 = `# Coupons lose a cent

10% off a $9.95 cart charges $8.95; it should be $8.96 (895.5 cents rounds to 896). Round to the nearest cent.
`;

/** The commits, oldest first; `final` is the tree the last one must leave (the demo's sample repo). */
export function sampleHistory(final: Record<string, string>): SampleCommit[] {
  return [
    {
      message: 'Start the sample shop',
      files: {
        'package.json': final['package.json'] as string,
        'README.md': '# sample-shop\n',
        'src/cart.js': CART_V0,
        'test/cart.test.js': CART_TEST_V0,
        'docs/issues/2.md': ISSUE_2,
      },
    },
    {
      message: 'Fix cartTotal ignoring the quantity\n\nA cart with two of an item was charged for one.',
      files: {
        'src/cart.js': final['src/cart.js'] as string,
        'test/cart.test.js': final['test/cart.test.js'] as string,
      },
    },
    {
      message: 'Add coupons: a percentage off the cart total',
      files: { 'src/coupon.js': COUPON_FLOOR, 'test/coupon.test.js': COUPON_TEST },
    },
    {
      message: 'Round coupon discounts to the nearest cent\n\nFixes #2.',
      files: { 'src/coupon.js': COUPON_ROUND, 'test/coupon.test.js': COUPON_TEST_ROUNDING },
    },
    { message: 'README: say what the shop is', files: { 'README.md': final['README.md'] as string } },
    {
      message: 'Remove coupons: billing owns discounts now',
      files: { 'src/coupon.js': null, 'test/coupon.test.js': null, 'docs/issues/2.md': null },
    },
  ];
}
