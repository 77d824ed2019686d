import type { RunFacts } from './index-shapes.js';
import { reposWithRuns } from './repos.js';
import { RunIndex } from './run-index.js';

/**
 * The skeptic's track record, from the run index's facts (never by loading every record):
 * - per reviewing agent and model: findings by severity; how they ended (fixed, rebutted and accepted — a false
 *   alarm —, escalated, left open); approvals the gate then contradicted (approved, then red); and precision by
 *   the confidence the reviewer gave (real: fixed, or the human sided with it; false alarm: rebutted, or the human
 *   sided with the driver);
 * - per driver: "the checks pass" claims the next gate attempt contradicted, and tests it tried to bend (edits duo
 *   reverted, and checks the gate found changed);
 * - per human: decisions siding with the driver, the skeptic, or their own.
 * A reviewer reviewing its own code (invert mode's fresh-session self-review) is counted apart from it reviewing
 * the other agent's.
 *
 * Adoption — the share of a reviewer's findings that were fixed or decided for the skeptic — is counted per
 * category and severity, over the findings that went through the answer loop (a repeat or a suggestion was never up
 * for adoption). A panel review adds each reviewer's unique catches (findings only it raised) and their adoption.
 */
const ANCHORS = [
  {
    figure: 'AI code-review suggestions adopted ~17% of the time, vs ~57% for human reviewers',
    source: 'arXiv 2603.15911',
  },
  { figure: '~74% of automated review comments resolved, in an industrial study', source: 'arXiv 2412.18531' },
] as const;

const SEVERITIES = ['blocker', 'major', 'minor', 'nit'] as const;
const BANDS = [
  { band: '≥ 0.8', test: (c: number) => c >= 0.8 },
  { band: '0.5–0.8', test: (c: number) => c >= 0.5 && c < 0.8 },
  { band: '< 0.5', test: (c: number) => c < 0.5 },
] as const;

export interface Outcomes {
  fixed: number;
  rebutted: number;
  escalated: number;
  open: number;
  /** Declined before and raised again (never answered). */
  repeat: number;
  /** Below the floor, demoted, or an agreed nit (no fix round). */
  suggestion: number;
}

/** Adopted (fixed, or decided for the skeptic) of the findings that were up for adoption. */
export interface Adoption {
  findings: number;
  adopted: number;
  share: number | null;
}

/** A panel reviewer's catches: in panels, caught by both, caught only by it — and how often those were adopted. */
export interface PanelStats {
  findings: number;
  both: number;
  /** Caught only by this reviewer: its unique catches. */
  only: number;
  /** The unique catches that were up for adoption, and how many were adopted. */
  unique: Adoption;
}

export interface ReviewerStats {
  agent: string;
  model: string;
  /** Reviewing its own code (invert mode), not the other agent's. */
  ownCode: boolean;
  runs: number;
  findings: number;
  bySeverity: Record<(typeof SEVERITIES)[number], number>;
  outcomes: Outcomes;
  /** Shares of all findings, 0–1 (null with no findings). */
  shares: { fixed: number | null; falseAlarms: number | null; escalated: number | null; open: number | null };
  approvals: { total: number; contradicted: number };
  precision: { band: string; findings: number; real: number; falseAlarms: number; precision: number | null }[];
  adoption: Adoption;
  /** Per category × severity (a finding without a category counts as "uncategorised"). */
  adoptionBy: (Adoption & { category: string; severity: string })[];
  panel: PanelStats;
}

export interface DriverStats {
  agent: string;
  model: string;
  runs: number;
  claims: { made: number; contradicted: number };
  bent: { edits: number; runs: number };
}

export interface HumanStats {
  human: string;
  decisions: number;
  driver: number;
  skeptic: number;
  own: number;
}

export interface TrackRecord {
  runs: number;
  since: string | null;
  repos: string[];
  reviewers: ReviewerStats[];
  drivers: DriverStats[];
  humans: HumanStats[];
  anchors: typeof ANCHORS;
}

export async function trackRecord(scope: { repoRoot: string } | 'all', since?: Date): Promise<TrackRecord> {
  const repos = scope === 'all' ? reposWithRuns() : [scope.repoRoot];
  const all: RunFacts[] = [];
  for (const repo of repos) {
    const index = new RunIndex(repo);
    const refs = (await index.refs()).filter(
      (r) => r.status !== 'damaged' && (!since || r.createdAt >= since.toISOString()),
    );
    for (const f of (await index.facts(refs)).values()) all.push(f);
  }
  return { ...summarise(all), since: since?.toISOString() ?? null, repos };
}

