/**
 * Secrets never reach the record or the terminal. Everything duo writes or prints about agent traffic passes
 * through `redactSecrets`: known key shapes are masked by pattern, and the live values of secret-looking
 * environment variables (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, ...) are masked wherever they appear verbatim.
 */

// What a masked secret reads as, in the record and on the terminal.
export const MASK = '[REDACTED]';

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

/** An environment variable whose value is a secret by its name (`*_API_KEY`, `*_TOKEN`, `*_SECRET`, ...). */
export function isSecretName(name: string): boolean {
  return SECRET_NAME.test(name);
}
/** Values too short or too common to mask literally (e.g. the simulator's dummy key "x"). */
const MIN_LITERAL = 8;

function secretValues(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value && value.length >= MIN_LITERAL && isSecretName(name)) values.push(value);
  }
  // Longest first so a value containing another is masked whole.
  return values.sort((a, b) => b.length - a.length);
}

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  return redactWith(text, secretValues(env));
}

/**
 * Text none of the patterns can match: each one needs one of these words. Most strings of a record (ids, paths,
 * prose) are ruled out by this one pass instead of nine, which is most of what a checkpoint's redaction costs.
 */
const ANY_PATTERN = /sk-|gh[pousr]_|github_pat_|xox[abprs]-|akia|aiza|bearer|basic|key|token|secret|password/i;

function redactWith(text: string, values: string[]): string {
  let out = text;
  for (const value of values) if (out.includes(value)) out = out.split(value).join(MASK);
  if (!ANY_PATTERN.test(out)) return out;
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
  const redact = memoFor(values);
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return redact(v);
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') {
      const json = (v as { toJSON?: () => unknown }).toJSON;
      if (typeof json === 'function') return walk(json.call(v));
      // fromEntries defines own properties, so a "__proto__" key stays data, as JSON.parse reads it back.
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [redact(k), walk(x)]));
    }
    return v;
  };
  return walk(value) as T;
}

/**
 * Strings already masked, for the secrets they were masked against: a run's state is saved after every step and
 * holds mostly the same strings each time, so each is read once. Dropped when the secrets change or it grows large (at most 20,000 texts of up to 4 KB).
 */
let memo: { secrets: string; masked: Map<string, string> } = { secrets: '', masked: new Map() };
const MEMO_MAX = 20_000;
const MEMO_TEXT_MAX = 4_096;

function memoFor(values: string[]): (text: string) => string {
  const secrets = values.join('\0');
  if (memo.secrets !== secrets || memo.masked.size > MEMO_MAX) memo = { secrets, masked: new Map() };
  const { masked } = memo;
  return (text) => {
    // A long text (a diff, an agent's answer) is rare and read once anyway: only short ones are kept.
    if (text.length > MEMO_TEXT_MAX) return redactWith(text, values);
    let out = masked.get(text);
    if (out === undefined) {
      out = redactWith(text, values);
      masked.set(text, out);
    }
    return out;
  };
}

/** `JSON.stringify` of the value with its secrets masked first. */
export function redactedJson(value: unknown, indent?: number): string {
  return JSON.stringify(redactValue(value), null, indent);
}

/**
 * Redaction of a stream too large to hold (a verify log of hundreds of MB), chunk by chunk, masking exactly what
 * `redactSecrets` would mask in the whole text. Text is latin1 (one char per byte), so binary output and invalid
 * UTF-8 are written back byte for byte; secret values are matched in their UTF-8 bytes.
 *
 * Each chunk is emitted only up to a cut that no match crosses, at a line break where there is one (else between
 * a word and a non-word character, so `\b` reads the same as in the whole text); the rest is carried into the next
 * chunk. At least `hold` characters are always carried, so a secret whose start has arrived but whose end has not
 * (`sk-ant-ab` … `cdef…`) is never emitted half-masked.
 */
export class StreamRedactor {
  private carry = '';
  private readonly values: string[];
  private readonly hold: number;

  constructor(env: NodeJS.ProcessEnv = process.env, hold = 4096) {
    this.values = secretValues(env).map((v) => Buffer.from(v, 'utf8').toString('latin1'));
    this.hold = Math.max(hold, ...this.values.map((v) => v.length + 1));
  }

  /** Feeds a chunk; returns the redacted text that is final. */
  push(chunk: string): string {
    const text = this.carry + chunk;
    let cut = this.safeCut(text, text.length - this.hold);
    // One "word" longer than a megabyte is no key; cut it rather than carry it without bound.
    if (cut === 0 && text.length - this.hold > MAX_CARRY) cut = text.length - this.hold;
    this.carry = text.slice(cut);
    return cut > 0 ? redactWith(text.slice(0, cut), this.values) : '';
  }

  /** The end of the stream: whatever is still carried, redacted. */
  end(): string {
    const rest = redactWith(this.carry, this.values);
    this.carry = '';
    return rest;
  }

  /** A cut at or before `target` that no match crosses and that splits no word from its neighbour; 0 if none. */
  safeCut(text: string, target: number): number {
    if (target <= 0) return 0;
    const newline = text.lastIndexOf('\n', target - 1);
    let cut = newline >= 0 && target - newline <= this.hold ? newline + 1 : wordBoundaryAtOrBefore(text, target);
    const spans = matchSpans(text, this.values);
    for (let moved = true; moved && cut > 0; ) {
      moved = false;
      for (const [start, end] of spans) {
        if (start < cut && end > cut) {
          cut = wordBoundaryAtOrBefore(text, start);
          moved = true;
        }
      }
    }
    return cut;
  }
}

const MAX_CARRY = 1024 * 1024;

function isWord(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
}

function wordBoundaryAtOrBefore(text: string, pos: number): number {
  let p = pos;
  while (p > 0 && isWord(text, p - 1) && isWord(text, p)) p--;
  return p;
}

/**
 * Where anything `redactWith` masks starts and ends in `text`. Its stages run in order on text the earlier ones have
 * already masked (a masked literal puts a non-word `]` before what follows, so a `\b` may hold that did not), so
 * the stages are replayed here in the same order, each match replaced by a placeholder of the same length that is
 * non-word at both ends, and positions stay those of `text`. The spans are a superset: a cut outside all of them
 * masks the same as the whole text.
 */
function matchSpans(text: string, values: string[]): [number, number][] {
  const spans: [number, number][] = [];
  const placeholder = (n: number) => (n < 2 ? '#'.repeat(n) : `[${'#'.repeat(n - 2)}]`);
  let t = text;
  for (const value of values) {
    for (let i = t.indexOf(value); i !== -1; i = t.indexOf(value, i + value.length)) spans.push([i, i + value.length]);
    t = t.split(value).join(placeholder(value.length));
  }
  for (const re of [...SHAPES, BEARER, ASSIGNMENT]) {
    t = t.replace(new RegExp(re.source, re.flags), (m: string, ...args: unknown[]) => {
      const offset = args.find((a) => typeof a === 'number') as number;
      spans.push([offset, offset + m.length]);
      return placeholder(m.length);
    });
  }
  return spans;
}
