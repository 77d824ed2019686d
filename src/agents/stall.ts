/**
 * An agent CLI that cannot reach its model does not give up: Codex prints "Reconnecting... waiting for network"
 * for as long as it runs (measured: over 15 minutes, with or without its own retries), Claude Code retries with
 * backoff for minutes. Each of those lines is output, so the no-output watchdog never fires, and the run hangs
 * in silence. The stall watch ends that: once the CLI reports trouble (a reconnect, an API retry), the model must
 * make progress (a message, a tool call, a finished turn) within `ms`, or the call is stopped, and the adapter
 * turns the stop into a failure that names the cause — unreachable for connection trouble, an API error otherwise —
 * which the retry policy treats like any 5xx.
 */

import { UNREACHABLE } from './failure.js';

/** What a CLI line told the stall watch. */
export type Signal = { progress: true } | { trouble: string; network: boolean };

export class StallWatch {
  private timer: NodeJS.Timeout | undefined;
  private since: number | undefined;
  private last: { message: string; network: boolean } | undefined;
  private count = 0;
  /** The last trouble messages, for the failure's detail. */
  private readonly recent: string[] = [];
  /** Set once the watch stopped the call. */
  stalled = false;

  constructor(
    /** How long trouble may last with no model progress; undefined: never stop. */
    private readonly ms: number | undefined,
    /** Stops the CLI (the adapter aborts its stream). */
    private readonly stop: () => void,
  ) {}

  see(signal: Signal | undefined): void {
    if (!signal) return;
    if ('progress' in signal) {
      this.clear();
      this.last = undefined;
      this.count = 0;
      return;
    }
    this.last = { message: signal.trouble, network: signal.network };
    this.count++;
    this.recent.push(signal.trouble);
    if (this.recent.length > 10) this.recent.shift();
    if (this.timer || this.ms === undefined) return;
    this.since = Date.now();
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.stop();
    }, this.ms);
    this.timer.unref?.();
  }

  /** The call is over: no stop may come after it. */
  dispose(): void {
    this.clear();
  }

  /** What the stop means, in the words a user needs: unreachable for connection trouble, else an API error. */
  failure(): { network: boolean; message: string; detail: string } {
    const secs = Math.round((Date.now() - (this.since ?? Date.now())) / 1000);
    const last = this.last?.message ?? 'no detail';
    const tries = this.count > 1 ? `${this.count} times` : 'once';
    const detail = this.recent.join('\n');
    return this.last?.network !== false
      ? {
          detail,
          network: true,
          message: `no network, or the model API is unreachable: no model progress for ${secs} s while it reported trouble ${tries} (last: ${last})`,
        }
      : {
          detail,
          network: false,
          message: `the model API kept failing: no model progress for ${secs} s while it reported trouble ${tries} (last: ${last})`,
        };
  }

  private clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}

/** Trouble named by a message: network trouble when it reads like a connection failure. */
export function trouble(message: string): Signal {
  return { trouble: message, network: UNREACHABLE.test(message) };
}
