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

  it('answers a question even when it names a risky word: asking changes nothing', () => {
    expect(triage('how does the payment retry work?')).toEqual({
      mode: 'answer',
      reason: 'a question, not a change: a direct answer',
    });
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
    'could we rename getUser to fetchUser?',
    'why does the parser drop commas? fix it',
  ])('a request phrased as a question, or beside one, is a change: %s', (task) => {
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

  /**
   * The classifier on the phrasings users type: questions, requests for explanation or advice and "should I …" are
   * answered — risky words or not — and anything that asks for a change, however politely or wherever in the task,
   * is a change (then its risk decides pair or solo).
   */
  it.each([
    // Questions and explanation requests naming risky words: answered, not paired.
    ['explain the auth flow', 'answer'],
    ['Explain how the JWT refresh works.', 'answer'],
    ['how does the payment retry work?', 'answer'],
    ['why is the session cookie not secure', 'answer'],
    ['what happens to the ledger when a refund fails?', 'answer'],
    ['is the token comparison constant-time?', 'answer'],
    ['which migrations touch the users table?', 'answer'],
    ['walk me through the billing pipeline', 'answer'],
    ['describe the race between the two workers', 'answer'],
    ['summarize how passwords are hashed', 'answer'],
    ['Is it safe to drop the legacy column?', 'answer'],
    ['quick question: does the invoice total include tax?', 'answer'],
    ['I want to understand how the OAuth callback validates state', 'answer'],
    ['can you explain the auth middleware?', 'answer'],
    // Questions naming code-writing verbs: still questions.
    ['what does add do?', 'answer'],
    ['What does `fix` in the CLI do', 'answer'],
    ['how do I make the logger quieter', 'answer'],
    ['how do I fix the flaky test?', 'answer'],
    ['where is the retry count set?', 'answer'],
    ['who calls deleteUser?', 'answer'],
    ['what does add and remove return for an empty list?', 'answer'],
    ['do we still need the polyfill for fetch?', 'answer'],
    ['compare the two cache strategies in src/cache.ts', 'answer'],
    ['tell me why the build is slow', 'answer'],
    ['help me understand the config loader', 'answer'],
    // Advice: "should I …" is answered.
    ['should I use a transaction here?', 'answer'],
    ['Should I add an index or a cache for this query?', 'answer'],
    ['should we rename getUser to fetchUser?', 'answer'],
    ['should the parser accept trailing commas?', 'answer'],
    // Imperative tasks with risky words: changes, paired.
    ['fix the auth flow', 'pair'],
    ['Make the invoice total round half-even', 'pair'],
    ['please fix the race in the worker pool', 'pair'],
    ['why does the refund fail? fix it', 'pair'],
    ['Why does login fail for SSO users? Please fix it.', 'pair'],
    ['explain the token bug and then fix it', 'pair'],
    ['can you add rate limiting to the login endpoint?', 'pair'],
    ['Fix: the session cookie is not marked secure', 'pair'],
    ["let's encrypt the secrets at rest", 'pair'],
    ['the payment tests fail, fix them', 'pair'],
    ['add a migration for the orders table. Should I also backfill?', 'pair'],
    // Imperative tasks without risk: one agent.
    ['add a --json flag to the list command', 'solo'],
    ['rename the helper in utils', 'solo'],
    ['can you add a --verbose flag?', 'solo'],
    ['Refactor src/x.js to use async/await', 'solo'],
    ['update README.md with the new flags', 'solo'],
    ['I need you to split the parser into two files', 'solo'],
    ['what is wrong with the parser? can you fix it?', 'solo'],
    ['help me add a retry to the fetcher', 'solo'],
    // Statements: judged by their risk.
    ['the parser drops trailing commas', 'solo'],
    ['the login page is broken', 'pair'],
    ['isolate the cache layer behind an interface', 'solo'],
  ] as const)('%s → %s', (task, mode) => {
    expect(triage(task).mode).toBe(mode);
  });
});
