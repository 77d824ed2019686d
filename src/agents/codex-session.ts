/**
 * Codex does not print its plan's limits on `exec --json`; it writes them into the thread's session file,
 * `$CODEX_HOME/sessions/YYYY/MM/DD/rollout-<timestamp>-<thread_id>.jsonl` (a resumed thread appends to the same
 * file), in `event_msg` lines of type `token_count` carrying `rate_limits`. This reads the latest of those, and the
 * model the turn ran on, from the end of the file. Anything missing or unreadable is "not known", never an error:
 * a run must not fail because a CLI changed where it keeps its bookkeeping.
 */

import { closeSync, existsSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { CodexRateLimits, fromCodex, type RateLimits } from './plan-limits.js';

export interface SessionFacts {
  limits?: RateLimits;
  model?: string;
}

export function codexHome(env: NodeJS.ProcessEnv): string {
  return env.CODEX_HOME || join(env.HOME || homedir(), '.codex');
}

/** The session file of a thread: newest day folders first (a thread lives in the folder of the day it started). */
export function findSessionFile(home: string, threadId: string, maxDays = 400): string | undefined {
  const root = join(home, 'sessions');
  const suffix = `-${threadId}.jsonl`;
  const dirs = (dir: string) => {
    try {
      return readdirSync(dir)
        .filter((n) => /^\d+$/.test(n))
        .sort()
        .reverse();
    } catch {
      return [];
    }
  };
  let days = 0;
  for (const y of dirs(root))
    for (const m of dirs(join(root, y)))
      for (const d of dirs(join(root, y, m))) {
        if (++days > maxDays) return undefined;
        const folder = join(root, y, m, d);
        let names: string[];
        try {
          names = readdirSync(folder);
        } catch {
          continue;
        }
        const hit = names.find((n) => n.endsWith(suffix));
        if (hit) return join(folder, hit);
      }
  return undefined;
}

const TokenCount = z.looseObject({
  timestamp: z.string().optional(),
  type: z.literal('event_msg'),
  payload: z.looseObject({ type: z.literal('token_count'), rate_limits: CodexRateLimits.nullable().optional() }),
});
const TurnContext = z.looseObject({
  type: z.literal('turn_context'),
  payload: z.looseObject({ model: z.string().optional() }),
});

/** The latest limits and model in a session file (its last 512 KiB: the figures are written after every turn). */
export function readSessionFacts(file: string): SessionFacts {
  if (!existsSync(file)) return {};
  let text: string;
  try {
    const size = statSync(file).size;
    const take = Math.min(size, 512 * 1024);
    const buf = Buffer.alloc(take);
    const fd = openSync(file, 'r');
    try {
      readSync(fd, buf, 0, take, size - take);
    } finally {
      closeSync(fd);
    }
    text = buf.toString('utf8');
  } catch {
    return {};
  }
  const facts: SessionFacts = {};
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0 && (!facts.limits || !facts.model); i--) {
    const line = lines[i] ?? '';
    const limits = !facts.limits && line.includes('"rate_limits"');
    const context = !facts.model && line.includes('"turn_context"');
    if (!limits && !context) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch {
      continue; // the first line of the tail may be cut
    }
    if (limits) {
      const t = TokenCount.safeParse(raw);
      if (t.success && t.data.payload.rate_limits)
        facts.limits = fromCodex(t.data.payload.rate_limits, t.data.timestamp ?? new Date().toISOString());
    }
    if (context) {
      const c = TurnContext.safeParse(raw);
      if (c.success && c.data.payload.model) facts.model = c.data.payload.model;
    }
  }
  return facts;
}
