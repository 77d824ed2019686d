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
/** `FOO_API_KEY=value`, `"openai_api_key": "value"`, `SOME_TOKEN: value`. */
const ASSIGNMENT =
  /\b([A-Za-z0-9_]*(?:API_KEY|APIKEY|_TOKEN|_SECRET|PASSWORD|ACCESS_KEY)["']?\s*[:=]\s*["']?)([^\s"',}]{4,})/gi;

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
  let out = text;
  for (const value of secretValues(env)) out = out.split(value).join(MASK);
  for (const shape of SHAPES) out = out.replace(shape, MASK);
  out = out.replace(BEARER, (_m, scheme: string) => `${scheme} ${MASK}`);
  out = out.replace(ASSIGNMENT, (_m, lead: string) => `${lead}${MASK}`);
  return out;
}
