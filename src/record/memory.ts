/**
 * The repository's memory of declined findings. It lives with the run index: each run's declined findings (a
 * rebuttal the skeptic accepted, or a human who sided with the driver — protocol/memory.ts) are part of its facts
 * line in `.duo/index/facts.jsonl`, derived from the run's record like everything in the index, so the memory is
 * rebuilt with it, two runs at once both land in it, and `duo stats`, `duo log --search <fingerprint>` and
 * `--all-repos` see what it sees. The one thing not derived from a record is a revocation: `duo memory forget`
 * appends it to `.duo/forgotten.jsonl`, and it hides every decline of that fingerprint made before it.
 *
 * The same thread declined in several runs is one entry: the newest decision, with how many times.
 */

import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SHORT } from '../protocol/fingerprint.js';
import type { CategoryAdoption, DeclinedFinding, Recall, RepoMemory } from '../protocol/memory.js';
import type { RunFacts } from './index-shapes.js';
import { RECORD_DIR, RecordError } from './record-errors.js';
import { reposWithRuns } from './repos.js';
import { readRules } from './rules.js';
import { RunIndex } from './run-index.js';
import { adoptionOf } from './stats.js';

export interface MemoryEntry extends DeclinedFinding {
  repo: string;
  /** The fingerprint as shown (and accepted by `duo memory forget`). */
  short: string;
  /** How many times this thread was declined, across runs. */
  times: number;
}

export interface Forgotten {
  fingerprint: string;
  at: string;
  by: string;
}

export interface RepoMemoryList {
  repos: string[];
  declined: MemoryEntry[];
  forgotten: (Forgotten & { repo: string })[];
}

function forgottenFile(repoRoot: string): string {
  return join(repoRoot, RECORD_DIR, 'forgotten.jsonl');
}

function readForgotten(repoRoot: string): Forgotten[] {
  const file = forgottenFile(repoRoot);
  if (!existsSync(file)) return [];
  const out: Forgotten[] = [];
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    try {
      const f = JSON.parse(line) as Forgotten;
      if (typeof f.fingerprint === 'string' && typeof f.at === 'string') out.push(f);
    } catch {
      // an empty or mangled line
    }
  }
  return out;
}

/** Every run's facts in one repository (the index checks each against its record). */
async function factsOf(repoRoot: string): Promise<RunFacts[]> {
  const index = new RunIndex(repoRoot);
  const refs = (await index.refs()).filter((r) => r.status !== 'damaged');
  return [...(await index.facts(refs)).values()];
}

/** The declined findings of one repository's runs, newest decision per thread, without the revoked ones. */
function declinedIn(repo: string, declines: DeclinedFinding[], forgotten: Forgotten[]): MemoryEntry[] {
  const threads = new Map<string, MemoryEntry>();
  for (const d of declines) {
    if (forgotten.some((f) => f.fingerprint === d.fingerprint && f.at >= d.at)) continue;
    const seen = threads.get(d.fingerprint);
    const times = (seen?.times ?? 0) + 1;
    if (!seen || d.at > seen.at)
      threads.set(d.fingerprint, { ...d, repo, short: d.fingerprint.slice(0, SHORT), times });
    else seen.times = times;
  }
  return [...threads.values()].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
}

/** `duo memory`: the declined findings of this repository (or of every repository), newest first. */
export async function listMemory(scope: { repoRoot: string } | 'all'): Promise<RepoMemoryList> {
  const repos = scope === 'all' ? reposWithRuns() : [scope.repoRoot];
  const out: RepoMemoryList = { repos, declined: [], forgotten: [] };
  for (const repo of repos) {
    const forgotten = readForgotten(repo);
    const declines = (await factsOf(repo)).flatMap((f) => f.declined ?? []);
    out.declined.push(...declinedIn(repo, declines, forgotten));
    out.forgotten.push(...forgotten.map((f) => ({ ...f, repo })));
  }
  out.declined.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
  return out;
}

/**
 * `duo memory forget <fingerprint>`: revokes every decline of that thread made until now (a later run may decline
 * it again). Any unambiguous prefix of at least 4 characters names it.
 */
export async function forget(repoRoot: string, prefix: string, by: string): Promise<MemoryEntry> {
  const p = prefix.trim().toLowerCase();
  if (p.length < 4) throw new RecordError('give at least 4 characters of the fingerprint (`duo memory` lists them).');
  const { declined } = await listMemory({ repoRoot });
  const hits = declined.filter((d) => d.fingerprint.startsWith(p));
  if (!hits.length)
    throw new RecordError(
      `no declined finding in this repository's memory has fingerprint "${prefix}" (\`duo memory\` lists them).`,
    );
  if (hits.length > 1)
    throw new RecordError(
      `"${prefix}" names ${hits.length} findings (${hits.map((h) => h.short).join(', ')}): give more of it.`,
    );
  const hit = hits[0] as MemoryEntry;
  const file = forgottenFile(repoRoot);
  mkdirSync(dirname(file), { recursive: true });
  // One write with O_APPEND: revocations from several processes never interleave.
  appendFileSync(file, `${JSON.stringify({ fingerprint: hit.fingerprint, at: new Date().toISOString(), by })}\n`);
  return hit;
}

/** How often each reviewer's findings of each category were adopted, over this repository's runs. */
function adoptionIn(facts: RunFacts[]): CategoryAdoption[] {
  const cells = new Map<string, CategoryAdoption>();
  for (const f of facts.flatMap((r) => r.findings)) {
    const { counted, adopted } = adoptionOf(f);
    if (!counted || !f.category) continue;
    const key = `${f.reviewer.agent}\0${f.category}`;
    const cell = cells.get(key) ?? { agent: f.reviewer.agent, category: f.category, findings: 0, adopted: 0 };
    cells.set(key, cell);
    cell.findings++;
    if (adopted) cell.adopted++;
  }
  return [...cells.values()];
}

/** The memory port the CLI hands the engine: this repository's memory, house rules and adoption figures. */
export function indexMemory(repoRoot: string): RepoMemory {
  return {
    async recall(exceptRunId: string): Promise<Recall> {
      const facts = await factsOf(repoRoot);
      const declines = facts.flatMap((f) => f.declined ?? []).filter((d) => d.runId !== exceptRunId);
      return {
        declined: declinedIn(repoRoot, declines, readForgotten(repoRoot)).map(
          ({ repo: _r, short: _s, times: _t, ...d }) => d,
        ),
        rules: readRules(repoRoot),
        adoption: adoptionIn(facts),
      };
    },
  };
}
