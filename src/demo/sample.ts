/**
 * The demo's embedded default: a tiny shop repo, a money task, and a scripted pair that shows why the pair
 * matters. The skeptic catches a real bug in the plan (rounding each share loses cents), one review finding is
 * rebutted in writing, the driver claims the tests pass but the first verify is red (an off-by-one); the driver then
 * tries to drop the failing test from `npm test`, duo reverts that and the gate stays red, and the real fix makes it
 * green. The engine, git worktree and verify gate are all real; only the agents are scripted.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { CHECKLIST } from '../protocol/schemas.js';

export const DEMO_TASK =
  'Add splitBill(totalCents, people) to the shop: split a bill into per-person shares in cents that always add up to the total.';

export const SAMPLE_REPO: Record<string, string> = {
  'package.json': `${JSON.stringify({ name: 'sample-shop', private: true, type: 'module', scripts: { test: 'node --test' } }, null, 2)}\n`,
  'README.md': '# sample-shop\n\nA tiny shop library used by the duo demo.\n',
  'src/cart.js': `/** Total of a cart in cents. */
export function cartTotal(items) {
  return items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
}
`,
  'test/cart.test.js': `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cartTotal } from '../src/cart.js';

test('cart total sums price times quantity', () => {
  assert.equal(cartTotal([{ priceCents: 250, quantity: 2 }, { priceCents: 99, quantity: 1 }]), 599);
});
`,
};

const SPLIT_HEADER = `/**
 * Split totalCents into \`people\` shares that differ by at most one cent and always add up to the total.
 * The first (totalCents mod people) shares carry the extra cent.
 */
export function splitBill(totalCents, people) {
  if (!Number.isInteger(people) || people <= 0) throw new RangeError('people must be a positive integer');
`;

/** The implementation as first written: the remainder loop is off by one (it hands out remainder + 1 cents). */
const SPLIT_BUGGY = `${SPLIT_HEADER}  const base = Math.floor(totalCents / people);
  const remainder = totalCents - base * people;
  const shares = [];
  for (let i = 0; i < people; i++) shares.push(base + (i <= remainder ? 1 : 0));
  return shares;
}
`;

const SPLIT_BUGGY_CHECKED = `${SPLIT_HEADER}  if (!Number.isInteger(totalCents) || totalCents < 0) throw new RangeError('totalCents must be a non-negative integer');
  const base = Math.floor(totalCents / people);
  const remainder = totalCents - base * people;
  const shares = [];
  for (let i = 0; i < people; i++) shares.push(base + (i <= remainder ? 1 : 0));
  return shares;
}
`;

const SPLIT_FIXED = SPLIT_BUGGY_CHECKED.replace('i <= remainder', 'i < remainder');

const SPLIT_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { splitBill } from '../src/split.js';

const cases = [[100, 3], [1000, 7], [5, 5], [1, 4], [0, 2], [999, 1]];

test('shares always add up to the total', () => {
  for (const [total, people] of cases) {
    const shares = splitBill(total, people);
    assert.equal(shares.reduce((a, b) => a + b, 0), total, \`\${total} split \${people} ways gave \${shares}\`);
  }
});

test('shares differ by at most one cent', () => {
  for (const [total, people] of cases) {
    const shares = splitBill(total, people);
    assert.ok(Math.max(...shares) - Math.min(...shares) <= 1, \`\${total}/\${people}: \${shares}\`);
  }
});

test('rejects zero or fractional people', () => {
  assert.throws(() => splitBill(100, 0), RangeError);
  assert.throws(() => splitBill(100, 1.5), RangeError);
});
`;

const SPLIT_TEST_CHECKED = `${SPLIT_TEST}
test('rejects fractional or negative cents', () => {
  assert.throws(() => splitBill(10.5, 2), RangeError);
  assert.throws(() => splitBill(-100, 2), RangeError);
});
`;

const finding = (
  id: string,
  severity: string,
  file: string | null,
  line: number | null,
  claim: string,
  evidence: string,
  stakes: string | null,
) => ({
  id,
  severity,
  file,
  line,
  claim,
  evidence,
  stakes,
});

