/**
 * The scripted agents of `npm run demo:eval`: one scenario per mined task, keyed by the task's first line. Two
 * tasks the driver gets right in any mode. On the coupon rounding fix it writes Math.trunc — which still rounds
 * 895.5 down, passes the visible test, and is wrong: alone (solo) that ships a false green; in the pair the
 * skeptic's review catches it and the fix is confirmed by the hidden test. Every call reports the same usage, so
 * the token figures compare the modes' call counts.
 */

import { COUPON_FLOOR, COUPON_ROUND } from './history.js';
import { SAMPLE_REPO } from './sample.js';

const USAGE = { inputTokens: 1200, outputTokens: 150, cachedInputTokens: 0, costUsd: 0.012 };
const APPROVE = { verdict: 'approve', summary: 'The change does what the task asks.', findings: [], rechecks: [] };

interface Script {
  file: string;
  summary: string;
  writes: string;
  /** The skeptic's review finding and the driver's fix for it (pair mode). */
  catch?: { claim: string; evidence: string; fix: string };
}

const SCRIPTS: Record<string, Script> = {
  'Fix cartTotal ignoring the quantity': {
    file: 'src/cart.js',
    summary: 'Multiply each price by its quantity.',
    writes: SAMPLE_REPO['src/cart.js'] as string,
  },
  'Add coupons: a percentage off the cart total': {
    file: 'src/coupon.js',
    summary: 'applyCoupon(totalCents, percent) in whole cents.',
    writes: COUPON_FLOOR,
  },
  'Round coupon discounts to the nearest cent': {
    file: 'src/coupon.js',
    summary: 'Stop flooring the discounted total.',
    writes: COUPON_FLOOR.replace('Math.floor', 'Math.trunc'),
    catch: {
      claim: 'Math.trunc rounds 895.5 down exactly like Math.floor: 10% off 995 is still 895, the issue asks for 896.',
      evidence: 'applyCoupon(995, 10) = Math.trunc(895.5) = 895.',
      fix: COUPON_ROUND,
    },
  },
};

/** The scenario for a task, by the first line of its problem statement; undefined for a task the demo does not know. */
export function evalDemoScenario(problemStatement: string): unknown {
  const s = SCRIPTS[problemStatement.split('\n')[0]?.trim() ?? ''];
  if (!s) return undefined;
  const answer = (value: unknown, writes?: Record<string, string>) => ({
    answer: value,
    usage: USAGE,
    ...(writes ? { writes } : {}),
  });
  const plan = {
    summary: s.summary,
    files: [{ path: s.file, change: s.summary }],
    approach: s.summary,
    tests: [],
    testChanges: [],
    risks: [],
    rollback: null,
    subtasks: [],
    answers: [],
  };
  const work = { summary: s.summary, filesChanged: [s.file], claims: ['All tests pass.'], contradiction: null };
  const finding = s.catch && {
    id: 'R1',
    severity: 'major',
    file: s.file,
    line: 3,
    claim: s.catch.claim,
    evidence: s.catch.evidence,
    stakes: 'Every coupon undercharges by a cent on half the carts.',
    confidence: 0.9,
  };
  return {
    description: `duo demo:eval — ${problemStatement.split('\n')[0]}`,
    agents: {
      claude: {
        plan: [answer(plan)],
        implement: [answer(work, { [s.file]: s.writes })],
        'answer-findings': [
          answer(
            {
              summary: 'Use Math.round.',
              answers: [{ findingId: 'R1', action: 'fix', note: 'Math.round: 895.5 → 896.' }],
            },
            s.catch ? { [s.file]: s.catch.fix } : {},
          ),
        ],
      },
      codex: {
        critique: [answer(APPROVE)],
        review: [
          answer(
            finding ? { verdict: 'revise', summary: 'Still rounds down.', findings: [finding], rechecks: [] } : APPROVE,
          ),
        ],
        recheck: [
          answer({ ...APPROVE, rechecks: [{ findingId: 'R1', status: 'resolved', note: 'Math.round gives 896.' }] }),
        ],
      },
    },
  };
}
