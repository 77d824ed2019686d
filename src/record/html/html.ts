/**
 * HTML that is escaped by construction. Everything on duo's pages that comes from a run — agent output, finding
 * text, file names, diff lines, verify output — is hostile input, so the only way to build markup is the `html`
 * tagged template: every interpolation is escaped as text, unless it is already `Html` (itself built this way).
 * The template's static parts are read once per call site to know where each interpolation lands, and the places
 * where escaping is not enough are refused outright:
 * - an unquoted attribute value, an attribute or tag name, or the inside of a <script> or <style>: an error;
 * - an event-handler attribute (`on…="${x}"`): an error;
 * - a URL attribute (`href`, `src`): only a `SafeUrl` (a fragment or a relative path, never a scheme like
 *   `javascript:`), made by `fragment()` or `relativeUrl()`.
 * So a page renders a `<script>` in a finding as the text `<script>`, and no run can put a script on it.
 */

// Only this module makes Html: markup exists only as the output of `html` (or a jsonBlock).
const MADE_HERE = Symbol('html');

export class Html {
  constructor(
    token: symbol,
    readonly text: string,
  ) {
    if (token !== MADE_HERE) throw new Error('Html is made by the html`` template only');
  }
  toString(): string {
    return this.text;
  }
}

/** A link target that cannot run anything: a fragment on this page, or a relative path to a file beside it. */
export class SafeUrl {
  private constructor(readonly href: string) {}
  static fragment(id: string): SafeUrl {
    if (!/^[A-Za-z][\w-]*$/.test(id)) throw new Error(`not a safe fragment id: ${JSON.stringify(id)}`);
    return new SafeUrl(`#${id}`);
  }
  /**
   * A path relative to the page, each segment percent-encoded: no scheme, no host. `up` folders above the page
   * (the record page, from a run's page) is said by the caller, never read from the path.
   */
  static relative(path: string, up = 0): SafeUrl {
    const parts = path.split('/');
    if (!path || path.startsWith('/') || parts.some((p) => p === '' || p === '.' || p === '..'))
      throw new Error(`not a relative path below the page: ${JSON.stringify(path)}`);
    return new SafeUrl('../'.repeat(up) + parts.map(encodeURIComponent).join('/'));
  }
}

export const fragment = SafeUrl.fragment;
export const relativeUrl = SafeUrl.relative;

export type Interpolation = Html | SafeUrl | string | number | boolean | null | undefined | readonly Interpolation[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeText(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c] as string);
}

type Slot = { kind: 'text' } | { kind: 'attr'; url: boolean };

/** Where each interpolation of a template lands, worked out once per call site. */
const slotsOf = new WeakMap<TemplateStringsArray, Slot[]>();

const URL_ATTRS = new Set(['href', 'src', 'xlink:href', 'action', 'formaction', 'poster', 'srcset']);

function analyse(strings: TemplateStringsArray): Slot[] {
  let state: 'text' | 'tag' | 'value' | 'raw' = 'text';
  let quote = '';
  let tagName = '';
  let attr = '';
  let rawEnd = '';
  const slots: Slot[] = [];
  strings.forEach((chunk, n) => {
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i] as string;
      if (state === 'raw') {
        if (chunk.startsWith(rawEnd, i)) state = 'text';
      } else if (state === 'text') {
        if (c === '<' && /[A-Za-z/!]/.test(chunk[i + 1] ?? '')) {
          state = 'tag';
          tagName = /^[A-Za-z][\w-]*/.exec(chunk.slice(i + 1))?.[0]?.toLowerCase() ?? '';
          i += tagName.length;
        }
      } else if (state === 'tag') {
        if (c === '>') {
          state = tagName === 'script' || tagName === 'style' ? 'raw' : 'text';
          rawEnd = `</${tagName}`;
        } else if ((c === '"' || c === "'") && chunk[i - 1] === '=') {
          state = 'value';
          quote = c;
          attr = /([\w:-]+)=$/.exec(chunk.slice(0, i))?.[1]?.toLowerCase() ?? '';
        }
      } else if (c === quote) state = 'tag';
    }
    if (n === strings.length - 1) return;
    const where = `in the template ${JSON.stringify(strings.join('⟨…⟩').slice(0, 120))}`;
    if (state === 'raw') throw new Error(`no interpolation inside <${tagName}> ${where}`);
    if (state === 'tag' || (state === 'text' && /<\/?!?$/.test(chunk)))
      throw new Error(`interpolate only into text or a quoted attribute value ${where}`);
    if (state === 'value') {
      if (/^on/.test(attr)) throw new Error(`no interpolation into an event handler (${attr}) ${where}`);
      slots.push({ kind: 'attr', url: URL_ATTRS.has(attr) });
    } else slots.push({ kind: 'text' });
  });
  return slots;
}

function render(value: Interpolation, slot: Slot): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (slot.kind === 'attr') {
    if (slot.url) {
      if (!(value instanceof SafeUrl)) throw new Error('a URL attribute takes a SafeUrl (fragment() or relativeUrl())');
      return escapeText(value.href);
    }
    if (value instanceof Html || Array.isArray(value)) throw new Error('an attribute value takes text, not markup');
    return escapeText(String(value instanceof SafeUrl ? value.href : value));
  }
  if (value instanceof Html) return value.text;
  if (value instanceof SafeUrl) return escapeText(value.href);
  if (Array.isArray(value)) return value.map((v) => render(v, slot)).join('');
  return escapeText(String(value));
}

export function html(strings: TemplateStringsArray, ...values: Interpolation[]): Html {
  let slots = slotsOf.get(strings);
  if (!slots) {
    slots = analyse(strings);
    slotsOf.set(strings, slots);
  }
  let out = strings[0] as string;
  for (let i = 0; i < values.length; i++) out += render(values[i], slots[i] as Slot) + strings[i + 1];
  return new Html(MADE_HERE, out);
}

/**
 * Data for the page's script, in a JSON block the browser never executes. `<` is escaped so no value can close the
 * block (`</script>`) or open a comment; U+2028/2029 so the text stays valid everywhere JSON is parsed.
 */
export function jsonBlock(id: string, data: unknown): Html {
  if (!/^[a-z][\w-]*$/.test(id)) throw new Error(`not a safe id: ${id}`);
  const json = JSON.stringify(data)
    .replace(/</g, '\\u003c')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
  return new Html(MADE_HERE, `<script type="application/json" id="${id}">${json}</script>`);
}
