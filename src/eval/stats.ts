/**
 * The statistics of an eval report, small enough to check by hand against the textbooks:
 * - the Wilson score interval for a proportion (Wilson 1927; Newcombe 1998, method 3), which stays inside [0, 1]
 *   and behaves at 0 of n and n of n, where the normal approximation does not;
 * - the exact McNemar test for paired outcomes (two modes on the same tasks): under "no difference" each discordant
 *   task is a fair coin, so the two-sided p-value is a binomial tail, doubled (the exact conditional test).
 */

// z for a two-sided 95% interval.
export const Z95 = 1.959963984540054;

/** The Wilson score interval of `successes` out of `n`; [0, 1] when n is 0 (nothing is known). */
export function wilson(successes: number, n: number, z = Z95): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = successes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / (1 + z2 / n);
  // At 0 or n the bound is exactly 0 or 1; floating point would leave a hair's breadth.
  return {
    low: successes === 0 ? 0 : Math.max(0, centre - half),
    high: successes === n ? 1 : Math.min(1, centre + half),
  };
}

/**
 * Two-sided exact McNemar p-value: `b` tasks only the first mode resolved, `c` only the second. 1 when there is no
 * discordant task. Computed in log space, so thousands of tasks do not overflow.
 */
export function mcnemarExact(b: number, c: number): number {
  const n = b + c;
  if (n === 0) return 1;
  const k = Math.min(b, c);
  // log C(n, i) built up term by term; the tail is summed relative to its largest term.
  const logs: number[] = [];
  let logC = 0;
  for (let i = 0; i <= k; i++) {
    if (i > 0) logC += Math.log(n - i + 1) - Math.log(i);
    logs.push(logC - n * Math.LN2);
  }
  const max = Math.max(...logs);
  const tail = Math.exp(max) * logs.reduce((s, l) => s + Math.exp(l - max), 0);
  return Math.min(1, 2 * tail);
}

export function median(values: number[]): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}
