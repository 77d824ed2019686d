import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas, writeJsonSchemas } from '../../../src/wire/json-schemas.js';
import { ErrorJson, RunCommandJson } from '../../../src/wire/run.js';

describe('the --json wire schemas exported as JSON Schema', () => {
  it('declares every field of the run, closed to fields the writer does not declare', () => {
    const run = jsonSchemas().run as { properties: Record<string, unknown>; required: string[] };
    expect(run).toMatchObject({ type: 'object', additionalProperties: false, title: 'duo run --json' });
    expect(Object.keys(run.properties).sort()).toEqual(Object.keys(RunCommandJson.shape).sort());
    // `apply` is absent when `resume` finds the run finished; every other field is always there.
    expect(run.required).not.toContain('apply');
    expect(run.required).toEqual(expect.arrayContaining(['runId', 'status', 'findings', 'verify', 'error']));
  });

  it('writes one file per schema, the same JSON jsonSchemas returns', () => {
    const dir = mkdtempSync(join(tmpdir(), 'duo-schema-'));
    try {
      const files = writeJsonSchemas(dir);
      expect(files.map((f) => f.slice(dir.length + 1)).sort()).toEqual([
        'apply.json',
        'budget.json',
        'cancel.json',
        'clean.json',
        'decide.json',
        'detached.json',
        'diff.json',
        'doctor.json',
        'error.json',
        'eval-mine.json',
        'eval-report.json',
        'eval-run.json',
        'init.json',
        'log-html.json',
        'log.json',
        'memory-forget.json',
        'memory.json',
        'review-nothing.json',
        'run.json',
        'show-html.json',
        'show.json',
        'stats.json',
        'status.json',
        'wait.json',
      ]);
      expect(JSON.parse(readFileSync(join(dir, 'error.json'), 'utf8'))).toEqual(jsonSchemas().error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every schema is closed: a field the writer does not declare fails the parse', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      const forms = (schema.anyOf as Record<string, unknown>[] | undefined) ?? [schema];
      for (const form of forms) expect(form.additionalProperties, name).toBe(false);
      expect(schema.title, name).toMatch(/^duo /);
    }
  });

  it('the error shape every command prints on --json failure parses, and an extra field does not', () => {
    expect(ErrorJson.parse({ error: { message: 'x', hint: null }, exitCode: 2 }).exitCode).toBe(2);
    expect(ErrorJson.safeParse({ error: { message: 'x', hint: null }, exitCode: 2, extra: 1 }).success).toBe(false);
  });
});
