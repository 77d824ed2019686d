import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { listMemory } from '../../src/record/memory.js';
import { runFacts } from '../../src/record/run-facts.js';
import { RunStore } from '../../src/record/store.js';
import { tempDir } from '../support/harness.js';

/**
 * Records users already have must keep loading as the record's types tighten: a state.json written by duo before
 * this version (a demo pair run with a revert, integrity verdicts, a baseline) loads through the current schema,
 * every field it had read back as it was, and the typed fields hold the values the loose ones held.
 */
const fixtures = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'records');

function storeWith(fixture: string, runId: string): RunStore {
  const repo = tempDir('duo-compat-');
  const dir = join(repo, '.duo', 'runs', runId);
  mkdirSync(dir, { recursive: true });
  copyFileSync(join(fixtures, fixture), join(dir, 'state.json'));
  return new RunStore(repo);
}

describe('a record written by an earlier duo', () => {
  it('loads through the current schema with its values intact', () => {
    const raw = JSON.parse(readFileSync(join(fixtures, 'demo-pair-2026-11-25.json'), 'utf8'));
    const state = storeWith('demo-pair-2026-11-25.json', raw.runId).load(raw.runId);
    expect(state.status).toBe('green');
    expect(state.requestedMode).toBe('pair');
    expect(state.findings.map((f) => [f.id, f.phase, f.resolution])).toEqual(
      raw.findings.map((f: { id: string; phase: string; resolution: string }) => [f.id, f.phase, f.resolution]),
    );
    expect(state.findings.flatMap((f) => f.history.map((h) => h.event))).toEqual(
      raw.findings.flatMap((f: { history: { event: string }[] }) => f.history.map((h) => h.event)),
    );
    expect(state.verify.map((v) => v.status)).toEqual(['red', 'red', 'green']);
    expect(state.verify[0]?.integrity?.comparisons[0]?.base?.counts).toEqual(
      raw.verify[0].integrity.comparisons[0].base.counts,
    );
    expect(state.reverts).toEqual(raw.reverts);
    expect(state.baseline?.results[0]?.command).toBe('npm test');
    expect(state.changes.map((c) => c.status)).toEqual(['A', 'A']);
  });

  it('joins the memory: its declined findings get fingerprints from their claims and files', async () => {
    const raw = JSON.parse(readFileSync(join(fixtures, 'demo-pair-2026-11-25.json'), 'utf8'));
    const store = storeWith('demo-pair-2026-11-25.json', raw.runId);
    const state = store.load(raw.runId);
    const declined = runFacts(state).declined;
    expect(declined.map((d) => [d.findingId, d.by])).toEqual([
      ['P3', 'skeptic'],
      ['R2', 'skeptic'],
    ]);
    expect(declined.every((d) => /^[0-9a-f]{16}$/.test(d.fingerprint) && d.anchor === null)).toBe(true);
    expect((await listMemory({ repoRoot: store.repoRoot })).declined.map((d) => d.findingId).sort()).toEqual([
      'P3',
      'R2',
    ]);
  });

  it('a value outside the record’s types is reported as damage, naming the field', () => {
    const raw = JSON.parse(readFileSync(join(fixtures, 'demo-pair-2026-11-25.json'), 'utf8'));
    const store = storeWith('demo-pair-2026-11-25.json', raw.runId);
    raw.findings[0].history[0].event = 'made-up';
    const file = join(store.dir(raw.runId), 'state.json');
    writeFileSync(file, JSON.stringify(raw));
    expect(() => store.load(raw.runId)).toThrow(/findings\.0\.history\.0\.event/);
  });
});
