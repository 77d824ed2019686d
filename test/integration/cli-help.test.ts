import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DUOX_BIN, parseJson, runCli } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';

/** The help a new user reads first, and the errors that tell them what to do. */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('help', () => {
  it('a bare duo (and duox) shows the help and exits 0, creating nothing', async () => {
    const repo = makeRepo(SAMPLE);
    for (const bin of [undefined, DUOX_BIN]) {
      const r = await runCli([], { cwd: repo, ...(bin ? { bin } : {}) });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toMatch(/^Usage: duox? "<task>"/);
      expect(r.stdout).toContain('Commands:');
      expect(r.stderr).toBe('');
    }
    expect(readdirSync(repo)).not.toContain('.duo');
  });

  it('no command shows "(default: [])", and wait --help lists every exit code, 75 and 2 included', async () => {
    const cwd = tempDir();
    const top = (await runCli(['--help'], { cwd })).stdout;
    const commands = [...top.split('Commands:')[1]!.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]!);
    expect(commands.length).toBeGreaterThan(15);
    for (const command of commands) {
      const help = (await runCli([command, '--help'], { cwd })).stdout;
      expect(help, command).not.toContain('(default: [])');
    }
    const wait = (await runCli(['wait', '--help'], { cwd })).stdout;
    for (const code of ['0', '1', '2', '3', '4', '75', '130'])
      expect(wait).toMatch(new RegExp(`^ {2}${code}\\s+\\S`, 'm'));
    expect(wait).toMatch(/75\s+paused until an agent's plan limit resets/);
  });

  it('the plugin commands that wait for a run say what exit code 75 means', () => {
    const dir = join(ROOT, 'plugins', 'duo', 'commands');
    for (const name of ['pair.md', 'invert.md', 'review.md', 'decide.md']) {
      expect(readFileSync(join(dir, name), 'utf8'), name).toMatch(/75[^\n]*paused/);
    }
  });
});

describe('errors say what to do (hint in --json)', () => {
  it('an unknown run, an unknown filter value and a run that is not green carry a hint', async () => {
    const repo = makeRepo(SAMPLE);
    for (const args of [
      ['show', 'nope', '--json'],
      ['log', '--status', 'gren', '--json'],
    ]) {
      const r = await runCli(args, { cwd: repo });
      expect(r.exitCode, args.join(' ')).toBe(2);
      const json = parseJson<{ error: { message: string; hint: string | null } }>(r.stdout);
      expect(json.error.hint, args.join(' ')).toEqual(expect.any(String));
    }
  });
});
