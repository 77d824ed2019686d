/**
 * Text an agent wrote (a diff, a file name) shown in a terminal: control characters are made visible in caret
 * notation (`^[` for ESC, `^M` for CR) instead of being sent to the terminal, so an agent's output can neither
 * recolour, rewrite nor retitle the user's screen. Tab and newline stay as they are.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g;

export function visibleControls(text: string): string {
  return text.replace(CONTROL, (c) => {
    const code = c.charCodeAt(0);
    if (code < 0x20) return `^${String.fromCharCode(code + 64)}`;
    if (code === 0x7f) return '^?';
    return `<${code.toString(16)}>`;
  });
}
