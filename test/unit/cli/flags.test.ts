import { Command, Option } from 'commander';
import { describe, expect, it } from 'vitest';
import * as F from '../../../src/cli/flags.js';

/** Every list of flags flags.ts declares for a command. */
const lists = Object.entries(F).filter(([name]) => name.endsWith('_FLAGS')) as [string, readonly F.Flag[]][];

describe('the flags, declared once (cli/flags.ts)', () => {
  it("names each flag's value by the property commander gives the command, so its declared type is the one it gets", () => {
    expect(lists.length).toBeGreaterThanOrEqual(19);
    for (const [name, flags] of lists)
      for (const f of flags)
        expect(`${name} ${f.spec} → ${f.key}`).toBe(`${name} ${f.spec} → ${new Option(f.spec).attributeName()}`);
  });

  it('declares a flag once per command', () => {
    for (const [name, flags] of lists) {
      const keys = flags.map((f) => f.key);
      expect(keys, name).toEqual([...new Set(keys)]);
    }
  });

  it('adds each flag as declared: help, repeatable values, choices, a default decided at parse time', () => {
    const seen: Record<string, unknown>[] = [];
    const cmd = F.addFlags(new Command('run').exitOverride(), F.RUN_FLAGS, (s, h) => new Option(s, h), {
      mode: 'invert',
    }).action((opts: F.RunFlags) => void seen.push(opts));
    cmd.parse(['--verify', 'npm test', '--verify', 'npm run lint', '--json', '-q'], { from: 'user' });
    expect(seen).toEqual([{ verify: ['npm test', 'npm run lint'], json: true, quiet: true, mode: 'invert' }]);
    expect(() =>
      F.addFlags(
        new Command('run').exitOverride().configureOutput({ writeErr: () => {} }),
        F.RUN_FLAGS,
        (s, h) => new Option(s, h),
      ).parse(['--mode', 'bogus'], { from: 'user' }),
    ).toThrow(/bogus/);
    expect(F.json.says('the run as JSON')).toMatchObject({ key: 'json', spec: '--json', help: 'the run as JSON' });
    expect(F.json.help).toBe('as JSON');
  });
});
