import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { stripJsonComments } from './jsonc.js';
import { Config } from './schema.js';

/**
 * Config: `duo.config.json` at the repo root (or --config / DUO_CONFIG), validated with zod. An invalid file is
 * a usage error that names the path inside the file and the shape expected there.
 */
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
    const issues = parsed.error.issues.map((i) => `  at ${i.path.join('.') || '(root)'}: ${i.message}`).join('\n');
    throw new ConfigError(
      `config file ${file} is invalid:\n${issues}\nExpected shape: { "roles": { "driver": "claude", "skeptic": "codex" }, ` +
        '"agents": { "<name>": { "kind": "claude"|"codex"|"command"|"scripted", ... } }, "verify": ["npm test"], ' +
        '"limits": { "planRounds": 3, ... }, "parallel": 2 } — see the README.',
    );
  }
  // Scenario paths are relative to the config file.
  for (const agent of Object.values(parsed.data.agents)) {
    if (agent.kind === 'scripted' && !isAbsolute(agent.scenario))
      agent.scenario = resolve(dirname(file), agent.scenario);
  }
  return { config: parsed.data, path: file };
}

export function formatZodPath(error: z.ZodError): string {
  return z.prettifyError(error);
}
