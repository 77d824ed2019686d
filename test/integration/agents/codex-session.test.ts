import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { codexHome, findSessionFile, readSessionFacts } from '../../../src/agents/codex-session.js';
import { tempDir } from '../../support/harness.js';

/** Codex's session files: where a thread's is, and the latest limits and model in it. */
const THREAD = '01a211f5-9b50-75f0-b4b7-5d025ad31ac8';
const tokenCount = (primary: number, at: string) =>
  JSON.stringify({
    timestamp: at,
    type: 'event_msg',
    payload: {
      type: 'token_count',
      info: null,
      rate_limits: {
        limit_id: 'codex',
        primary: { used_percent: primary, window_minutes: 300, resets_at: 1_773_150_000 },
        secondary: { used_percent: 31, window_minutes: 10080, resets_at: 1_773_700_000 },
        credits: null,
        plan_type: null,
      },
    },
  });

function sessions(files: Record<string, string>): string {
  const home = tempDir('codex-home-');
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(join(home, 'sessions', path, '..'), { recursive: true });
    writeFileSync(join(home, 'sessions', path), content);
  }
  return home;
}

describe('codex session files', () => {
  it('finds a thread in the newest day folders first, whatever the timestamp in its name', () => {
    const home = sessions({
      [`2026/03/09/rollout-2026-03-09T23-59-01-${THREAD}.jsonl`]: '',
      '2026/03/10/rollout-2026-03-10T00-00-01-other.jsonl': '',
    });
    expect(findSessionFile(home, THREAD)).toBe(
      join(home, 'sessions', `2026/03/09/rollout-2026-03-09T23-59-01-${THREAD}.jsonl`),
    );
    expect(findSessionFile(home, 'nope')).toBeUndefined();
    expect(findSessionFile(tempDir(), THREAD)).toBeUndefined();
  });

  it('reads the latest rate_limits and the turn model; a cut or foreign line is skipped', () => {
    const home = sessions({
      [`2026/03/10/rollout-x-${THREAD}.jsonl`]: [
        '{"type":"event_msg","payload":{"type":"token_count","rate_lim', // cut
        JSON.stringify({ type: 'turn_context', payload: { model: 'gpt-5.5', cwd: '/w' } }),
        tokenCount(40, '2026-03-10T10:00:00.000Z'),
        'not json',
        tokenCount(72.5, '2026-03-10T11:00:00.000Z'),
        JSON.stringify({ type: 'event_msg', payload: { type: 'task_complete' } }),
        '',
      ].join('\n'),
    });
    const facts = readSessionFacts(findSessionFile(home, THREAD) as string);
    expect(facts.model).toBe('gpt-5.5');
    expect(facts.limits).toMatchObject({
      source: 'codex',
      observedAt: '2026-03-10T11:00:00.000Z',
      fiveHour: { utilization: 0.725 },
      weekly: { utilization: 0.31 },
    });
  });

  it('a missing file, or one without figures, tells nothing (never an error)', () => {
    expect(readSessionFacts('/nonexistent/rollout.jsonl')).toEqual({});
    const home = sessions({ [`2026/03/10/rollout-${THREAD}.jsonl`]: '{"type":"session_meta","payload":{}}\n' });
    expect(readSessionFacts(findSessionFile(home, THREAD) as string)).toEqual({});
  });

  it('CODEX_HOME, else ~/.codex', () => {
    expect(codexHome({ CODEX_HOME: '/c', HOME: '/h' })).toBe('/c');
    expect(codexHome({ HOME: '/h' })).toBe('/h/.codex');
  });
});
