/**
 * Where a query over the run index spends its time, phase by phase: listing the runs, reading the index, searching,
 * the page shown. Published on a diagnostics channel for `npm run bench` (bench/record.ts), in-process or from a
 * `duo log` process, and measured only while something listens: `duo log` itself pays one check per phase.
 */
import { channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';

export const SPENT_CHANNEL = 'duo:record:spent';

/** One phase: how long it took, and when it ended (performance.now() of the process). */
export interface Spent {
  phase: string;
  ms: number;
  end: number;
}

const spent = channel(SPENT_CHANNEL);

export function timed<T>(phase: string, f: () => T): T {
  if (!spent.hasSubscribers) return f();
  const start = performance.now();
  try {
    return f();
  } finally {
    const end = performance.now();
    spent.publish({ phase, ms: end - start, end } satisfies Spent);
  }
}

export async function timedAsync<T>(phase: string, f: () => Promise<T>): Promise<T> {
  if (!spent.hasSubscribers) return f();
  const start = performance.now();
  try {
    return await f();
  } finally {
    const end = performance.now();
    spent.publish({ phase, ms: end - start, end } satisfies Spent);
  }
}
