import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import type { AgentEvent } from '../../../src/agents/events.js';
import { AgentError } from '../../../src/agents/failure.js';
import { checkAnswer, withRepair } from '../../../src/agents/repair.js';

const Even = z.object({ n: z.number().refine((n) => n % 2 === 0, 'n must be even') });

/** An "agent" whose answers are JSON texts; asking again returns the next one in line. */
function ask(first: string, ...then: string[]) {
  const events: AgentEvent[] = [];
  const askAgain = vi.fn(async (_error: string, _previous: string) => then.shift() ?? '');
  const run = () =>
    withRepair({
      agent: 'tester',
      shape: 'Even',
      first,
      validate: (text: string) => checkAnswer(Even, JSON.parse(text)),
      askAgain,
      emit: (e) => events.push(e),
    });
  return { run, askAgain, events };
}

describe('checkAnswer', () => {
  it('gives the typed value, or the validation errors in words', () => {
    expect(checkAnswer(Even, { n: 2 })).toEqual({ ok: true, value: { n: 2 } });
    const bad = checkAnswer(Even, { n: 3 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toContain('n must be even');
  });
});

describe('withRepair', () => {
  it('takes a valid first answer without asking again', async () => {
    const { run, askAgain, events } = ask('{"n":2}');
    const r = await run();
    expect(r.value).toEqual({ n: 2 });
    expect(r.last).toBe('{"n":2}');
    expect(r.attempts).toEqual(['{"n":2}']);
    expect(askAgain).not.toHaveBeenCalled();
    expect(events).toEqual([]);
  });

  it('asks once more, carrying the validation errors and the previous answer, and takes the corrected one', async () => {
    const { run, askAgain, events } = ask('{"n":3}', '{"n":4}');
    const r = await run();
    expect(r.value).toEqual({ n: 4 });
    expect(r.last).toBe('{"n":4}');
    expect(r.attempts).toEqual(['{"n":3}', '{"n":4}']);
    expect(askAgain).toHaveBeenCalledTimes(1);
    const [error, previous] = askAgain.mock.calls[0] ?? [];
    expect(error).toContain('n must be even');
    expect(previous).toBe('{"n":3}');
    expect(events).toEqual([
      { type: 'error', message: 'answer failed the schema; asking once for a corrected answer', fatal: false },
    ]);
  });

  it('fails with a schema AgentError naming the shape and carrying the last errors after one repair', async () => {
    const { run, askAgain } = ask('{"n":3}', '{"n":"five"}', '{"n":6}');
    const e = await run().catch((err: unknown) => err);
    expect(e).toBeInstanceOf(AgentError);
    const err = e as AgentError;
    expect(err.failure).toBe('schema');
    expect(err.agent).toBe('tester');
    expect(err.message).toBe('tester: answered twice outside the required Even shape');
    // The second answer's errors, not the first's.
    expect(err.detail).toContain('expected number');
    expect(err.detail).not.toContain('n must be even');
    expect(askAgain).toHaveBeenCalledTimes(1);
  });

  it('says "JSON" when the call named no shape', async () => {
    const err = await withRepair({
      agent: 'tester',
      shape: undefined,
      first: 1,
      validate: () => ({ ok: false, error: 'wrong' }),
      askAgain: async () => 2,
      emit: () => {},
    }).then(
      () => undefined,
      (e: unknown) => e as AgentError,
    );
    expect(err?.message).toBe('tester: answered twice outside the required JSON shape');
    expect(err?.detail).toBe('wrong');
  });

  it('lets a failure of the repair call itself through unchanged', async () => {
    const lost = new AgentError('tester', 'session-lost', 'no longer knows session s');
    const err = await withRepair({
      agent: 'tester',
      shape: 'Even',
      first: '{"n":3}',
      validate: (text: string) => checkAnswer(Even, JSON.parse(text)),
      askAgain: async () => {
        throw lost;
      },
      emit: () => {},
    }).catch((e: unknown) => e);
    expect(err).toBe(lost);
  });
});
