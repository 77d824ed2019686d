/**
 * OpenAI's strict structured output wants every object property listed in `required` and no additional
 * properties. duo's schemas mostly spell "absent" as null already; for any property that is truly optional, the
 * strict form makes it required-but-nullable, and `dropOptionalNulls` turns those nulls back into "absent"
 * before duo validates the answer against its own zod schema.
 */

type Json = Record<string, unknown>;

export function strictSchema(schema: Json): Json {
  return walk(schema) as Json;
}

function walk(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(walk);
  if (!node || typeof node !== 'object') return node;
  const n = { ...(node as Json) };
  // Strict structured output takes no defaults: a default only helps duo read older answers.
  delete n.default;
  for (const key of ['items', 'additionalItems', 'not']) if (key in n) n[key] = walk(n[key]);
  for (const key of ['anyOf', 'oneOf', 'allOf']) if (Array.isArray(n[key])) n[key] = (n[key] as unknown[]).map(walk);
  for (const key of ['definitions', '$defs'])
    if (n[key] && typeof n[key] === 'object')
      n[key] = Object.fromEntries(Object.entries(n[key] as Json).map(([k, v]) => [k, walk(v)]));
  if (n.properties && typeof n.properties === 'object') {
    const props = n.properties as Json;
    const required = new Set(Array.isArray(n.required) ? (n.required as string[]) : []);
    n.properties = Object.fromEntries(
      Object.entries(props).map(([k, v]) => [k, required.has(k) ? walk(v) : { anyOf: [walk(v), { type: 'null' }] }]),
    );
    n.required = Object.keys(props);
    n.additionalProperties = false;
  }
  return n;
}

/** Removes `null` values of properties that the original schema did not require. */
export function dropOptionalNulls(value: unknown, node: Json): unknown {
  const schema = value && typeof value === 'object' ? branchFor(value, node) : node;
  if (Array.isArray(value)) {
    const items = schema.items;
    return items && typeof items === 'object' ? value.map((v) => dropOptionalNulls(v, items as Json)) : value;
  }
  if (!value || typeof value !== 'object') return value;
  const props = (schema.properties ?? {}) as Json;
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : []);
  const out: Json = {};
  for (const [k, v] of Object.entries(value as Json)) {
    if (v === null && !required.has(k) && k in props) continue;
    const sub = props[k];
    out[k] = sub && typeof sub === 'object' ? dropOptionalNulls(v, sub as Json) : v;
  }
  return out;
}

/** A nullable object or array is an `anyOf`/`oneOf` of it and null: the branch that describes this value. */
function branchFor(value: object, schema: Json): Json {
  const branches = [schema.anyOf, schema.oneOf].find(Array.isArray) as unknown[] | undefined;
  if (!branches) return schema;
  const want = Array.isArray(value) ? 'items' : 'properties';
  const branch = branches.find((b) => b && typeof b === 'object' && want in b);
  return (branch as Json | undefined) ?? schema;
}
