import { cardFor } from './cards.js';
import type { RunContext } from './context.js';
import { Ledger } from './findings-ledger.js';
import { contradictionPrompt } from './prompts/prompts.js';
import { WorkReport } from './schemas.js';

/**
 * The explicit way out. A driver that finds the task contradicts an existing test says so (`contradiction` in its
 * work report) instead of quietly bending the test — ImpossibleBench found that an explicit way out lowers
 * cheating. duo records it as an integrity finding and asks the human on a decision card: "driver" lets those
 * tests change (accepted by the human), "skeptic" keeps them; either way the driver then acts on it.
 */
export async function handleContradiction(ctx: RunContext, key: string, work: WorkReport): Promise<void> {
  const claim = work.contradiction;
  if (!claim) return;
  const tests = [...new Set(claim.tests.map((t) => t.trim().replace(/^\.\//, '')).filter(Boolean))].sort();
  const integrityKey = `contradiction:${JSON.stringify(tests)}`;
  const ledger = new Ledger(ctx.state);
  const at = ctx.at(key);
  let entry = ledger.entries.find((e) => e.integrityKey === integrityKey);
  if (!entry) {
    const n = ledger.entries.filter((e) => e.integrityKey?.startsWith('contradiction:')).length + 1;
    [entry] = ledger.add(
      'integrity',
      1,
      [
        {
          id: `C${n}`,
          severity: 'blocker',
          file: tests[0] ?? null,
          line: null,
          claim: `The driver says the task contradicts the existing test(s) ${tests.join(', ')}. Let it change them? (driver: yes; skeptic: keep the tests)`,
          evidence:
            "duo: the existing tests pin today's behaviour and are the spec; unless the task really changes that " +
            'behaviour, the code must pass them as they are.',
          stakes:
            'Changing a test changes what the project promises its users; keeping it may mean the task as written cannot be done in full.',
        },
      ],
      at,
    );
    if (!entry) return;
    entry.integrityKey = integrityKey;
    ledger.answer([{ findingId: entry.id, action: 'escalate', note: claim.reason }], 1, at, null);
  }
  const decision = await ctx.decide(cardFor(entry, at));
  const allowed = decision.pick === 'driver';
  ledger.decided(
    entry.id,
    `${decision.pick}: ${decision.text || (allowed ? 'the tests may change' : 'keep the tests as they are')}`,
    decision.decidedAt,
  );
  await ctx.callAgent(`${key}/contradiction`, 'driver', {
    purpose: 'resolve-contradiction',
    access: 'write',
    schema: WorkReport,
    schemaName: 'WorkReport',
    commitMessage: allowed
      ? `duo: change ${tests.join(', ')} as the human allowed`
      : `duo: keep ${tests.join(', ')}; make the code satisfy them`,
    ...contradictionPrompt(ctx.state.task, allowed, tests, decision.text),
  });
}
