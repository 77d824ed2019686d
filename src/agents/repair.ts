/**
 * A structured answer is taken the same way from every agent: validate it; if it is wrong, ask once more carrying
 * exactly what was wrong; if that is wrong too, fail with a `schema` AgentError. Only two things differ per
 * adapter and are passed in: where the candidate answer comes from (`validate`) and how the agent is asked again
 * (`askAgain`: Claude resumes its session, Codex its thread, a command agent is re-sent the prompt).
 */

import { z } from 'zod';
import type { AgentEvent } from './events.js';
import { AgentError } from './failure.js';

/** An answer checked against its schema: the typed value, or the validation errors to show the agent. */
export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

/** Checks a candidate answer (already taken out of the agent's output) against the call's zod schema. */
export function checkAnswer<T>(schema: z.ZodType<T>, candidate: unknown): Checked<T> {
  const parsed = schema.safeParse(candidate);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, error: z.prettifyError(parsed.error) };
}

export interface Repair<A, T> {
  /** The agent's name, for the error. */
  agent: string;
  /** The shape asked for (the call's schemaName), named in the error; "JSON" when the call gave none. */
  shape: string | undefined;
  /** The first attempt: whatever the adapter's call returned (text, session, usage…). */
  first: A;
  validate: (attempt: A) => Checked<T>;
  /** Asks the agent again, carrying the validation errors of the previous attempt. */
  askAgain: (error: string, previous: A) => Promise<A>;
  emit: (e: AgentEvent) => void;
}

/** What came of asking: the valid answer, the attempt that gave it, and every attempt made, in order. */
export interface Repaired<A, T> {
  value: T;
  last: A;
  /** One, or two when a repair was needed: the adapter adds up their usage. */
  attempts: A[];
}

/** validate → one repair request → schema failure. */
export async function withRepair<A, T>(r: Repair<A, T>): Promise<Repaired<A, T>> {
  const first = r.validate(r.first);
  if (first.ok) return { value: first.value, last: r.first, attempts: [r.first] };
  r.emit({ type: 'error', message: 'answer failed the schema; asking once for a corrected answer', fatal: false });
  const again = await r.askAgain(first.error, r.first);
  const second = r.validate(again);
  if (!second.ok)
    throw new AgentError(
      r.agent,
      'schema',
      `answered twice outside the required ${r.shape ?? 'JSON'} shape`,
      second.error,
    );
  return { value: second.value, last: again, attempts: [r.first, again] };
}
