import { describe, expect, it } from 'vitest';
import { Ledger } from '../../../src/protocol/findings-ledger.js';
import type { Critique, FindingAnswer } from '../../../src/protocol/schemas.js';
import { finding, runState } from '../../support/state.js';

/** The findings ledger on an in-memory run record: every entry ends fixed, rebutted, escalated or (at the cap) open. */
function ledgerWith(...ids: string[]) {
  const state = runState();
  const ledger = new Ledger(state);
  ledger.add(
    'plan',
    1,
    ids.map((id) => finding(id)),
    't1',
  );
  return { state, ledger };
}

const rechecks = (...r: Critique['rechecks']): Critique => ({
  verdict: 'revise',
  summary: '',
  findings: [],
  rechecks: r,
});
const fix = (findingId: string, note = 'changed it'): FindingAnswer => ({ findingId, action: 'fix', note });
const rebut = (findingId: string, note = 'it is fine because y'): FindingAnswer => ({
  findingId,
  action: 'rebut',
  note,
});

describe('Ledger.add', () => {
  it('records each finding as an open entry with its raised history, keeping the skeptic id', () => {
    const state = runState();
    const added = new Ledger(state).add('review', 2, [finding('R1', { claim: 'off by one' })], 't1');
    expect(added).toHaveLength(1);
    expect(state.findings).toEqual(added);
    expect(added[0]).toMatchObject({
      id: 'R1',
      phase: 'review',
      round: 2,
      resolution: 'open',
      answer: null,
      recheck: null,
      fixCommit: null,
      decision: null,
      history: [{ at: 't1', round: 2, event: 'raised', note: 'off by one' }],
    });
    expect(added[0]?.finding.id).toBe('R1');
  });

  it('gives a colliding id a -2, -3 suffix and writes it into the finding too', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.add('plan', 2, [finding('P1'), finding('P1')], 't2');
    expect(state.findings.map((f) => f.id)).toEqual(['P1', 'P1-2', 'P1-3']);
    expect(state.findings.map((f) => f.finding.id)).toEqual(['P1', 'P1-2', 'P1-3']);
  });

  it('names a finding with a blank id after its phase and position', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.add('review', 1, [finding('  ')], 't2');
    expect(state.findings[1]?.id).toBe('R2');
  });

  it('suffixes a generated id that collides from the generated id, never from the blank one', () => {
    // The generated name for the second finding is P2, which the skeptic already used.
    const state = runState();
    const ledger = new Ledger(state);
    ledger.add('plan', 1, [finding('P2')], 't1');
    ledger.add('plan', 1, [finding('')], 't1');
    expect(state.findings.map((f) => f.id)).toEqual(['P2', 'P2-2']);
  });

  it('suffixes a padded id from its trimmed form', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.add('plan', 2, [finding(' P1 ')], 't2');
    expect(state.findings.map((f) => f.id)).toEqual(['P1', 'P1-2']);
  });
});

describe('Ledger queries', () => {
  it('open() and blocking() filter by resolution, phase and severity', () => {
    const state = runState();
    const ledger = new Ledger(state);
    ledger.add(
      'plan',
      1,
      [
        finding('B', { severity: 'blocker' }),
        finding('M', { severity: 'major' }),
        finding('m', { severity: 'minor' }),
        finding('n', { severity: 'nit' }),
      ],
      't',
    );
    ledger.add('review', 1, [finding('RB', { severity: 'blocker' })], 't');
    ledger.answer([{ findingId: 'M', action: 'escalate', note: 'ask' }], 1, 't', null);
    expect(ledger.open('plan').map((e) => e.id)).toEqual(['B', 'm', 'n']);
    expect(ledger.open().map((e) => e.id)).toEqual(['B', 'm', 'n', 'RB']);
    expect(ledger.blocking('plan').map((e) => e.id)).toEqual(['B']);
    expect(ledger.blocking('review').map((e) => e.id)).toEqual(['RB']);
    expect(ledger.get('nope')).toBeUndefined();
    expect(ledger.entries).toBe(state.findings);
  });
});

