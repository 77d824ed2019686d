/**
 * The usage ledger: one line per agent call, per user (under DUO_HOME — budgets belong to accounts, not repos),
 * across every repo and every run. Each line: the call's tokens, cost where the CLI reports it, duration, and the
 * plan's limits as the CLI reported them (a failed call that hit a limit is a line too: it says when room comes back).
 *
 * Safe with several runs at once without a lock: a line is appended with O_APPEND in a single write(2), so lines from
 * concurrent processes never interleave, and nothing is ever rewritten. One file per month (UTC) keeps reads short.
 */

import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { RateLimits } from '../agents/plan-limits.js';
import { duoHome } from '../sys/home.js';
import { redactSecrets } from '../sys/redact.js';

export const UsageLine = z.object({
  v: z.literal(1),
  /** When the call ended. */
  at: z.string(),
  agent: z.string(),
  kind: z.string(),
  model: z.string().nullable(),
  repo: z.string().nullable(),
  runId: z.string().nullable(),
  step: z.string().nullable(),
  purpose: z.string().nullable(),
  role: z.string().nullable(),
  durationMs: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  costUsd: z.number().nullable(),
  /** A failed call: its failure kind (rate-limited, api-error, …); null when it answered. */
  failure: z.string().nullable(),
  limits: RateLimits.nullable(),
});
export type UsageLine = z.infer<typeof UsageLine>;

export class UsageLedger {
  readonly dir: string;
  constructor(home: string = duoHome()) {
    this.dir = join(home, 'usage');
  }

  fileFor(at: string): string {
    return join(this.dir, `${at.slice(0, 7)}.jsonl`);
  }

  append(line: Omit<UsageLine, 'v'>): void {
    const full = UsageLine.parse({ v: 1, ...line });
    const bytes = Buffer.from(`${redactSecrets(JSON.stringify(full))}\n`, 'utf8');
    mkdirSync(this.dir, { recursive: true });
    const fd = openSync(this.fileFor(full.at), 'a');
    try {
      // One write of the whole line: O_APPEND makes it land after every other process's lines, never inside one.
      const n = writeSync(fd, bytes, 0, bytes.length);
      if (n !== bytes.length) throw new Error(`short write to the usage ledger (${n} of ${bytes.length} bytes)`);
    } finally {
      closeSync(fd);
    }
  }

  /** Lines at or after `since`, oldest first; lines that do not parse (a hand edit, a cut line) are counted, not fatal. */
  read(since: Date, now: Date = new Date()): { lines: UsageLine[]; skipped: number } {
    const lines: UsageLine[] = [];
    let skipped = 0;
    const from = since.toISOString();
    for (const month of monthsBetween(since, now)) {
      const file = join(this.dir, `${month}.jsonl`);
      if (!existsSync(file)) continue;
      for (const raw of readFileSync(file, 'utf8').split('\n')) {
        if (!raw) continue;
        // Every line starts {"v":1,"at":"<iso>": skip old ones without parsing them.
        const at = raw.slice(13, 37);
        if (raw.startsWith('{"v":1,"at":"') && at < from) continue;
        try {
          const parsed = UsageLine.safeParse(JSON.parse(raw));
          if (parsed.success) lines.push(parsed.data);
          else skipped++;
        } catch {
          skipped++;
        }
      }
    }
    lines.sort((a, b) => a.at.localeCompare(b.at));
    return { lines, skipped };
  }
}

function monthsBetween(since: Date, now: Date): string[] {
  const out: string[] = [];
  const d = new Date(Date.UTC(since.getUTCFullYear(), since.getUTCMonth(), 1));
  const end = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  while (d <= end) {
    out.push(d.toISOString().slice(0, 7));
    d.setUTCMonth(d.getUTCMonth() + 1);
  }
  return out;
}
