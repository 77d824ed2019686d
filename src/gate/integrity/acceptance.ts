/**
 * Who may accept a change to a protected file, and whether they did. Three parties can, and only they:
 * - **the plan**, when it declared the path in `testChanges` (exact files, or a folder with a trailing slash) and
 *   the skeptic stood behind the plan: it converged and no blocker/major plan finding was left disputed without a
 *   human siding with the driver. A single-agent run has nobody to accept a declaration: there the human decides;
 * - **the skeptic**, by accepting the driver's rebuttal of duo's integrity finding — or, in `duo review`, by leaving
 *   no blocker/major finding standing after it was shown the protected files the reviewed diff changes;
 * - **the human**, by siding with the driver on the finding's decision card.
 * Pure over a read-only view of the run record (RunState satisfies it).
 */

import type { Acceptance } from './shapes.js';

type Severity = 'blocker' | 'major' | 'minor' | 'nit';

/** The parts of the run record acceptance depends on. */
export interface AcceptanceView {
  mode: string;
  roles: { skeptic: string | null };
  planConverged: boolean | null;
  plan: { testChanges: readonly { path: string; reason: string }[] } | null;
  findings: readonly {
    id: string;
    phase: string;
    integrityKey?: string | undefined;
    resolution: string;
    finding: { severity: Severity };
    answer: { note: string } | null;
    recheck: { note: string } | null;
    decision: string | null;
  }[];
  decisions: readonly { cardId: string; pick: 'driver' | 'skeptic' | 'custom' }[];
  /** duo review: the protected paths the skeptic was shown, once its review ran; null otherwise. */
  reviewedProtected: readonly string[] | null;
}

type Entry = AcceptanceView['findings'][number];

/**
 * Paths a plan declared it changes on purpose: exact files, or a folder named with a trailing slash. No globs and
 * no root: a declaration the skeptic can read file by file, never a blanket "**" over every test.
 */
export function declaredMatcher(paths: readonly string[]): (path: string) => boolean {
  const clean = paths
    .map((p) => p.trim().replace(/^\.\//, ''))
    .filter((p) => p && !/[*?[\]{}]/.test(p) && p !== '/' && !p.startsWith('/') && !p.split('/').includes('..'));
  const files = new Set(clean.filter((p) => !p.endsWith('/')));
  const dirs = clean.filter((p) => p.endsWith('/'));
  return (path) => files.has(path) || dirs.some((d) => path.startsWith(d));
}

const serious = (e: Entry) => e.finding.severity === 'blocker' || e.finding.severity === 'major';

function humanPick(run: AcceptanceView, entry: Entry): 'driver' | 'skeptic' | 'custom' | undefined {
  return run.decisions.find((d) => d.cardId === `card-${entry.id}`)?.pick;
}

function planAccepted(run: AcceptanceView): boolean {
  if (run.mode === 'solo' || !run.roles.skeptic || run.planConverged !== true) return false;
  return !run.findings.some(
    (e) =>
      e.phase === 'plan' &&
      serious(e) &&
      (e.resolution === 'open' || e.resolution === 'escalated') &&
      humanPick(run, e) !== 'driver',
  );
}

/** Acceptance of an integrity entry after it was raised: the skeptic took the rebuttal, or the human sided with it. */
function entryAcceptance(run: AcceptanceView, entry: Entry): Acceptance | null {
  if (entry.resolution === 'rebutted')
    return { by: 'skeptic', note: entry.recheck?.note || entry.answer?.note || 'the skeptic accepted the reason' };
  if (humanPick(run, entry) === 'driver')
    return { by: 'human', note: entry.decision ?? 'the human accepted the change' };
  return null;
}

/** Accepted integrity issues by key, for the gate's verdict. */
export function acceptedIssues(run: AcceptanceView): Record<string, Acceptance> {
  const out: Record<string, Acceptance> = {};
  for (const e of run.findings) {
    if (e.phase !== 'integrity' || !e.integrityKey) continue;
    const a = entryAcceptance(run, e);
    if (a) out[e.integrityKey] = a;
  }
  return out;
}

/** Paths named by an integrity key: `kind:path[:…]`, or a contradiction's JSON list of paths. */
function keyPaths(key: string): string[] {
  if (key.startsWith('contradiction:')) {
    try {
      return JSON.parse(key.slice('contradiction:'.length)) as string[];
    } catch {
      return [];
    }
  }
  const [kind, rest] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
  if (kind === 'skip-added') return [rest.slice(0, rest.lastIndexOf(':'))];
  if (kind === 'gate-definition' || kind === 'test-changed') return [rest];
  return [];
}

/** duo review: a shown protected change counts as accepted once no blocker/major review finding stands. */
function reviewAcceptance(run: AcceptanceView, path: string): Acceptance | null {
  if (run.mode !== 'review' || !run.reviewedProtected?.includes(path)) return null;
  const standing = run.findings.some(
    (e) =>
      e.phase === 'review' &&
      serious(e) &&
      (e.resolution === 'open' || (e.resolution === 'escalated' && humanPick(run, e) !== 'driver')),
  );
  return standing
    ? null
    : { by: 'skeptic', note: 'the skeptic reviewed this change to a protected file and left no blocker/major finding' };
}

/** Why the run may change this protected path, or null when it may not (yet). */
export function pathAcceptance(run: AcceptanceView, path: string): Acceptance | null {
  const declared = run.plan?.testChanges.find((c) => declaredMatcher([c.path])(path));
  if (declared && planAccepted(run)) return { by: 'plan', note: declared.reason };
  const reviewed = reviewAcceptance(run, path);
  if (reviewed) return reviewed;
  for (const e of run.findings) {
    if (e.phase !== 'integrity' || !e.integrityKey || !keyPaths(e.integrityKey).includes(path)) continue;
    const a = entryAcceptance(run, e);
    if (a) return a;
  }
  return null;
}

/** The write guard lets a call change a protected path that is declared in the plan (agreed or not) or accepted. */
export function mayChange(run: AcceptanceView): (path: string) => boolean {
  const declared = declaredMatcher(run.plan?.testChanges.map((c) => c.path) ?? []);
  return (path) => declared(path) || pathAcceptance(run, path) !== null;
}
