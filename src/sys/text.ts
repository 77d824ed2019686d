/**
 * Text that came from an agent (a file path, a command, an error line) made safe for one line of a terminal. Agent
 * output is hostile input: a "file name" may carry an escape sequence that rewrites the screen, or a bidi override
 * that makes one command read as another. Control and bidi characters are shown as escapes, whitespace runs become
 * one space, and the result is cut to `max` characters.
 */
export function oneLine(text: string, max = 120): string {
  const flat = text
    .replace(/\s+/g, ' ')
    .trim()
    // biome-ignore lint/suspicious/noControlCharactersInRegex: these are exactly what must not reach a terminal.
    .replace(/[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, (c) =>
      c.charCodeAt(0) <= 0xff
        ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`
        : `\\u${c.charCodeAt(0).toString(16)}`,
    );
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The first `shown` items, comma-separated, and how many of `total` (default: all of them) were left out. */
export function firstOf(items: readonly string[], shown: number, total = items.length): string {
  return items.slice(0, shown).join(', ') + (total > shown ? ` and ${total - shown} more` : '');
}
