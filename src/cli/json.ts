import { redactedJson } from '../sys/redact.js';

/** The one way duo prints JSON on stdout: secrets masked value by value, then serialised (see redactValue). */
export function printJson(value: unknown): void {
  process.stdout.write(`${redactedJson(value, 2)}\n`);
}
