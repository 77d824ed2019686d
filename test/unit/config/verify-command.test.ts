import { describe, expect, it } from 'vitest';
import { Config } from '../../../src/config/schema.js';
import {
  cannotFail,
  givenCommands,
  givenVerify,
  guessKind,
  resolveVerify,
} from '../../../src/config/verify-command.js';

describe('a verify command must be able to fail', () => {
  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['# npm test', /only a comment/],
    ['true', /always succeeds/],
    [':', /always succeeds/],
    ['exit 0', /exit 0/],
    ['echo tests pass', /always succeeds/],
    ['npm test || true', /ends in `\|\| true`/],
    ['npm run lint || :', /ends in `\|\| :`/],
    ['npm test; true', /ends in `; true`/],
    ['npm test; exit 0', /exit 0/],
    ['pytest -q || exit 0', /exit 0/],
    ['exit 0; npm test', /exit 0/],
    ['npm test 2>&1 | tee out.log', /end of a pipeline.*pipefail/],
    ['npm test &', /background/],
    ['A=1 true', /always succeeds/],
  ])('%j cannot fail', (command, why) => expect(cannotFail(command)).toMatch(why));

  it.each([
    'npm test',
    'make check',
    'npm test && true',
    'npm test && echo done',
    'npm test > out.log 2>&1',
    'set -o pipefail; npm test | tee out.log',
    'npm test; exit',
    'false || npm test',
    'npm test & wait',
    'bash -c "npm test || true"',
    'if true; then npm test; fi',
    'node --test "test/a b.test.js" # the slow one',
  ])('%j can fail', (command) => expect(cannotFail(command)).toBeNull());

  it('the config rejects one, naming it', () => {
    const r = Config.safeParse({ verify: ['npm test', 'npm run lint || true'] });
    expect(r.success).toBe(false);
    expect(r.error?.issues).toEqual([
      expect.objectContaining({
        path: ['verify', 1],
        message: expect.stringMatching(/cannot fail: it ends in `\|\| true`/),
      }),
    ]);
  });
});

describe('the verify-command precedence (givenVerify / resolveVerify)', () => {
  const detected = [{ command: 'make check', kind: 'test' as const, source: 'Makefile' }];
  const detect = async () => detected;

  it('takes the first place that gives any commands: flags over the run config over the repo config', async () => {
    const lists = [
      { source: 'flag', commands: [] },
      { source: 'run-config', commands: ['npx tsc --noEmit'] },
      { source: 'repo-config', commands: ['npm test'] },
    ];
    expect(await resolveVerify(lists, detect)).toEqual([
      { command: 'npx tsc --noEmit', kind: 'typecheck', source: 'run-config' },
    ]);
    expect(givenCommands([{ source: 'flag', commands: ['npm run lint', 'pytest -q'] }, ...lists.slice(1)])).toEqual([
      'npm run lint',
      'pytest -q',
    ]);
  });

  it('detects only when no place gives a command', async () => {
    let asked = 0;
    const counting = async () => {
      asked++;
      return detected;
    };
    expect(
      await resolveVerify(
        [
          { source: 'flag', commands: undefined },
          { source: 'config', commands: [] },
        ],
        counting,
      ),
    ).toBe(detected);
    expect(asked).toBe(1);
    await resolveVerify([{ source: 'config', commands: ['npm test'] }], counting);
    expect(asked).toBe(1);
    expect(givenVerify([])).toBeNull();
    expect(givenCommands([{ source: 'flag', commands: [] }])).toEqual([]);
  });

  it('guesses the kind of a named command from its words', () => {
    expect(guessKind('npx tsc --noEmit')).toBe('typecheck');
    expect(guessKind('mypy src')).toBe('typecheck');
    expect(guessKind('npm run lint')).toBe('lint');
    expect(guessKind('cargo clippy')).toBe('lint');
    expect(guessKind('npm test')).toBe('test');
    expect(guessKind('pytest -q')).toBe('test');
    expect(guessKind('make')).toBe('other');
  });
});
