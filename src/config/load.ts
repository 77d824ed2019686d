/**
 * Config: `duo.config.json` at the repo root (or --config / DUO_CONFIG), validated with zod. An invalid file is
 * a usage error that names the path inside the file and the shape expected there.
 */

import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { stripJsonComments } from './jsonc.js';
import { nearest } from './nearest.js';
import { Config } from './schema.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const CONFIG_FILE = 'duo.config.json';

export function loadConfig(repoRoot: string, explicit?: string): { config: Config; path: string | null } {
  const candidate = explicit ?? process.env.DUO_CONFIG;
  const file = candidate ? resolve(candidate) : join(repoRoot, CONFIG_FILE);
  if (!existsSync(file)) {
    if (candidate) throw new ConfigError(`config file ${file} does not exist; pass an existing file to --config.`);
    return { config: Config.parse({}), path: null };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(stripJsonComments(readFileSync(file, 'utf8')));
  } catch (e) {
    throw new ConfigError(`config file ${file} is not valid JSON: ${(e as Error).message}`);
  }
  const parsed = Config.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `  ${describeIssue(i, raw)}`).join('\n');
    throw new ConfigError(
      `config file ${file} is invalid:\n${issues}\nExpected shape: { "roles": { "driver": "claude", "skeptic": "codex" }, ` +
        '"agents": { "<name>": { "kind": "claude"|"codex"|"command"|"scripted", ... } }, "verify": ["npm test"], ' +
        '"limits": { "planRounds": 3, ... }, "parallel": 2 } — see docs/configuration.md.',
    );
  }
  // Scenario paths are relative to the config file.
  for (const agent of Object.values(parsed.data.agents)) {
    if (agent.kind === 'scripted' && !isAbsolute(agent.scenario))
      agent.scenario = resolve(dirname(file), agent.scenario);
  }
  return { config: parsed.data, path: file };
}

type Issue = z.core.$ZodIssue;

function describeIssue(issue: Issue, raw: unknown): string {
  const at = issue.path.map(String);
  if (issue.code !== 'unrecognized_keys') return `at ${at.join('.') || '(root)'}: ${issue.message}`;
  const valid = knownKeys(at, raw);
  return issue.keys
    .map((key) => {
      const name = [...at, key].join('.');
      const near = nearest(key, valid);
      return near
        ? `unknown key "${name}" (did you mean "${near}"?)`
        : `unknown key "${name}"; valid keys here: ${valid.join(', ')}`;
    })
    .join('\n  ');
}

/** The keys the schema accepts for the object at `path` of the raw config (an agent's keys depend on its kind). */
function knownKeys(path: string[], raw: unknown): string[] {
  let schema: z.ZodType = Config;
  let value: unknown = raw;
  const unwrap = (s: z.ZodType): z.ZodType =>
    s instanceof z.ZodDefault || s instanceof z.ZodOptional ? unwrap(s.unwrap() as z.ZodType) : s;
  for (const segment of path) {
    schema = unwrap(schema);
    value = value && typeof value === 'object' ? (value as Record<string, unknown>)[segment] : undefined;
    if (schema instanceof z.ZodObject) schema = schema.shape[segment] as z.ZodType;
    else if (schema instanceof z.ZodRecord) schema = schema.valueType as z.ZodType;
    else return [];
  }
  schema = unwrap(schema);
  if (schema instanceof z.ZodDiscriminatedUnion) {
    const kind = (value as { kind?: unknown } | undefined)?.kind;
    const options = schema.options as z.ZodObject[];
    schema = options.find((o) => (o.shape.kind as z.ZodLiteral).value === kind) ?? options[0]!;
  }
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}
