import { describe, expect, it } from 'vitest';
import { cardFor, disputedBlockers } from '../../../src/protocol/cards.js';
import type { RunContext } from '../../../src/protocol/context.js';
import { entry, runState } from '../../support/state.js';

/** A disputed blocker becomes a card: the question, each side's position, and what is expensive to get wrong. */
describe('cardFor', () => {
  it('builds the card from the finding, the driver’s answer and the skeptic’s re-check', () => {
    const e = entry(
      'P1',
      {
        answer: { action: 'rebut', note: 'rounding down is what finance asked for', round: 1 },
        recheck: { status: 'hold', note: 'the spec says banker’s rounding', round: 2 },
      },
      { severity: 'blocker', file: 'src/money.ts', line: 40, claim: 'splits lose a cent', stakes: 'ledger drift' },
    );
    expect(cardFor(e, '2025-01-02T03:04:05.000Z')).toEqual({
      id: 'card-P1',
      phase: 'plan',
      findingId: 'P1',
      question: 'splits lose a cent (src/money.ts:40)',
      driverPosition: 'rounding down is what finance asked for',
      skepticPosition: 'evidence P1 — the spec says banker’s rounding',
      stakes: 'ledger drift',
      createdAt: '2025-01-02T03:04:05.000Z',
    });
  });

  it('says when the driver never answered, and gives the evidence alone without a re-check', () => {
    const card = cardFor(entry('R3', { phase: 'review' }, { file: null }), 't');
    expect(card.question).toBe('claim R3');
    expect(card.driverPosition).toBe('The driver did not answer this finding within the round limit.');
    expect(card.skepticPosition).toBe('evidence R3');
  });

  it('places a finding with a file but no line at the file', () => {
    expect(cardFor(entry('P1', {}, { line: null }), 't').question).toBe('claim P1 (src/x.js)');
  });

  it('drops an empty re-check note rather than leaving a dangling dash', () => {
    const e = entry('P1', { recheck: { status: 'hold', note: '', round: 2 } });
    expect(cardFor(e, 't').skepticPosition).toBe('evidence P1');
  });

  it('states the stakes from severity and phase when the skeptic gave none', () => {
    expect(cardFor(entry('V1', { phase: 'verify' }, { severity: 'blocker' }), 't').stakes).toBe(
      'A blocker verify finding: shipping over it unresolved may be expensive to undo.',
    );
  });
});

describe('disputedBlockers', () => {
  const state = runState({
    findings: [
      entry('P1', {}, { severity: 'blocker' }),
      entry('P2', { resolution: 'escalated' }, { severity: 'blocker' }),
      entry('P3', { resolution: 'fixed' }, { severity: 'blocker' }),
      entry('P4', { resolution: 'escalated' }, { severity: 'major' }),
      entry('R1', { phase: 'review', resolution: 'escalated' }, { severity: 'blocker' }),
    ],
  });
  // Only the run record is read.
  const ctx = { state } as unknown as RunContext;

  it('lists the phase’s blockers that are escalated or still open', () => {
    expect(disputedBlockers(ctx, 'plan').map((e) => e.id)).toEqual(['P1', 'P2']);
    expect(disputedBlockers(ctx, 'review').map((e) => e.id)).toEqual(['R1']);
  });

  it('lists only the escalated ones when asked', () => {
    expect(disputedBlockers(ctx, 'plan', true).map((e) => e.id)).toEqual(['P2']);
  });
});
