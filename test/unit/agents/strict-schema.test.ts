import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { toJsonSchema } from '../../../src/agents/json-schema.js';
import { dropOptionalNulls, strictSchema } from '../../../src/agents/strict-schema.js';
import { Critique, Plan, WorkReport } from '../../../src/protocol/schemas.js';

type Json = Record<string, unknown>;

/** Every object node of a JSON schema, however deep (properties, items, anyOf/oneOf/allOf, definitions). */
function objectNodes(node: unknown, out: Json[] = []): Json[] {
  if (Array.isArray(node)) {
    for (const n of node) objectNodes(n, out);
    return out;
  }
  if (!node || typeof node !== 'object') return out;
  const n = node as Json;
  if (n.properties) out.push(n);
  for (const v of Object.values(n)) objectNodes(v, out);
  return out;
}

describe('strictSchema', () => {
  const schema = {
    type: 'object',
    properties: { a: { type: 'string' }, b: { type: 'number', default: 1 } },
    required: ['a'],
    default: {},
  };

  it('makes every property required, the optional ones nullable, and forbids additional properties', () => {
    expect(strictSchema(schema)).toEqual({
      type: 'object',
      properties: { a: { type: 'string' }, b: { anyOf: [{ type: 'number' }, { type: 'null' }] } },
      required: ['a', 'b'],
      additionalProperties: false,
    });
  });

  it('does not change the schema it was given', () => {
    const copy = structuredClone(schema);
    strictSchema(schema);
    expect(schema).toEqual(copy);
  });

  it('reaches objects nested in properties, items, anyOf/oneOf/allOf, not and definitions', () => {
    const inner = () => ({ type: 'object', properties: { x: { type: 'string', default: 'x' } } });
    const out = strictSchema({
      type: 'object',
      properties: { p: inner(), list: { type: 'array', items: inner() } },
      required: ['p', 'list'],
      anyOf: [inner()],
      oneOf: [inner()],
      allOf: [inner()],
      not: inner(),
      definitions: { D: inner() },
      $defs: { E: inner() },
    });
    const nodes = objectNodes(out);
    // The root, p, list's items, anyOf, oneOf, allOf, not, D and E.
    expect(nodes).toHaveLength(9);
    for (const n of nodes) {
      expect(n.additionalProperties).toBe(false);
      expect(n.required).toEqual(Object.keys(n.properties as Json));
    }
    expect(JSON.stringify(out)).not.toContain('"default"');
  });

  it('leaves a non-object schema alone apart from its default', () => {
    expect(strictSchema({ type: 'array', items: { type: 'string', default: '' } })).toEqual({
      type: 'array',
      items: { type: 'string' },
    });
  });

  it.each([
    ['Plan', Plan],
    ['Critique', Critique],
    ['WorkReport', WorkReport],
  ])('turns duo’s %s schema into one OpenAI strict mode accepts', (_name, zodSchema) => {
    const out = strictSchema(toJsonSchema(zodSchema));
    const nodes = objectNodes(out);
    expect(nodes.length).toBeGreaterThan(0);
    for (const n of nodes) {
      expect(n.additionalProperties).toBe(false);
      expect(n.required).toEqual(Object.keys(n.properties as Json));
    }
    expect(JSON.stringify(out)).not.toContain('"default"');
  });
});

describe('dropOptionalNulls', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      nick: { type: 'string' },
      rollback: { type: ['string', 'null'] },
      tags: { type: 'array', items: { type: 'object', properties: { k: { type: 'string' } }, required: [] } },
      inner: { type: 'object', properties: { z: { type: 'number' } } },
    },
    required: ['name', 'rollback', 'tags'],
  };

  it('drops nulls of optional properties, keeps nulls of required ones and values of unknown keys', () => {
    expect(
      dropOptionalNulls({ name: 'n', nick: null, rollback: null, tags: [], extra: null, inner: { z: null } }, schema),
    ).toEqual({ name: 'n', rollback: null, tags: [], extra: null, inner: {} });
  });

  it('recurses into array items', () => {
    expect(dropOptionalNulls({ name: 'n', rollback: 'r', tags: [{ k: null }, { k: 'v' }] }, schema)).toEqual({
      name: 'n',
      rollback: 'r',
      tags: [{}, { k: 'v' }],
    });
  });

  it('returns arrays without an items schema, scalars and null unchanged', () => {
    expect(dropOptionalNulls([1, null], {})).toEqual([1, null]);
    expect(dropOptionalNulls('x', schema)).toBe('x');
    expect(dropOptionalNulls(null, schema)).toBeNull();
  });

  it('round-trips: a strict answer with nulls for absent optionals parses with the original zod schema', () => {
    const Zod = z.object({
      title: z.string(),
      note: z.string().optional(),
      items: z.array(z.object({ id: z.string(), hint: z.string().optional() })),
    });
    const original = toJsonSchema(Zod);
    const strict = strictSchema(original);
    // What a strict model answers: every key present, absent ones as null.
    const answer = { title: 't', note: null, items: [{ id: 'a', hint: null }] };
    expect((strict.required as string[]).sort()).toEqual(['items', 'note', 'title']);
    expect(Zod.safeParse(answer).success).toBe(false);
    const back = dropOptionalNulls(answer, original);
    expect(back).toEqual({ title: 't', items: [{ id: 'a' }] });
    expect(Zod.safeParse(back).success).toBe(true);
  });

  it('round-trips an optional property inside a nullable object (the object is an anyOf branch)', () => {
    const Zod = z.object({ meta: z.object({ tag: z.string().optional() }).nullable() });
    const original = toJsonSchema(Zod);
    const answer = { meta: { tag: null } };
    const back = dropOptionalNulls(answer, original);
    expect(back).toEqual({ meta: {} });
    expect(Zod.safeParse(back).success).toBe(true);
  });
});