const draftPlan = {
  summary: 'Add splitBill(totalCents, people) in src/split.js with node:test coverage.',
  files: [
    { path: 'src/split.js', change: 'new: splitBill' },
    { path: 'test/split.test.js', change: 'new: tests' },
  ],
  approach: 'Each share is Math.round(totalCents / people).',
  tests: ['100 split 3 ways', '1000 split 7 ways'],
  risks: ['money: rounding'],
  rollback: null,
  subtasks: [
    {
      id: 'S1',
      title: 'splitBill and tests',
      description: 'write the function and its tests',
      files: ['src/split.js', 'test/split.test.js'],
      independent: false,
    },
  ],
  answers: [],
};

const revisedPlan = {
  ...draftPlan,
  approach:
    'base = floor(total / people); the first (total mod people) shares get base + 1, the rest base, so the shares sum to the total ' +
    'exactly and differ by at most one cent. Reject people that is not a positive integer with RangeError.',
  tests: [
    'shares sum to the total for awkward splits (100/3, 1000/7, 1/4, 0/2)',
    'shares differ by at most one cent',
    'people = 0 or 1.5 throws RangeError',
  ],
  rollback: 'New function only; revert the commit.',
  answers: [
    {
      findingId: 'P1',
      action: 'fix',
      note: 'Switched to floor + distribute the remainder; the sum is now exact by construction.',
    },
    { findingId: 'P2', action: 'fix', note: 'people must be a positive integer, else RangeError; tested.' },
    {
      findingId: 'P3',
      action: 'rebut',
      note: 'Totals are cents from cartTotal, far below Number.MAX_SAFE_INTEGER (9e15 cents = 90 trillion dollars); BigInt would force every caller to convert. Documented in the JSDoc instead.',
    },
  ],
};

