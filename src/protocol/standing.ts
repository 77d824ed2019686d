import type { LedgerEntry } from './types.js';

/**
 * Blocker/major findings nobody resolved: open, or escalated without a human decision. The one rule the report, the
 * review and the lists of runs use; in its own module so the record's queries read it without loading the engine.
 */
export function standingFindings(findings: LedgerEntry[]): LedgerEntry[] {
  return findings.filter(
    (e) =>
      (e.finding.severity === 'blocker' || e.finding.severity === 'major') &&
      (e.resolution === 'open' || (e.resolution === 'escalated' && !e.decision)),
  );
}
