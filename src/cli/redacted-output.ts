import { redactSecrets } from '../agents/redact.js';

/**
 * Secrets never reach the terminal: everything duo's executables print (progress, errors carrying agent stderr,
 * reports, --json) goes through the same redaction as the record. Installed once, at the executable's entry,
 * so no print site can forget it.
 */
export function redactProcessOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: unknown, ...rest: unknown[]) => {
      const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk;
      return write(typeof text === 'string' ? redactSecrets(text) : text, ...rest);
    }) as typeof stream.write;
  }
}
