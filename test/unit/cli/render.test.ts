import { stripVTControlCharacters } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { progressView } from '../../../src/cli/render.js';
import { oneLine } from '../../../src/sys/text.js';

/**
 * The live view: in a terminal, one line that says which agent works on what, and the file it edits, the command
 * it runs or the trouble it reports right now; in a log, plain lines — trouble said once, not at every repeat.
 */
function fakeStream(isTTY: boolean) {
  const out: string[] = [];
  const stream = { isTTY, columns: 120, write: (s: string) => out.push(s) > 0 } as unknown as NodeJS.WriteStream;
  return { stream, out };
}
/** What a terminal shows now: the text after the last carriage return (the live line is redrawn in place). */
const screenLine = (out: string[]) => stripVTControlCharacters(out.join('').split('\r').at(-1) ?? '');

describe('progressView: live activity', () => {
  beforeEach(() => {
    vi.stubEnv('NO_COLOR', '1');
    vi.stubEnv('TERM', 'xterm');
  });
  afterEach(() => vi.unstubAllEnvs());

  it('in a terminal the line shows the file being edited, then the command being run, then trouble', () => {
    const { stream, out } = fakeStream(true);
    const view = progressView(stream);
    view.onEvent({ type: 'phase', phase: 'implement' });
    view.onEvent({ type: 'agent', role: 'driver', agent: 'claude', purpose: 'implement', state: 'start' });
    view.onEvent({ type: 'activity', role: 'driver', agent: 'claude', kind: 'edit', text: 'src/x.js' });
    expect(screenLine(out)).toMatch(/implement · claude \(driver\) implement · editing src\/x\.js · 00:00$/);
    view.onEvent({ type: 'activity', role: 'driver', agent: 'claude', kind: 'command', text: 'npm test' });
    expect(screenLine(out)).toContain('· $ npm test ·');
    view.onEvent({ type: 'activity', role: 'driver', agent: 'claude', kind: 'trouble', text: 'Reconnecting...' });
    expect(screenLine(out)).toContain('· ⚠ Reconnecting... ·');
    view.onEvent({ type: 'agent', role: 'driver', agent: 'claude', purpose: 'implement', state: 'end' });
    expect(screenLine(out)).not.toContain('Reconnecting');
    view.stop();
  });

  it('a hostile path cannot move the cursor or clear the screen', () => {
    const { stream, out } = fakeStream(true);
    const view = progressView(stream);
    view.onEvent({ type: 'agent', role: 'driver', agent: 'claude', purpose: 'implement', state: 'start' });
    const before = out.join('').length;
    view.onEvent({ type: 'activity', role: 'driver', agent: 'claude', kind: 'edit', text: 'a\x1b[2J\x1b[Hb\u202Ec' });
    const drawn = out.join('').slice(before);
    expect(drawn).not.toContain('\x1b[2J');
    expect(drawn).not.toContain('\u202E');
    expect(drawn).toContain('a\\x1b[2J\\x1b[Hb\\u202ec');
    view.stop();
  });

  it('in a log (no terminal) trouble is a line, said once until it changes; files and commands are not', () => {
    const { stream, out } = fakeStream(false);
    const view = progressView(stream);
    view.onEvent({ type: 'agent', role: 'skeptic', agent: 'codex', purpose: 'review', state: 'start' });
    for (let i = 0; i < 3; i++)
      view.onEvent({ type: 'activity', role: 'skeptic', agent: 'codex', kind: 'trouble', text: 'Reconnecting...' });
    view.onEvent({ type: 'activity', role: 'skeptic', agent: 'codex', kind: 'command', text: 'rg auth' });
    view.onEvent({
      type: 'agent',
      role: 'skeptic',
      agent: 'codex',
      purpose: 'review',
      state: 'retry',
      detail: 'codex: no network, or the model API is unreachable',
    });
    view.onEvent({ type: 'activity', role: 'skeptic', agent: 'codex', kind: 'trouble', text: 'Reconnecting...' });
    const text = out.join('');
    expect(text.match(/codex \(skeptic\): Reconnecting\.\.\./g)).toHaveLength(2);
    expect(text).toContain('codex: no network, or the model API is unreachable; trying again');
    expect(text).not.toContain('rg auth');
    view.stop();
  });
});

describe('oneLine', () => {
  it('flattens whitespace, shows control and bidi characters as escapes, and cuts to the width', () => {
    expect(oneLine('a\n\tb')).toBe('a b');
    expect(oneLine('x\x07y\x9bz')).toBe('x\\x07y\\x9bz');
    expect(oneLine('x'.repeat(50), 10)).toBe(`${'x'.repeat(9)}…`);
  });
});
