import { describe, expect, it } from 'vitest';
import { triage } from '../../../src/protocol/triage.js';

/** `--mode auto`: money, auth, migrations and data integrity get the pair; questions an answer; the rest one agent. */
describe('triage', () => {
  it.each([
    ['fix the refund rounding for partial orders', 'money', 'refund'],
    ['Add a currency field to invoices', 'money', 'currency'],
    ['add OAuth login for GitHub', 'auth/security', 'OAuth'],
    ['rotate the JWT signing key', 'auth/security', 'JWT'],
    ['escape user input to prevent XSS in comments', 'auth/security', 'XSS'],
    ['write a migration that renames the users table', 'migration', 'migration'],
    ['backfill created_at for old rows', 'migration', 'backfill'],
    ['fix the race between the two workers', 'data integrity', 'race'],
    ['make the webhook handler idempotent', 'data integrity', 'idempotent'],
    ['guard against data loss when the disk is full', 'data integrity', 'data loss'],
  ])('%s → pair (%s)', (task, label, word) => {
    expect(triage(task)).toEqual({ mode: 'pair', reason: `touches ${label} ("${word}"): full pair` });
  });

  it('checks the risk classes in order: money before auth', () => {
    expect(triage('charge the card once the session is verified').reason).toBe('touches money ("charge"): full pair');
  });

  it('puts a high-risk question through the pair too: risk is checked before the question form', () => {
    expect(triage('how does the payment retry work?').mode).toBe('pair');
  });

  it('matches whole words only', () => {
    // tokenizer ≠ token, tracing ≠ race, pricey ≠ price: none is a risk word.
    expect(triage('add a tokenizer with tracing for pricey lookups').mode).toBe('solo');
  });

  it.each([
    'how does the cache layer work?',
    'Why is the build slow',
    'explain the retry loop in the fetcher',
    'the parser drops trailing commas?',
    '  what does --verbose print  ',
  ])('a question is answered directly: %s', (task) => {
    expect(triage(task)).toEqual({ mode: 'answer', reason: 'a question, not a change: a direct answer' });
  });

  it.each([
    'can you add a --verbose flag?',
    'should we rename getUser to fetchUser?',
    'how do I make the logger quieter',
  ])('a request phrased as a question is a change: %s', (task) => {
    expect(triage(task).mode).toBe('solo');
  });

  it('does not read a word that only starts like a question word as a question', () => {
    expect(triage('isolate the cache layer behind an interface').mode).toBe('solo');
  });

  it('sends anything else low-risk to one agent and says the gate still runs', () => {
    expect(triage('add a --json flag to the list command')).toEqual({
      mode: 'solo',
      reason: 'no money, auth, data-integrity or migration risk found: one agent, the gate still runs',
    });
  });
});
