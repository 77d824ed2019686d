import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withSchemaFile } from '../../src/agents/schema-file.js';

describe('withSchemaFile', () => {
  it('writes the schema to schema.json for the length of the call, then removes its directory', async () => {
    let seen = '';
    const out = await withSchemaFile({ type: 'object' }, async (path) => {
      seen = path ?? '';
      expect(JSON.parse(readFileSync(seen, 'utf8'))).toEqual({ type: 'object' });
      return 'done';
    });
    expect(out).toBe('done');
    expect(seen).toMatch(/schema\.json$/);
    expect(existsSync(dirname(seen))).toBe(false);
  });

  it('removes it when the call fails too', async () => {
    let seen = '';
    const err = await withSchemaFile({ type: 'object' }, async (path) => {
      seen = path ?? '';
      throw new Error('boom');
    }).catch((e: unknown) => e as Error);
    expect(err.message).toBe('boom');
    expect(existsSync(dirname(seen))).toBe(false);
  });

  it('writes nothing without a schema', async () => {
    expect(await withSchemaFile(undefined, async (path) => path)).toBeUndefined();
  });
});
