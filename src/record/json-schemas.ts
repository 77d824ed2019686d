/**
 * The `--json` wire schemas (run-json.ts) as JSON Schema, for users who parse duo's output with another language's
 * tools. `npm run build` writes them to dist/schema/<name>.json, so the package ships them and git holds only their
 * zod source: a generated copy in git could drift from the schema the writer is typed by.
 */

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { WIRE_SCHEMAS } from './run-json.js';

/** Each wire schema as JSON Schema (draft 2020-12), by name; what the parsers read, so defaults count as required. */
export function jsonSchemas(): Record<keyof typeof WIRE_SCHEMAS, Record<string, unknown>> {
  const out = {} as Record<keyof typeof WIRE_SCHEMAS, Record<string, unknown>>;
  for (const [name, schema] of Object.entries(WIRE_SCHEMAS) as [keyof typeof WIRE_SCHEMAS, z.ZodType][])
    out[name] = { ...z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' }), title: `duo ${name} --json` };
  return out;
}

/** The build's step: one file per schema in `dir`; returns the files written. */
export function writeJsonSchemas(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  return Object.entries(jsonSchemas()).map(([name, schema]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
    return file;
  });
}