describe('Ledger.answer', () => {
  it('records the answer and its history; a fix keeps the commit that carries it', () => {
    const { state, ledger } = ledgerWith('P1', 'P2');
    const ignored = ledger.answer([fix('P1', 'guarded'), rebut('P2', 'not reachable')], 1, 't2', 'abc123');
    expect(ignored).toEqual([]);
    const [p1, p2] = state.findings;
    expect(p1?.answer).toEqual({ action: 'fix', note: 'guarded', round: 1 });
    expect(p1?.fixCommit).toBe('abc123');
    expect(p1?.history.at(-1)).toEqual({ at: 't2', round: 1, event: 'driver-fix', note: 'guarded' });
    expect(p2?.answer).toEqual({ action: 'rebut', note: 'not reachable', round: 1 });
    expect(p2?.fixCommit).toBeNull();
    expect(p2?.history.at(-1)?.event).toBe('driver-rebut');
    // Both wait for the skeptic's re-check.
    expect(state.findings.map((f) => f.resolution)).toEqual(['open', 'open']);
    expect(state.disagreements).toEqual([]);
  });

  it('does not set a fix commit when there is none (plan phase)', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.answer([fix('P1')], 1, 't2', null);
    expect(state.findings[0]?.fixCommit).toBeNull();
  });

  it('escalates at once on the driver escalating, with a disagreement that says so', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.answer([{ findingId: 'P1', action: 'escalate', note: 'needs a product call' }], 1, 't2', null);
    expect(state.findings[0]?.resolution).toBe('escalated');
    expect(state.disagreements).toEqual([
      {
        at: 't2',
        phase: 'plan',
        findingId: 'P1',
        severity: 'major',
        topic: 'claim P1',
        driver: 'escalate: needs a product call',
        skeptic: 'evidence P1',
        outcome: 'the driver escalated it to the human',
      },
    ]);
  });

  it('ignores and returns answers to unknown or already-closed ids, inventing no entries', () => {
    const { state, ledger } = ledgerWith('P1', 'P2');
    ledger.answer([{ findingId: 'P2', action: 'escalate', note: 'x' }], 1, 't2', null);
    const before = structuredClone(state.findings);
    const ignored = ledger.answer([fix('P9'), fix('P2')], 2, 't3', 'c0ffee');
    expect(ignored).toEqual(['P9', 'P2']);
    expect(state.findings).toEqual(before);
    expect(ledger.get('P9')).toBeUndefined();
  });
});

describe('Ledger.recheck', () => {
  it('a fix the skeptic calls resolved is fixed', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.answer([fix('P1')], 1, 't2', 'abc');
    ledger.recheck(rechecks({ findingId: 'P1', status: 'resolved', note: 'looks right' }), 2, 't3');
    const e = state.findings[0];
    expect(e?.resolution).toBe('fixed');
    expect(e?.recheck).toEqual({ status: 'resolved', note: 'looks right', round: 2 });
    expect(e?.history.at(-1)).toEqual({ at: 't3', round: 2, event: 'skeptic-resolved', note: 'looks right' });
    expect(state.disagreements).toEqual([]);
  });

  it('a held fix stays open with no disagreement, and can be fixed next round', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.answer([fix('P1')], 1, 't2', 'abc');
    ledger.recheck(rechecks({ findingId: 'P1', status: 'hold', note: 'still breaks on 0' }), 2, 't3');
    expect(state.findings[0]?.resolution).toBe('open');
    expect(state.findings[0]?.recheck?.status).toBe('hold');
    expect(state.disagreements).toEqual([]);

    ledger.answer([fix('P1', 'handled 0')], 2, 't4', 'def');
    ledger.recheck(rechecks({ findingId: 'P1', status: 'resolved', note: 'ok now' }), 3, 't5');
    expect(state.findings[0]?.resolution).toBe('fixed');
    expect(state.findings[0]?.fixCommit).toBe('def');
    expect(state.findings[0]?.history.map((h) => h.event)).toEqual([
      'raised',
      'driver-fix',
      'skeptic-hold',
      'driver-fix',
      'skeptic-resolved',
    ]);
  });

  it('an accepted rebuttal is rebutted, and recorded as a disagreement the skeptic gave up', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.answer([rebut('P1', 'x is never null')], 1, 't2', null);
    ledger.recheck(rechecks({ findingId: 'P1', status: 'accept-rebuttal', note: 'fair' }), 2, 't3');
    expect(state.findings[0]?.resolution).toBe('rebutted');
    expect(state.disagreements).toHaveLength(1);
    expect(state.disagreements[0]).toMatchObject({
      findingId: 'P1',
      driver: 'rebut: x is never null',
      skeptic: 'evidence P1 — fair',
      outcome: "the skeptic accepted the driver's rebuttal: fair",
    });
  });

  it('a held rebuttal is escalated as an unresolved disagreement', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.answer([rebut('P1')], 1, 't2', null);
    ledger.recheck(rechecks({ findingId: 'P1', status: 'hold', note: 'null comes from the API' }), 2, 't3');
    expect(state.findings[0]?.resolution).toBe('escalated');
    expect(state.disagreements[0]?.outcome).toBe(
      'unresolved — the skeptic held its finding against the rebuttal: null comes from the API',
    );
    expect(state.disagreements[0]?.skeptic).toBe('evidence P1 — null comes from the API');
  });

  it('skips re-checks of unknown, unanswered or closed entries', () => {
    const { state, ledger } = ledgerWith('P1', 'P2', 'P3');
    ledger.answer([fix('P3')], 1, 't2', 'abc');
    ledger.recheck(rechecks({ findingId: 'P3', status: 'resolved', note: 'ok' }), 2, 't3');
    const before = structuredClone(state);
    ledger.recheck(
      rechecks(
        { findingId: 'P9', status: 'resolved', note: 'unknown' },
        { findingId: 'P1', status: 'resolved', note: 'never answered' },
        { findingId: 'P3', status: 'hold', note: 'already fixed' },
      ),
      3,
      't4',
    );
    expect(state).toEqual(before);
  });
});

