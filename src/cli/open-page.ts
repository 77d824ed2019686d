/**
 * `--open`: a written page in the user's browser. $BROWSER when set (the convention other tools follow), else the
 * system's opener. Opening is a convenience: when no browser can be started duo says where the page is, and the
 * command still succeeds — the page was written.
 */

import { spawn } from 'node:child_process';

function opener(file: string): [string, string[]] {
  const browser = process.env.BROWSER?.trim();
  if (browser) return [browser, [file]];
  if (process.platform === 'darwin') return ['open', [file]];
  if (process.platform === 'win32') return ['cmd', ['/c', 'start', '""', file]];
  return ['xdg-open', [file]];
}

export async function openPage(file: string): Promise<void> {
  const [command, args] = opener(file);
  const started = await new Promise<string | null>((resolve) => {
    try {
      const child = spawn(command, args, { detached: true, stdio: 'ignore' });
      child.once('error', (e) => resolve(e.message));
      child.once('spawn', () => {
        child.unref();
        resolve(null);
      });
    } catch (e) {
      resolve((e as Error).message);
    }
  });
  if (started) process.stderr.write(`could not open a browser (${command}: ${started}); open ${file} yourself\n`);
}
