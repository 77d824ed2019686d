/**
 * What a user may type where a run id goes, and the run it means: nothing or `last` — the newest run; the whole id;
 * or a unique prefix of one (`duo show 20261125-09`). One resolver, used by every command that takes a run id (and
 * so by the MCP server, which calls those commands): the rule reads the same everywhere.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isRunId, RecordError, unknownRun } from './record-errors.js';
import { RunIndex } from './run-index.js';

/** The word that means "the newest run", wherever an id goes. */
export const NEWEST = 'last';

/** How many matches an ambiguous prefix lists before "…". */
const SHOWN = 8;

/** The run id that `ref` names in this repository's records (`runsDir` = `.duo/runs`). Throws a RecordError. */
export async function resolveRunRef(repoRoot: string, runsDir: string, ref: string | undefined): Promise<string> {
  const wanted = ref?.trim();
  if (!wanted || wanted === NEWEST) {
    const newest = (await new RunIndex(repoRoot).newest(1)).rows[0]?.runId;
    if (!newest) throw new RecordError('No duo runs in this repository yet.', 'Start one with: duo "<task>"');
    return newest;
  }
  if (!isRunId(wanted)) throw unknownRun(wanted);
  const runs = recordedRuns(runsDir);
  if (runs.includes(wanted)) return wanted;
  const matches = runs.filter((id) => id.startsWith(wanted)).sort();
  if (matches.length === 1) return matches[0] as string;
  if (matches.length === 0) throw unknownRun(wanted);
  const listed = matches.slice(0, SHOWN).join(', ') + (matches.length > SHOWN ? `, … (${matches.length} in all)` : '');
  throw new RecordError(
    `"${wanted}" is the start of ${matches.length} run ids: ${listed}.`,
    'Give more of the id (`duo log` lists the runs).',
  );
}

/** Run ids with a record (a folder holding state.json). */
function recordedRuns(runsDir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(runsDir);
  } catch {
    return [];
  }
  return names.filter((n) => statSync(join(runsDir, n, 'state.json'), { throwIfNoEntry: false })?.isFile());
}
