/**
 * A run keeps the configuration it started with. `duo run --config s.json` and a later `duo resume <id>` must drive
 * the same agents with the same roles, verify commands and limits: a resume that took the repository's
 * `duo.config.json` instead once handed the scripted agents' session ids to the real CLIs. So the resolved config
 * (every default filled in, the command line's overrides applied) goes into the record when the run is created, and
 * a resume runs on it; `resume --config` replaces it explicitly, and the record (and so the report) says so.
 *
 * Secrets stay out of the record: an agent's environment variable named like one (`*_API_KEY`, `*_TOKEN`…) is
 * masked, as the store masks anything shaped like a key, and a resume takes it again from the file the run started
 * with.
 */

import { ConfigError, loadConfig } from '../config/load.js';
import { Config } from '../config/schema.js';
import { isSecretName, MASK } from '../sys/redact.js';
import type { RunConfigRecord, RunState } from './types.js';

/** What the record keeps of the config a run starts with. */
export function configRecord(config: Config, path: string | null, at: string): RunConfigRecord {
  const resolved = structuredClone(config) as Config;
  for (const agent of Object.values(resolved.agents)) {
    if (!('env' in agent)) continue;
    for (const name of Object.keys(agent.env)) if (isSecretName(name)) agent.env[name] = MASK;
  }
  return { resolved: resolved as unknown as Record<string, unknown>, path, at, changes: [] };
}

export interface ResumeConfig {
  config: Config;
  path: string | null;
  /** The record's config as it is to be saved with this resume (a change appended when it changed). */
  record: RunConfigRecord;
  /** Said to the user when the config is not simply the run's own: an override, or a record that had none. */
  note: string | null;
}

/**
 * Which configuration a resume runs on: `--config <file>` when given (an explicit override, recorded), else the
 * run's own, else — a record written before duo kept one — the repository's config as it is now, adopted and
 * recorded so every later resume uses the same. DUO_CONFIG is not an override: it is what a new run starts with.
 */
export function resumeConfig(
  state: RunState,
  repoRoot: string,
  explicit: string | undefined,
  now: string,
): ResumeConfig {
  const own = state.config;
  if (explicit !== undefined || !own) {
    const loaded = explicit !== undefined ? loadConfig(repoRoot, explicit) : loadConfig(repoRoot);
    const why = explicit !== undefined ? 'override' : 'adopted';
    const record: RunConfigRecord = {
      ...configRecord(loaded.config, loaded.path, now),
      changes: [...(own?.changes ?? []), { at: now, path: loaded.path, why }],
    };
    return { config: loaded.config, path: loaded.path, record, note: changeNote(own, record) };
  }
  const config = restoreSecrets(own, repoRoot, state.runId);
  const parsed = Config.safeParse(config);
  if (!parsed.success)
    throw new ConfigError(
      `the configuration run ${state.runId} started with no longer validates ` +
        `(${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}); ` +
        'resume it with --config <file> to give it one.',
    );
  return { config: parsed.data, path: own.path, record: own, note: null };
}

/** In words, for the terminal and the report: what the latest change of a run's configuration was. */
export function changeNote(before: RunConfigRecord | null, after: RunConfigRecord): string | null {
  const last = after.changes.at(-1);
  if (!last) return null;
  const named = (path: string | null) => (path ? path : 'the defaults (no config file)');
  if (last.why === 'override')
    return (
      `resumed with --config ${named(last.path)} instead of the configuration the run started with ` +
      `(${before ? named(before.path) : 'not recorded'}); the run keeps it from here on.`
    );
  return (
    `this run's record predates saved configurations: resumed with ${named(last.path)} as it is now, ` +
    'which the run keeps from here on.'
  );
}

/** Every line the report gives the run's configuration: only said when it changed after the start. */
export function configHistory(record: RunConfigRecord | null): string[] {
  if (!record?.changes.length) return [];
  return record.changes.map((c) =>
    c.why === 'override'
      ? `${c.at}: resumed with --config ${c.path ?? '(defaults)'} (replacing the configuration it started with)`
      : `${c.at}: the record kept no configuration; resumed with ${c.path ?? 'the defaults'} as it was then`,
  );
}

/**
 * The recorded config with its masked secrets filled in again from the file it came from. A secret that file no
 * longer holds cannot be guessed: the user gives the config again.
 */
function restoreSecrets(own: RunConfigRecord, repoRoot: string, runId: string): unknown {
  const masked: string[][] = [];
  const walk = (v: unknown, at: string[]): void => {
    if (typeof v === 'string' && v.includes(MASK)) masked.push(at);
    else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, [...at, k]);
  };
  walk(own.resolved, []);
  if (!masked.length) return own.resolved;
  const where = masked.map((p) => p.join('.')).join(', ');
  const gone = (why: string) =>
    new ConfigError(
      `run ${runId} started with secrets duo does not write into its record (${where}), and ${why}; ` +
        'resume it with --config <file> to give them again.',
    );
  if (!own.path) throw gone('it had no config file to take them from');
  let source: unknown;
  try {
    source = loadConfig(repoRoot, own.path).config;
  } catch (e) {
    throw gone(`${own.path} cannot be read now (${(e as Error).message.split('\n')[0]})`);
  }
  const restored = structuredClone(own.resolved) as Record<string, unknown>;
  for (const path of masked) {
    const value = valueAt(source, path);
    if (typeof value !== 'string') throw gone(`${own.path} no longer has ${path.join('.')}`);
    setAt(restored, path, value);
  }
  return restored;
}

function valueAt(root: unknown, path: string[]): unknown {
  let v = root;
  for (const k of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[k] : undefined;
  return v;
}

function setAt(root: Record<string, unknown>, path: string[], value: unknown): void {
  let v: Record<string, unknown> = root;
  for (const k of path.slice(0, -1)) v = v[k] as Record<string, unknown>;
  v[path.at(-1) as string] = value;
}
