/**
 * TypeScript's compiler API for the integrity checks, loaded on first use (commands that never read JS pay nothing)
 * and through `require`: an ESM `import()` of its 9 MB CommonJS file makes Node scan the whole text for named
 * exports before running it, which triples the load (about 0.6 s of CPU against 0.2 s, in every run that checks a
 * JS change).
 */

import { createRequire } from 'node:module';

export type TS = typeof import('typescript');

let loaded: TS | undefined;

export function typescript(): TS {
  loaded ??= createRequire(import.meta.url)('typescript') as TS;
  return loaded;
}