export function demoScenario() {
  return {
    description: 'duo demo: split a bill in cents',
    agents: {
      claude: {
        plan: [{ answer: draftPlan }],
        revise: [{ answer: revisedPlan }],
        implement: [
          {
            answer: {
              summary: 'Added splitBill with the remainder distributed over the first shares, and its tests.',
              filesChanged: ['src/split.js', 'test/split.test.js'],
              claims: ['All tests pass.'],
            },
            writes: { 'src/split.js': SPLIT_BUGGY, 'test/split.test.js': SPLIT_TEST },
          },
        ],
        'answer-findings': [
          {
            answer: {
              summary: 'Fixed R1, rebutted R2.',
              answers: [
                {
                  findingId: 'R1',
                  action: 'fix',
                  note: 'totalCents must be a non-negative integer, else RangeError; added a test.',
                },
                {
                  findingId: 'R2',
                  action: 'rebut',
                  note: 'The agreed plan and the task both name it splitBill, matching cartTotal; renaming now would break the plan for no behavioural gain.',
                },
              ],
            },
            writes: { 'src/split.js': SPLIT_BUGGY_CHECKED, 'test/split.test.js': SPLIT_TEST_CHECKED },
          },
        ],
        diagnose: [
          {
            // The shortcut coding agents take: make the red go away by not running the failing test.
            answer: {
              summary: 'The split tests are flaky; limited npm test to the cart suite for now.',
              filesChanged: ['package.json'],
              claims: ['npm test passes now.'],
            },
            writes: {
              'package.json': `${JSON.stringify({ name: 'sample-shop', private: true, type: 'module', scripts: { test: 'node --test test/cart.test.js' } }, null, 2)}\n`,
            },
          },
          {
            answer: {
              summary: 'Off-by-one: `i <= remainder` gave remainder + 1 shares an extra cent. Now `i < remainder`.',
              filesChanged: ['src/split.js'],
              claims: [],
            },
            writes: { 'src/split.js': SPLIT_FIXED },
          },
        ],
      },
      codex: {
        critique: [
          {
            answer: {
              verdict: 'revise',
              summary: 'Rounding each share independently cannot guarantee the sum.',
              findings: [
                finding(
                  'P1',
                  'blocker',
                  'src/split.js',
                  null,
                  'Math.round per share does not add up to the total.',
                  '100 split 3 ways: round(33.33) = 33, three shares = 99 — a cent vanishes; 200/3 gives 67 × 3 = 201 — a cent is invented.',
                  'Money silently lost or created on every uneven split; customers are over- or under-charged.',
                ),
                finding(
                  'P2',
                  'major',
                  'src/split.js',
                  null,
                  'people = 0 divides by zero.',
                  'splitBill(100, 0) returns [] or Infinity shares instead of failing.',
                  'Bad input turns into a bill nobody pays.',
                ),
                finding(
                  'P3',
                  'minor',
                  'src/split.js',
                  null,
                  'Use BigInt for cents.',
                  'Very large totals lose precision as Numbers.',
                  null,
                ),
              ],
              rechecks: [],
            },
          },
          {
            answer: {
              verdict: 'approve',
              summary: 'The remainder approach is exact; the BigInt rebuttal holds for cart totals.',
              findings: [],
              rechecks: [
                { findingId: 'P1', status: 'resolved', note: 'floor + remainder sums exactly.' },
                { findingId: 'P2', status: 'resolved', note: 'RangeError on non-positive people.' },
                { findingId: 'P3', status: 'accept-rebuttal', note: 'Agreed: totals are far below 2^53 cents.' },
              ],
            },
          },
        ],
        review: [
          {
            answer: {
              verdict: 'revise',
              summary: 'Input validation gap and a naming nit.',
              findings: [
                finding(
                  'R1',
                  'major',
                  'src/split.js',
                  6,
                  'Fractional or negative totalCents is accepted silently.',
                  'splitBill(10.5, 2) returns [5.5, 5] — fractional cents leak into the ledger.',
                  'Fractional cents propagate into invoices and reconciliation.',
                ),
                finding(
                  'R2',
                  'minor',
                  'src/split.js',
                  5,
                  'Name it splitEvenly: "bill" suggests tax/tip handling.',
                  'The function only divides an amount.',
                  null,
                ),
              ],
              rechecks: [],
              rewardHacking: { checked: [...CHECKLIST], suspicious: [] },
            },
          },
          {
            answer: {
              verdict: 'approve',
              summary: 'The off-by-one fix is right and minimal.',
              findings: [],
              rechecks: [],
              rewardHacking: { checked: [...CHECKLIST], suspicious: [] },
            },
          },
        ],
        recheck: [
          {
            answer: {
              verdict: 'approve',
              summary: 'R1 fixed; R2 rebuttal accepted.',
              findings: [],
              rechecks: [
                {
                  findingId: 'R1',
                  status: 'resolved',
                  note: 'RangeError for fractional and negative cents, with a test.',
                },
                { findingId: 'R2', status: 'accept-rebuttal', note: 'Fair: the plan fixed the name.' },
              ],
            },
          },
        ],
      },
    },
  };
}

/** The sample shop as a git repository with one commit, in `repo` (created): for the demo and the bench. */
export function writeSampleRepo(repo: string): string {
  for (const [path, content] of Object.entries(SAMPLE_REPO)) {
    mkdirSync(dirname(join(repo, path)), { recursive: true });
    writeFileSync(join(repo, path), content);
  }
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, stdio: 'pipe' });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('-c', 'user.name=demo', '-c', 'user.email=demo@localhost', 'commit', '-qm', 'sample shop');
  return repo;
}

/** The demo's scripted pair, every agent call taking `latencyMs` (a fixed stand-in for a model's time). */
export function demoScenarioWithLatency(latencyMs: number): ReturnType<typeof demoScenario> {
  const s = demoScenario();
  for (const purposes of Object.values(s.agents) as Record<string, { delayMs?: number }[]>[])
    for (const entries of Object.values(purposes)) for (const e of entries) e.delayMs = latencyMs;
  return s;
}
