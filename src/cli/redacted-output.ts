import { redactSecrets, redactValue } from '../sys/redact.js';

/**
 * Secrets never reach the terminal: everything duo's executables print (progress, errors carrying agent stderr,
 * reports, --json) goes through the same redaction as the record. Installed once, at the executable's entry,
 * so no print site can forget it. JSON is printed already masked (cli/json.ts); should a text pattern still find
 * something in it, the document is masked value by value and printed again, never patched as text.
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk;
      return write(typeof text === 'string' ? redactText(text) : text, ...rest);
    }) as typeof stream.write;
  }
}

function redactText(text: string): string {
  const masked = redactSecrets(text);
  if (masked === text || !/^\s*[[{]/.test(text)) return masked;
  try {
    const value: unknown = JSON.parse(text);
    const indent = /^[[{]\n {2}"/.test(text.trimStart()) ? 2 : undefined;
    return `${JSON.stringify(redactValue(value), null, indent)}${text.endsWith('\n') ? '\n' : ''}`;
  } catch {
    return masked;
  }
}
