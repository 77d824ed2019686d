import { describe, expect, it } from 'vitest';
import { parseRules } from '../../../src/record/rules.js';

/** .duo/RULES.md as people edit it: list items are rules, ids optional, everything else ignored. */
describe('house rules', () => {
  it('reads each list item as a rule, with its id or one by position, continuation lines joined', () => {
    const text = [
      '# House rules',
      '',
      'Some prose that is not a rule.',
      '',
      '- [H1] Money stays in integer cents. _(kept from run 1, card-P3)_',
      '- Public functions get a JSDoc line,',
      '  even small ones.',
      '* [team-7] No new dependencies without a note in DESIGN.md',
      '```',
      '- not a rule: inside a code fence',
      '```',
      '- ',
    ].join('\n');
    expect(parseRules(text)).toEqual([
      { id: 'H1', text: 'Money stays in integer cents. _(kept from run 1, card-P3)_' },
      { id: 'H2', text: 'Public functions get a JSDoc line, even small ones.' },
      { id: 'team-7', text: 'No new dependencies without a note in DESIGN.md' },
    ]);
  });

  it('cuts a very long rule', () => {
    const [rule] = parseRules(`- ${'x'.repeat(2000)}`);
    expect(rule?.text.length).toBe(600);
    expect(rule?.text.endsWith('…')).toBe(true);
  });
});
