import { describe, expect, it } from 'vitest';
import type { Headroom, Level } from '../../../src/budget/headroom.js';
import { Config } from '../../../src/config/schema.js';
import { route } from '../../../src/protocol/route.js';

/** --mode auto: risk decides the ceremony, headroom decides who does the work. */
const config = Config.parse({});
const now = new Date('2026-03-10T12:00:00Z');
const until = { claude: '2026-03-10T14:00:00.000Z', codex: '2026-03-10T13:00:00.000Z' };

function room(levels: Record<string, [Level, number | null]>): (agent: string) => Headroom {
  return (agent) => {
    const [level, pressure] = levels[agent] ?? ['unknown', null];
    return {
      agent,
      level,
      pressure,
      figure: null,
      caps: [],
      until: level === 'out' || level === 'tight' ? until[agent as 'claude' | 'codex'] : null,
      figures: pressure === null ? '' : `five-hour ${Math.round(pressure * 100)}%`,
      why: level,
    };
  };
}

const RISKY = 'fix the refund rounding in the invoice total';
const PLAIN = 'rename the helper in utils';
const QUESTION = 'how does the retry loop work?';

describe('route', () => {
  it('both with room: the risk decides — pair, one agent, or an answer, on the driver', () => {
    const r = room({ claude: ['room', 0.2], codex: ['room', 0.3] });
    expect(route(RISKY, config, r, now)).toMatchObject({ mode: 'pair', roles: { driver: 'claude', skeptic: 'codex' } });
    expect(route(PLAIN, config, r, now)).toMatchObject({ mode: 'solo', roles: { driver: 'claude', skeptic: null } });
    expect(route(QUESTION, config, r, now)).toMatchObject({ mode: 'answer', roles: { driver: 'claude' } });
  });

  it('claude over the threshold, codex not: a risky task is inverted, and the reason says why with the figures', () => {
    const d = route(RISKY, config, room({ claude: ['tight', 0.91], codex: ['room', 0.2] }), now);
    expect(d).toMatchObject({
      mode: 'invert',
      roles: { driver: 'codex', skeptic: 'codex', dispatcher: 'claude' },
      wait: null,
    });
    expect(d.reason).toMatch(/touches money/);
    expect(d.reason).toMatch(/claude is over the 80% mark \(five-hour 91%\)/);
    expect(d.reason).toMatch(/codex has room \(five-hour 20%\)/);
    expect(d.reason).toMatch(/inverted/);
    // One-agent work moves to codex.
    expect(route(PLAIN, config, room({ claude: ['tight', 0.91], codex: ['room', 0.2] }), now).roles.driver).toBe(
      'codex',
    );
  });

  it('claude out: invert without claude at all; codex tight: still the pair (the skeptic does the lighter share)', () => {
    expect(route(RISKY, config, room({ claude: ['out', 1], codex: ['room', 0.1] }), now).roles).toEqual({
      driver: 'codex',
      skeptic: 'codex',
      dispatcher: null,
      subtask: 'codex',
    });
    const d = route(RISKY, config, room({ claude: ['room', 0.1], codex: ['tight', 0.85] }), now);
    expect(d.mode).toBe('pair');
    expect(d.reason).toMatch(/light one/);
  });

  it('both nearly used up: one agent, the one with more room; one out: the other alone', () => {
    expect(route(RISKY, config, room({ claude: ['tight', 0.9], codex: ['tight', 0.82] }), now)).toMatchObject({
      mode: 'solo',
      roles: { driver: 'codex', skeptic: null },
    });
    expect(route(RISKY, config, room({ claude: ['room', 0.4], codex: ['out', 1] }), now)).toMatchObject({
      mode: 'solo',
      roles: { driver: 'claude' },
    });
    expect(route(PLAIN, config, room({ claude: ['out', 1], codex: ['tight', 0.9] }), now)).toMatchObject({
      mode: 'solo',
      roles: { driver: 'codex' },
    });
  });

  it('both out: wait until the first one has room again', () => {
    const d = route(RISKY, config, room({ claude: ['out', 1], codex: ['out', 1] }), now);
    expect(d.wait).toEqual({ until: until.codex });
    expect(d.reason).toMatch(/wait until/);
  });

  it('unknown figures count as room, and the reason says they are unknown', () => {
    const d = route(RISKY, config, room({}), now);
    expect(d.mode).toBe('pair');
    expect(d.reason).toMatch(/claude's plan use is unknown/);
  });
});
