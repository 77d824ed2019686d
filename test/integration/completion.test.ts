import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';

/**
 * `duo completion bash|zsh|fish` is generated from the command table commander parses with, so it cannot drift:
 * every command and every option `--help` lists appears in each script, and the bash one completes for real.
 */

/** Every visible command and its options, as `duo <command> --help` prints them. */
async function fromHelp(): Promise<Map<string, string[]>> {
  const cwd = tempDir();
  const top = (await runCli(['--help'], { cwd })).stdout;
  const commands = [...top.split('Commands:')[1]!.matchAll(/^ {2}([a-z]+) /gm)]
    .map((m) => m[1]!)
    .filter((c) => c !== 'help');
  const out = new Map<string, string[]>();
  for (const command of commands) {
    const help = (await runCli([command, '--help'], { cwd })).stdout;
    out.set(
      command,
      [...help.matchAll(/(?:^|[ ,])(--?[a-zA-Z][\w-]*)/gm)].map((m) => m[1]!).filter((o) => o !== '--'),
    );
  }
  return out;
}

describe('duo completion', () => {
  it('bash, zsh and fish scripts name every command and every option the help lists', async () => {
    const commands = await fromHelp();
    expect([...commands.keys()]).toEqual(expect.arrayContaining(['run', 'diff', 'completion', 'decide', 'wait']));
    expect(commands.get('decide')).toEqual(expect.arrayContaining(['--pick', '--amend', '--json']));
    for (const shell of ['bash', 'zsh', 'fish']) {
      const r = await runCli(['completion', shell], { cwd: tempDir() });
      expect(r.exitCode, r.stderr).toBe(0);
      for (const [command, options] of commands) {
        expect(r.stdout, `${shell}: ${command}`).toMatch(new RegExp(`\\b${command}\\b`));
        for (const option of options) {
          // fish writes an option as `-l name` / `-s n`.
          const spelt =
            shell !== 'fish' ? option : option.startsWith('--') ? `-l ${option.slice(2)}` : `-s ${option.slice(1)}`;
          expect(r.stdout.includes(spelt), `${shell}: ${command} ${option}`).toBe(true);
        }
      }
      // The hidden hook command is left out, as it is from the help.
      expect(r.stdout).not.toMatch(/\bhook\b/);
    }
    const bad = await runCli(['completion', 'tcsh'], { cwd: tempDir() });
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toMatch(/bash, zsh, fish/);
  });

  it('the bash script completes commands, options, --mode values and run ids', async () => {
    const repo = makeRepo(SAMPLE);
    execFileSync('mkdir', [
      '-p',
      join(repo, '.duo/runs/20260101-000000-aaaa'),
      join(repo, '.duo/runs/20260102-000000-bbbb'),
    ]);
    const script = join(tempDir(), 'duo.bash');
    writeFileSync(script, (await runCli(['completion', 'bash'], { cwd: repo })).stdout);
    const complete = (...words: string[]) =>
      execFileSync(
        'bash',
        [
          '-c',
          `source ${script}; COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}; _duo; printf '%s\\n' "\${COMPREPLY[@]}"`,
        ],
        { cwd: repo, encoding: 'utf8' },
      )
        .trim()
        .split('\n');
    expect(complete('duo', 'di')).toEqual(['diff']);
    expect(complete('duo', 'run', '--mo')).toEqual(['--mode']);
    expect(complete('duo', 'run', '--mode', 'in')).toEqual(['invert']);
    expect(complete('duox', 'show', '2026010')).toEqual(['20260102-000000-bbbb', '20260101-000000-aaaa']);
    expect(complete('duo', 'wait', 'la')).toEqual(['last']);
    expect(complete('duo', 'completion', 'z')).toEqual(['zsh']);
  });
});
