import { readFileSync } from 'node:fs';

/** duo's own version, from its package.json (one level above dist/ or src/). */
export function duoVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
      version?: string;
    };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