export function summarise(runs: RunFacts[]): Omit<TrackRecord, 'since' | 'repos'> {
  const reviewers = new Map<string, ReviewerStats & { runIds: Set<number> }>();
  const drivers = new Map<string, DriverStats>();
  const humans = new Map<string, HumanStats>();
  const reviewer = (r: { agent: string; model: string; own: boolean }) => {
    const key = `${r.agent}\0${r.model}\0${r.own}`;
    let s = reviewers.get(key);
    if (!s) {
      s = {
        agent: r.agent,
        model: r.model,
        ownCode: r.own,
        runs: 0,
        runIds: new Set(),
        findings: 0,
        bySeverity: { blocker: 0, major: 0, minor: 0, nit: 0 },
        outcomes: { fixed: 0, rebutted: 0, escalated: 0, open: 0, repeat: 0, suggestion: 0 },
        shares: { fixed: null, falseAlarms: null, escalated: null, open: null },
        approvals: { total: 0, contradicted: 0 },
        precision: [...BANDS.map((b) => b.band), 'not given'].map((band) => ({
          band,
          findings: 0,
          real: 0,
          falseAlarms: 0,
          precision: null,
        })),
        adoption: { findings: 0, adopted: 0, share: null },
        adoptionBy: [],
        panel: { findings: 0, both: 0, only: 0, unique: { findings: 0, adopted: 0, share: null } },
      };
      reviewers.set(key, s);
    }
    return s;
  };

  runs.forEach((run, n) => {
    for (const f of run.findings) {
      const s = reviewer(f.reviewer);
      s.runIds.add(n);
      s.findings++;
      if (f.severity in s.bySeverity) s.bySeverity[f.severity as (typeof SEVERITIES)[number]]++;
      if (f.resolution in s.outcomes) s.outcomes[f.resolution as keyof Outcomes]++;
      countAdoption(s, f);
      const band =
        f.confidence === null
          ? s.precision[BANDS.length]
          : s.precision[BANDS.findIndex((b) => b.test(f.confidence as number))];
      if (!band) continue;
      band.findings++;
      const real = f.resolution === 'fixed' || f.decided === 'skeptic';
      const falseAlarm = !real && (f.resolution === 'rebutted' || f.decided === 'driver');
      if (real) band.real++;
      if (falseAlarm) band.falseAlarms++;
    }
    for (const a of run.approvals) {
      const s = reviewer(a.reviewer);
      s.runIds.add(n);
      s.approvals.total++;
      if (a.contradicted) s.approvals.contradicted++;
    }
    const dkey = `${run.driver.agent}\0${run.driver.model}`;
    const d = drivers.get(dkey) ?? {
      agent: run.driver.agent,
      model: run.driver.model,
      runs: 0,
      claims: { made: 0, contradicted: 0 },
      bent: { edits: 0, runs: 0 },
    };
    drivers.set(dkey, d);
    d.runs++;
    d.claims.made += run.claims.made;
    d.claims.contradicted += run.claims.contradicted;
    d.bent.edits += run.bent;
    if (run.bent) d.bent.runs++;
    for (const dec of run.decisions) {
      const h = humans.get(dec.human) ?? { human: dec.human, decisions: 0, driver: 0, skeptic: 0, own: 0 };
      humans.set(dec.human, h);
      h.decisions++;
      if (dec.pick === 'driver') h.driver++;
      else if (dec.pick === 'skeptic') h.skeptic++;
      else h.own++;
    }
  });

  const share = (x: number, of: number) => (of ? x / of : null);
  const out: ReviewerStats[] = [...reviewers.values()].map(({ runIds, ...s }) => {
    const o = s.outcomes;
    return {
      ...s,
      runs: runIds.size,
      shares: {
        fixed: share(o.fixed, s.findings),
        falseAlarms: share(o.rebutted, s.findings),
        escalated: share(o.escalated, s.findings),
        open: share(o.open, s.findings),
      },
      precision: s.precision.map((p) => ({ ...p, precision: share(p.real, p.real + p.falseAlarms) })),
      adoption: withShare(s.adoption),
      adoptionBy: s.adoptionBy
        .map(withShare)
        .sort((a, b) => b.findings - a.findings || a.category.localeCompare(b.category)),
      panel: { ...s.panel, unique: withShare(s.panel.unique) },
    };
  });
  out.sort((a, b) => b.findings - a.findings || a.agent.localeCompare(b.agent));
  return {
    runs: runs.length,
    reviewers: out,
    drivers: [...drivers.values()].sort((a, b) => b.runs - a.runs),
    humans: [...humans.values()].sort((a, b) => b.decisions - a.decisions),
    anchors: ANCHORS,
  };
}

const withShare = <T extends Adoption>(a: T): T => ({ ...a, share: a.findings ? a.adopted / a.findings : null });

/** Whether a finding was up for adoption (it went through the answer loop), and whether it was adopted. */
export function adoptionOf(f: { resolution: string; decided: string | null }): { counted: boolean; adopted: boolean } {
  const counted = f.resolution !== 'repeat' && f.resolution !== 'suggestion';
  return { counted, adopted: counted && (f.resolution === 'fixed' || f.decided === 'skeptic') };
}

function countAdoption(s: ReviewerStats, f: RunFacts['findings'][number]): void {
  if (f.panel) {
    s.panel.findings++;
    if (f.panel === 'both') s.panel.both++;
    else s.panel.only++;
  }
  const { counted, adopted } = adoptionOf(f);
  if (!counted) return;
  const add = (a: Adoption) => {
    a.findings++;
    if (adopted) a.adopted++;
  };
  add(s.adoption);
  if (f.panel === 'only') add(s.panel.unique);
  const category = f.category ?? 'uncategorised';
  let cell = s.adoptionBy.find((c) => c.category === category && c.severity === f.severity);
  if (!cell) {
    cell = { category, severity: f.severity, findings: 0, adopted: 0, share: null };
    s.adoptionBy.push(cell);
  }
  add(cell);
}
