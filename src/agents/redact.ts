/**
 * Secrets never reach the record or the terminal. Everything duo writes or prints about agent traffic passes
 * through `redactSecrets`: known key shapes are masked by pattern, and the live values of secret-looking
 * environment variables (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, ...) are masked wherever they appear verbatim.
 */
const MASK = '[REDACTED]';

const SHAPES: RegExp[] = [
  // Anthropic (sk-ant-api03-..., sk-ant-oat01-...) and OpenAI (sk-..., sk-proj-..., sk-svcacct-...) keys.
  /\bsk-ant-[A-Za-z0-9_-]{8,}/g,
  /\bsk-(?:proj-|svcacct-|admin-)?[A-Za-z0-9_-]{20,}/g,
  // GitHub, Slack, AWS access key ids, Google API keys.
  /\bgh[pousr]_[A-Za-z0-9]{20,}/g,
  /\bgithub_pat_[A-Za-z0-9_]{20,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g,
  /\bAKIA[0-9A-Z]{16}\b/g,
  /\bAIza[0-9A-Za-z_-]{30,}/g,
];

/** `Authorization: Bearer <token>`, `"bearer <token>"`: keep the scheme, mask the token. */
const BEARER = /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi;
/** `FOO_API_KEY=value`, `"openai_api_key": "value"`, `SOME_TOKEN: value` (a value already masked stays as it is). */
const ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:API_KEY|APIKEY|_TOKEN|_SECRET|PASSWORD|ACCESS_KEY)["']?\s*[:=]\s*["']?)(?!\[REDACTED\])([^\s"',}]{4,})/gi;

const SECRET_NAME = /(API_KEY|APIKEY|TOKEN|SECRET|PASSWORD|ACCESS_KEY|AUTH)$/i;
/** Values too short or too common to mask literally (e.g. the simulator's dummy key "x"). */
const MIN_LITERAL = 8;

function secretValues(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_LITERAL && SECRET_NAME.test(name)) values.push(value);
  }
  // Longest first so a value containing another is masked whole.
  return values.sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return redactWith(text, secretValues(env));
}

function redactWith(text: string, values: string[]): string {
  let out = text;
  for (const value of values) out = out.split(value).join(MASK);
  for (const shape of SHAPES) out = out.replace(shape, MASK);
  out = out.replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(ASSIGNMENT, (_m, lead: string) => `${lead}${MASK}`);
  return out;
}

/**
 * Masks secrets in every string of a JSON value — object keys included — so it can then be serialised. The
 * patterns are for text: run over JSON that is already serialised they can eat the backslash of an escaped quote
 * (`api_key=abcd1234\"`) and corrupt the document, and a secret with a quote in it is only there escaped. Anything
 * duo writes or prints as JSON goes through this, never through `redactSecrets` on its text.
 */
export function redactValue<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  const values = secretValues(env);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redactWith(v, values);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const json = (v as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function') return walk(json.call(v));
      // fromEntries defines own properties, so a "__proto__" key stays data, as JSON.parse reads it back.
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redactWith(k, values), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/** `JSON.stringify` of the value with its secrets masked first. */
export function redactedJson(value: unknown, indent?: number): string {
  return JSON.stringify(redactValue(value), null, indent);
}