describe('Ledger.escalate and closeRounds', () => {
  it('escalate sends an open entry to the human with the reason, even unanswered', () => {
    const { state, ledger } = ledgerWith('P1');
    const e = ledger.get('P1')!;
    ledger.escalate(e, 't2', 'a disputed blocker');
    expect(e.resolution).toBe('escalated');
    expect(e.history.at(-1)).toEqual({ at: 't2', round: 1, event: 'escalated', note: 'a disputed blocker' });
    expect(state.disagreements).toEqual([
      expect.objectContaining({ driver: '(no answer)', outcome: 'a disputed blocker' }),
    ]);
  });

  it('closeRounds leaves what is open open, records a disagreement for each, and touches no other phase', () => {
    const { state, ledger } = ledgerWith('P1', 'P2');
    ledger.add('review', 1, [finding('R1')], 't1');
    ledger.answer([fix('P2')], 1, 't2', null);
    ledger.recheck(rechecks({ findingId: 'P2', status: 'resolved', note: 'ok' }), 2, 't3');
    const left = ledger.closeRounds('plan', 't4', 3);
    expect(left.map((e) => e.id)).toEqual(['P1']);
    expect(ledger.get('P1')?.resolution).toBe('open');
    expect(ledger.get('P1')?.history.at(-1)).toEqual({
      at: 't4',
      round: 3,
      event: 'round-cap',
      note: 'still open after 3 round(s)',
    });
    expect(state.disagreements.map((d) => [d.findingId, d.outcome])).toEqual([
      ['P1', 'unresolved after 3 round(s); left open'],
    ]);
    expect(ledger.get('R1')?.history).toHaveLength(1);
  });

  it('keeps one disagreement per finding: a later outcome replaces the earlier one', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.closeRounds('plan', 't2', 3);
    ledger.escalate(ledger.get('P1')!, 't3', 'the human must pick');
    expect(state.disagreements).toHaveLength(1);
    expect(state.disagreements[0]).toMatchObject({ at: 't3', outcome: 'the human must pick' });
  });
});

describe('Ledger.decided', () => {
  it('records the human decision on the entry and appends it to its disagreement', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.escalate(ledger.get('P1')!, 't2', 'disputed');
    ledger.decided('P1', 'skeptic: do it their way', 't3');
    const e = ledger.get('P1');
    expect(e?.decision).toBe('skeptic: do it their way');
    expect(e?.history.at(-1)).toEqual({
      at: 't3',
      round: 1,
      event: 'human-decision',
      note: 'skeptic: do it their way',
    });
    expect(state.disagreements[0]?.outcome).toBe('disputed; decided by the human: skeptic: do it their way');
  });

  it('works without a disagreement, and does nothing for an unknown id', () => {
    const { state, ledger } = ledgerWith('P1');
    ledger.decided('P1', 'driver', 't2');
    expect(ledger.get('P1')?.decision).toBe('driver');
    expect(state.disagreements).toEqual([]);
    const before = structuredClone(state);
    ledger.decided('P9', 'driver', 't3');
    expect(state).toEqual(before);
  });
});
