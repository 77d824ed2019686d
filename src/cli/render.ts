/**
 * Progress on stderr (stdout stays for results and --json). In a terminal: one live line — phase, round, which
 * agent is working, elapsed. Otherwise: quiet plain lines. Colour follows the stream (./color.ts).
 */

import type { ProgressEvent } from '../protocol/run-events.js';
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
  let frame = 0;
  const elapsed = () => {
    const s = Math.floor((Date.now() - started) / 1000);
    return `${String(Math.floor(s / 60)).padStart(2, '0')}:${String(s % 60).padStart(2, '0')}`;
  };
  const line = () =>
    `${pc.cyan(FRAMES[frame++ % FRAMES.length])} ${pc.bold(phase)}${round ? ` · round ${round}` : ''}${working ? ` · ${working}` : ''} · ${pc.dim(elapsed())}`;
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
          if (e.state === 'start') {
            working = `${e.agent} (${e.role}) ${e.purpose}`;
            if (!live) say(`${pc.dim(elapsed())}   ${working}…`);
          } else if (e.state === 'retry') {
            say(`${pc.dim(elapsed())}   ${pc.yellow(`${e.agent} ${e.detail ?? 'failed'}; retrying`)}`);
          } else working = '';
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
