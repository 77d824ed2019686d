/**
 * What the base's checks read, as one classification of every path, and the write guard's rule over it. A path is
 * - `definition`: a file that defines how the checks run (definition.ts), or one a verify command, its scripts or a
 *   runner config names (config-refs.ts) — judged whole;
 * - `manifest` / `lockfile`: judged by their gate part only (scripts, test tools, the module map);
 * - `test`: test-side at the base (test-side.ts) — its existing lines are the spec, new lines may be added;
 * - otherwise not protected (new test files are the run's own).
 * After every write call the guard puts back what the rule forbids, unless the change was declared or accepted.
 */

import type { GateScope } from './config-refs.js';
import { type GateFileKind, gateFileKind, manifestProjection, projectionDiff, restoreManifest } from './definition.js';
import { addedMarkers } from './markers.js';

/** Everything the protection of a run is decided from, computed once on the base. */
export interface BaseProtection {
  baseFiles: ReadonlySet<string>;
  scope: GateScope;
  /** Test-side files of the base, each with why. */
  testSide: ReadonlyMap<string, string>;
}

export type ProtectedKind = 'definition' | 'manifest' | 'lockfile' | 'test';

export function classify(path: string, p: BaseProtection): ProtectedKind | null {
  const kind: GateFileKind | undefined = gateFileKind(path, p.scope);
  if (kind === 'file') return 'definition';
  if (kind) return kind;
  return p.testSide.has(path) ? 'test' : null;
}

/** Why a path is protected, as a clause that follows its name ("x.js defines how the checks run"). */
export function protectionReason(path: string, p: BaseProtection): string | null {
  const named = p.scope.namedFiles.get(path);
  if (named) return `defines how the checks run (${named})`;
  switch (classify(path, p)) {
    case 'definition':
      return 'defines how the checks run';
    case 'manifest':
      return 'defines the checks through its scripts, test tools or module map';
    case 'lockfile':
      return 'locks the test and lint tools';
    case 'test':
      return `is ${p.testSide.get(path) ?? 'a test file'}`;
    default:
      return null;
  }
}

/** Every line of `base`, in order, is still in `now`: the edit only added lines. */
export function onlyAdds(base: string, now: string): boolean {
  const want = base.split('\n');
  let i = 0;
  for (const line of now.split('\n')) if (i < want.length && line === want[i]) i++;
  return i === want.length;
}

export interface WriteCheck {
  path: string;
  status: 'A' | 'M' | 'D';
  /** Its content before the call, now, and at the run's base (null: absent). */
  before: string | null;
  now: string | null;
  base: string | null;
}

export type GuardAction =
  | { action: 'keep' }
  | { action: 'restore'; reason: string }
  | { action: 'rewrite'; content: string; reason: string };

/** What the write guard does with one path a call changed (the caller has already let declared paths through). */
export function judgeWrite(w: WriteCheck, p: BaseProtection): GuardAction {
  const kind = classify(w.path, p);
  const why = protectionReason(w.path, p);
  if (kind === 'definition') return { action: 'restore', reason: `${w.path} ${why} (${verb(w.status)})` };
  if (kind === 'manifest') {
    const [was, is] = [manifestProjection(w.path, w.before, p.scope), manifestProjection(w.path, w.now, p.scope)];
    if (was === is) return { action: 'keep' };
    const reason = `${w.path}'s check definition was changed (${projectionDiff(was, is).replace(/\n/g, '; ')})`;
    if (w.now === null || w.before === null) return { action: 'restore', reason };
    return { action: 'rewrite', content: restoreManifest(w.path, w.now, w.before, p.scope), reason };
  }
  if (kind !== 'test' || !p.baseFiles.has(w.path)) return { action: 'keep' };
  const what = p.testSide.get(w.path)?.startsWith('a test helper') ? 'an existing test helper' : 'an existing test';
  if (w.status === 'D') return { action: 'restore', reason: `${w.path} is ${what} and was deleted` };
  const base = w.base ?? '';
  const now = w.now ?? '';
  if (!onlyAdds(base, now))
    return { action: 'restore', reason: `${w.path} is ${what} and its existing lines were changed` };
  const markers = addedMarkers(w.path, base, now).map((x) => x.marker);
  if (markers.length)
    return { action: 'restore', reason: `${w.path} is ${what} and ${markers.join(', ')} was added to it` };
  return { action: 'keep' };
}

export function verb(status: 'A' | 'M' | 'D'): string {
  return status === 'A' ? 'added' : status === 'D' ? 'deleted' : 'modified';
}
