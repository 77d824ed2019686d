import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A JSON Schema an agent CLI reads from a file (`codex exec --output-schema`, a command agent's `{schema}`):
 * written to schema.json in a fresh temporary directory for the length of `use`, and removed afterwards whatever
 * happened. Without a schema, `use` gets no path and nothing is written.
 */
export async function withSchemaFile<R>(
  schema: Record<string, unknown> | undefined,
  use: (path: string | undefined) => Promise<R>,
): Promise<R> {
  if (!schema) return use(undefined);
  const dir = await mkdtemp(join(tmpdir(), 'duo-schema-'));
  try {
    const path = join(dir, 'schema.json');
    await writeFile(path, JSON.stringify(schema, null, 2));
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
