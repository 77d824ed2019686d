import { describe, expect, it } from 'vitest';
import { colorEnabled, colorsFor } from '../../../src/cli/color.js';

const pipe = { isTTY: false };
const tty = { isTTY: true };

describe('colour', () => {
  it('is off on a pipe even when CI is set (an agent reading duo output on a CI machine)', () => {
    expect(colorEnabled(pipe, { CI: '1', TERM: 'xterm' })).toBe(false);
    expect(colorsFor(pipe, { CI: 'true' }).green('GREEN')).toBe('GREEN');
  });

  it('is on at a terminal, off at a dumb one', () => {
    expect(colorEnabled(tty, { TERM: 'xterm-256color' })).toBe(true);
    expect(colorsFor(tty, { TERM: 'xterm' }).green('GREEN')).not.toBe('GREEN');
    expect(colorEnabled(tty, { TERM: 'dumb' })).toBe(false);
  });

  it('NO_COLOR wins over a terminal and over FORCE_COLOR; an empty NO_COLOR is ignored', () => {
    expect(colorEnabled(tty, { TERM: 'xterm', NO_COLOR: '1' })).toBe(false);
    expect(colorEnabled(pipe, { NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(colorEnabled(tty, { TERM: 'xterm', NO_COLOR: '' })).toBe(true);
  });

  it('FORCE_COLOR turns it on for a pipe, and 0 or false turns it off at a terminal', () => {
    expect(colorEnabled(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(colorEnabled(tty, { TERM: 'xterm', FORCE_COLOR: '0' })).toBe(false);
    expect(colorEnabled(tty, { TERM: 'xterm', FORCE_COLOR: 'false' })).toBe(false);
  });
});
