/**
 * Loaded into a `duo log` process by the P5 bench (`node --import spent-probe.js duo.js log …`): it records when
 * the process got to run code (Node's start-up), the query's phases as record/spent.ts publishes them, the garbage
 * collector's pauses, and when the process exits — and appends them as one JSON line to the file named by
 * DUO_BENCH_SPENT. It only listens: the command runs its own code.
 */

import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import { PerformanceObserver, performance } from 'node:perf_hooks';
import { SPENT_CHANNEL, type Spent } from '../record/spent.js';

/** What one probed process reports; times are ms since the process started. */
export interface ProbeReport {
  /** When this module ran: Node's own start-up, before any of duo's code. */
  started: number;
  phases: Spent[];
  gcMs: number;
  exited: number;
  /** CPU time the process used (user and system, every thread): on a busy machine, the wall time less waiting. */
  cpuMs: number;
}

const report: ProbeReport = { started: performance.now(), phases: [], gcMs: 0, exited: 0, cpuMs: 0 };
subscribe(SPENT_CHANNEL, (message) => {
  report.phases.push(message as Spent);
});
const gc = new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) report.gcMs += entry.duration;
});
gc.observe({ entryTypes: ['gc'] });

process.on('exit', () => {
  report.exited = performance.now();
  const cpu = process.cpuUsage();
  report.cpuMs = (cpu.user + cpu.system) / 1000;
  // Pauses not yet delivered to the observer (it is called back later, in batches).
  for (const entry of gc.takeRecords()) report.gcMs += entry.duration;
  const file = process.env.DUO_BENCH_SPENT;
  if (file) appendFileSync(file, `${JSON.stringify(report)}\n`);
});
