import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AgentError, type AgentFailure, because, rootCause } from '../../../src/agents/failure.js';
import { retryDelay } from '../../../src/agents/retry.js';
import { StallWatch, trouble } from '../../../src/agents/stall.js';

/**
 * What a failure says and whether it is tried again: the CLI's own words for the cause go into the message, a
 * failure a retry cannot fix is final, and an agent that keeps reporting trouble with no model progress is stopped.
 */
describe('rootCause: the line of what a CLI said that names the cause', () => {
  it.each([
    [
      'codex refusing a flag (its usage footer is no cause)',
      "error: unexpected argument '--bogus' found\n\n  tip: to pass '--bogus' as a value, use '-- --bogus'\n\nUsage: codex exec [OPTIONS] [PROMPT]\n\nFor more information, try '--help'.",
      "error: unexpected argument '--bogus' found",
    ],
    [
      'codex refusing a value',
      "error: invalid value 'wrong' for '--sandbox <SANDBOX_MODE>'\n  [possible values: read-only, workspace-write]\n\nFor more information, try '--help'.",
      "error: invalid value 'wrong' for '--sandbox <SANDBOX_MODE>'",
    ],
    [
      'claude with no network (its harmless warnings around it)',
      'WARNING: proceeding, even though we could not create PATH aliases\nAPI Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)',
      'API Error: Connection refused — a firewall or proxy may be blocking it (ECONNREFUSED)',
    ],
    ['nothing error-like: the last line', 'starting\nbye', 'bye'],
  ])('%s', (_what, said, cause) => {
    expect(rootCause(said)).toBe(cause);
  });

  it('is one line of at most 300 characters, secrets masked, and undefined when nothing was said', () => {
    expect(rootCause(`error: ${'x'.repeat(400)}`)).toHaveLength(300);
    expect(rootCause('error: bad key sk-ant-api03-abcdefghijklmnopqrstuvwx')).not.toContain('abcdefghijklmnop');
    expect(rootCause('\n  \n')).toBeUndefined();
  });

  it('because() puts the cause after what happened, or leaves what happened alone', () => {
    expect(because('refused the call (exit 1)', "error: unknown option '--x'")).toBe(
      "refused the call (exit 1): error: unknown option '--x'",
    );
    expect(because('crashed', undefined)).toBe('crashed');
  });
});

describe('retryDelay: the one retry policy', () => {
  const limits = { retries: 2, retryBaseMs: 1000 };
  const err = (f: AgentFailure) => new AgentError('claude', f, 'x');

  it.each(['unreachable', 'api-error', 'rate-limited', 'timeout', 'idle', 'crashed'] as const)(
    '%s is tried again, with exponential backoff, up to the retries',
    (f) => {
      expect([0, 1, 2].map((attempt) => retryDelay(err(f), attempt, limits))).toEqual([1000, 2000, null]);
    },
  );

  it.each(['rejected', 'not-logged-in', 'not-installed', 'schema', 'max-turns', 'permission', 'aborted'] as const)(
    '%s is final: the same call would fail the same way',
    (f) => {
      expect(retryDelay(err(f), 0, limits)).toBeNull();
    },
  );
});

describe('StallWatch', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('stops the call when trouble lasts the whole time with no model progress, and names it unreachable', () => {
    const stop = vi.fn();
    const w = new StallWatch(60_000, stop);
    w.see(trouble('Reconnecting... waiting for network (Connection failed: error sending request)'));
    vi.advanceTimersByTime(30_000);
    w.see(trouble('Reconnecting... waiting for network (Connection failed: error sending request)'));
    vi.advanceTimersByTime(29_999);
    expect(stop).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(stop).toHaveBeenCalledOnce();
    expect(w.stalled).toBe(true);
    const f = w.failure();
    expect(f.network).toBe(true);
    expect(f.message).toMatch(/^no network, or the model API is unreachable: no model progress for 60 s/);
    expect(f.message).toContain('2 times');
    expect(f.detail.split('\n')).toHaveLength(2);
  });

  it('model progress resets it: a blip the CLI recovers from stops nothing', () => {
    const stop = vi.fn();
    const w = new StallWatch(60_000, stop);
    w.see(trouble('Reconnecting... waiting for network'));
    vi.advanceTimersByTime(50_000);
    w.see({ progress: true });
    vi.advanceTimersByTime(50_000);
    w.see(trouble('Reconnecting... waiting for network'));
    vi.advanceTimersByTime(50_000);
    expect(stop).not.toHaveBeenCalled();
    w.dispose();
    vi.advanceTimersByTime(60_000);
    expect(stop).not.toHaveBeenCalled();
  });

  it('API trouble (a status came back) is named an API error, not a lost network', () => {
    const w = new StallWatch(1000, () => {});
    w.see({ trouble: 'the API request failed with status 529 (overloaded_error); retry 1 of 10', network: false });
    vi.advanceTimersByTime(1000);
    expect(w.failure()).toMatchObject({
      network: false,
      message: expect.stringMatching(/^the model API kept failing/),
    });
  });

  it('without a time it never stops anything', () => {
    const stop = vi.fn();
    const w = new StallWatch(undefined, stop);
    w.see(trouble('Reconnecting...'));
    vi.advanceTimersByTime(10 * 60_000);
    expect(stop).not.toHaveBeenCalled();
  });
});
