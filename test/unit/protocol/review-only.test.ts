import { describe, expect, it } from 'vitest';
import { standingFindings } from '../../../src/protocol/review-only.js';
import { entry } from '../../support/state.js';

/** What keeps a review red: a blocker/major finding nobody resolved. */
describe('standingFindings', () => {
  it('open or escalated-and-undecided blockers and majors stand; anything resolved, decided or minor does not', () => {
    const stands = [
      entry('A', { resolution: 'open' }, { severity: 'blocker' }),
      entry('B', { resolution: 'open' }, { severity: 'major' }),
      entry('C', { resolution: 'escalated' }, { severity: 'blocker' }),
    ];
    const not = [
      entry('D', { resolution: 'escalated', decision: 'driver: keep it' }, { severity: 'blocker' }),
      entry('E', { resolution: 'fixed' }, { severity: 'blocker' }),
      entry('F', { resolution: 'rebutted' }, { severity: 'major' }),
      entry('G', { resolution: 'open' }, { severity: 'minor' }),
      entry('H', { resolution: 'open' }, { severity: 'nit' }),
    ];
    expect(standingFindings([...not, ...stands]).map((e) => e.id)).toEqual(['A', 'B', 'C']);
  });
});
