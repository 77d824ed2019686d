import { describe, expect, it } from 'vitest';
import { Config } from '../../../src/config/schema.js';
import { rolesFor } from '../../../src/protocol/roles.js';

/** Who plays what in each mode, from the configured driver and skeptic. */
describe('rolesFor', () => {
  const config = Config.parse({});
  const withSubtask = Config.parse({ roles: { driver: 'claude', skeptic: 'codex', subtask: 'fast' } });

  it('pair: the driver drives, the skeptic attacks and does the sub-tasks', () => {
    expect(rolesFor('pair', config)).toEqual({
      driver: 'claude',
      skeptic: 'codex',
      dispatcher: null,
      subtask: 'codex',
    });
  });

  it('invert: the skeptic’s agent does the work and reviews it, the driver’s agent only dispatches', () => {
    expect(rolesFor('invert', config)).toEqual({
      driver: 'codex',
      skeptic: 'codex',
      dispatcher: 'claude',
      subtask: 'codex',
    });
  });

  it.each(['solo', 'answer'] as const)('%s: the driver alone, and it does its own sub-tasks', (mode) => {
    expect(rolesFor(mode, config)).toEqual({ driver: 'claude', skeptic: null, dispatcher: null, subtask: 'claude' });
  });

  it.each(['pair', 'invert', 'solo', 'answer'] as const)('%s: a configured sub-task agent wins', (mode) => {
    expect(rolesFor(mode, withSubtask).subtask).toBe('fast');
  });

  it('review: the skeptic reviews, the driver answers (only with --answer), nobody dispatches or fans out', () => {
    expect(rolesFor('review', config)).toEqual({ driver: 'claude', skeptic: 'codex', dispatcher: null, subtask: null });
    expect(rolesFor('review', withSubtask).subtask).toBeNull();
  });
});
