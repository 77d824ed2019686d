/**
 * Progress on stderr (stdout stays for results and --json). In a terminal: one live line — phase, round, which
 * agent is working, elapsed. Otherwise: quiet plain lines. Colour follows the stream (./color.ts).
 */

import type { ProgressEvent } from '../protocol/run-events.js';
import { oneLine } from '../sys/text.js';
import { colorsFor } from './color.js';
import { verifyOutcome } from './output.js';

export interface ProgressView {
  onEvent(event: ProgressEvent): void;
  stop(): void;
}

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

export function progressView(stream: NodeJS.WriteStream = process.stderr, quiet = false): ProgressView {
  const live = !quiet && stream.isTTY === true && process.env.TERM !== 'dumb';
  const pc = colorsFor(stream);
  const started = Date.now();
  let phase = 'starting';
  let round: number | undefined;
  let working = '';
  /** What the working agent is doing right now (a file, a command, trouble), from its CLI's stream. */
  let doing = '';
  /** The last trouble said per agent, so a CLI that repeats "Reconnecting…" is said once, not every time. */
  const said = new Map<string, string>();
  let frame = 0;
  const elapsed = () => {
    const s = Math.floor((Date.now() - started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const line = () => {
    const head = `${phase}${round ? ` · round ${round}` : ''}${working ? ` · ${working}` : ''}`;
    // The activity gets what the terminal has left, so the line never wraps (a wrapped line cannot be redrawn).
    const room = (stream.columns || 80) - head.length - 14;
    const now = doing && room > 12 ? ` · ${oneLine(doing, room)}` : '';
    const shown = now && doing.startsWith('⚠') ? pc.yellow(now) : pc.dim(now);
    return `${pc.cyan(FRAMES[frame++ % FRAMES.length])} ${pc.bold(phase)}${round ? ` · round ${round}` : ''}${working ? ` · ${working}` : ''}${shown} · ${pc.dim(elapsed())}`;
  };
  const draw = () => {
    if (live) stream.write(`\r\x1b[2K${line()}`);
  };
  const say = (text: string) => {
    if (quiet) return;
    if (live) stream.write(`\r\x1b[2K${text}\n`);
    else stream.write(`${text}\n`);
    draw();
  };
  const timer = live ? setInterval(draw, 120) : undefined;
  timer?.unref();

  return {
    onEvent(e) {
      switch (e.type) {
        case 'phase':
          if (e.phase !== phase || e.round !== round) {
            phase = e.phase;
            round = e.round;
            say(`${pc.dim(elapsed())} ${pc.bold(e.phase)}${e.round ? ` (round ${e.round})` : ''}`);
          }
          break;
        case 'agent':
          doing = '';
          if (e.state === 'start') {
            working = `${e.agent} (${e.role}) ${e.purpose}`;
            if (!live) say(`${pc.dim(elapsed())}   ${working}…`);
          } else if (e.state === 'retry') {
            said.delete(e.agent);
            say(
              `${pc.dim(elapsed())}   ${pc.yellow(`${oneLine(e.detail ?? `${e.agent} failed`, 400)}; trying again`)}`,
            );
          } else working = '';
          draw();
          break;
        case 'activity':
          if (e.kind === 'trouble') {
            doing = `⚠ ${e.text}`;
            // Said as a line too (in a log, it is the only way it shows), once until the agent says something else.
            if (said.get(e.agent) !== e.text) {
              said.set(e.agent, e.text);
              say(`${pc.dim(elapsed())}   ${pc.yellow(`${e.agent} (${e.role}): ${oneLine(e.text, 300)}`)}`);
            }
          } else doing = e.kind === 'edit' ? `editing ${e.text}` : `$ ${e.text}`;
          draw();
          break;
        case 'verify':
          if (e.state === 'end') {
            const mark = e.passed ? pc.green('pass') : pc.red('FAIL');
            say(`${pc.dim(elapsed())}   ${mark} $ ${e.command} (${verifyOutcome(e)})`);
          } else {
            working = `$ ${e.command}`;
            draw();
          }
          break;
        case 'note':
          say(`${pc.dim(elapsed())}   ${e.text}`);
          break;
      }
    },
    stop() {
      if (timer) clearInterval(timer);
      if (live) stream.write('\r\x1b[2K');
    },
  };
}
