import { describe, expect, it } from 'vitest';
import { shorthandMistake } from '../../../src/cli/argv.js';
import { editDistance } from '../../../src/config/nearest.js';

describe('which argv may start a run through the duo "<task>" shorthand (issue 9.2)', () => {
  it.each([
    [['make the total round half-even']],
    [['make', 'x', 'return', '2']],
    [['run', 'lgo']],
    [['run', 'fix']],
    [['--', 'fix']],
    [['log']],
    [['show', 'lgo']],
    [['--verify', 'lgo x', 'fix the bug']],
    [[]],
  ])('%j may', (argv) => {
    expect(shorthandMistake(argv, 'duo')).toBeUndefined();
  });

  it.each([
    [['lgo'], "unknown command 'lgo' (did you mean log?)"],
    [['lgo', '--json'], "unknown command 'lgo' (did you mean log?)"],
    [['--config', 'c.json', 'shwo', 'abc'], "unknown command 'shwo' (did you mean show?)"],
    [['doctr'], "unknown command 'doctr' (did you mean doctor?)"],
    [['clena', 'x', 'y'], "unknown command 'clena' (did you mean clean?)"],
    [['--yes', 'refactor'], "unknown command 'refactor'. A task says what to change"],
  ])('%j may not: %s', (argv, message) => {
    expect(shorthandMistake(argv, 'duo')).toContain(message);
  });

  it('counts a swap of neighbours as one edit', () => {
    expect(editDistance('lgo', 'log')).toBe(1);
    expect(editDistance('maxCostUSD', 'maxCostUsd')).toBe(0);
    expect(editDistance('apply', 'log')).toBeGreaterThan(1);
  });
});
