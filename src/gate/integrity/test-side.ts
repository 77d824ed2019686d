/**
 * Which pre-existing files are test-side — protected like the tests themselves: an undeclared edit that changes or
 * deletes their lines is reverted, and when they change on purpose their original version is re-run by the gate.
 * A file is test-side when
 * - a runner's conventions name it (conventions.ts: tests, helpers, fixtures, snapshots, golden files); or
 * - it is a helper only tests use: every file that imports it is test-side, nothing a package entry point reaches
 *   imports it, and it is test code by its own content (it imports a test runner or assertion library) or by its
 *   name (a mock, fake, stub, fixture, golden or test utility). The last condition keeps the module under test —
 *   which in a small library is often imported only from its tests — out of the protected set.
 * Files a runner config or a verify command names are stricter still: they define the gate (config-refs.ts).
 */

import { dirname, join, normalize } from 'node:path';
import { isTestPath } from './conventions.js';
import type { ImportGraph } from './imports.js';

/** Test runners and assertion libraries: a module that imports one is test code. */
const TEST_LIBRARY =
  /^(node:)?(test|assert)(\/strict)?$|^(vitest|jest|@jest\/globals|mocha|ava|tap|uvu|chai|expect|should|sinon|nock|supertest|jasmine|@testing-library\/.+|@playwright\/test|cypress|pytest|_pytest(\..+)?|unittest(\..+)?|mock|hypothesis(\..+)?|nose2?|doctest)$/;

/** Names that say test code: mocks, fakes, stubs, fixtures, goldens, test utilities. */
const TEST_NAME =
  /(^|[/._-])(mocks?|fakes?|stubs?|fixtures?|golden|testing|test[-_]?(utils?|helpers?|support|setup))([/._-]|$)/i;

export function testSideFiles(
  files: ReadonlySet<string>,
  graph: ImportGraph,
  /** package.json texts by path, for the entry points (main, module, exports, bin) that mark code, not tests. */
  manifests: ReadonlyMap<string, string>,
): Map<string, string> {
  const side = new Map<string, string>();
  for (const f of files) if (isTestPath(f)) side.set(f, 'a test file by the runners’ conventions');

  const importers = new Map<string, Set<string>>();
  for (const [from, info] of graph)
    for (const to of info.imports) {
      if (!importers.has(to)) importers.set(to, new Set());
      importers.get(to)?.add(from);
    }
  const code = reachable(entryPoints(manifests, files), graph);

  for (let changed = true; changed; ) {
    changed = false;
    for (const [file, info] of graph) {
      if (side.has(file) || code.has(file)) continue;
      const by = importers.get(file);
      if (!by?.size || ![...by].every((i) => side.has(i))) continue;
      const testCode = info.specifiers.some((s) => TEST_LIBRARY.test(s.replace(/^\.+/, '')));
      if (!testCode && !TEST_NAME.test(file)) continue;
      side.set(file, `a test helper: imported only from tests (${[...by].sort().slice(0, 3).join(', ')})`);
      changed = true;
    }
  }
  return side;
}

/** Files a package.json's main, module, browser, exports or bin points at. */
function entryPoints(manifests: ReadonlyMap<string, string>, files: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const [path, text] of manifests) {
    let pkg: Record<string, unknown>;
    try {
      pkg = JSON.parse(text) as Record<string, unknown>;
    } catch {
      continue;
    }
    const dir = dirname(path) === '.' ? '' : dirname(path);
    const targets = ['main', 'module', 'browser', 'exports', 'bin'].flatMap((k) => strings(pkg[k]));
    for (const t of targets) {
      const p = normalize(join(dir, t)).replace(/^\.\//, '');
      if (files.has(p)) out.push(p);
      else if (files.has(`${p}.js`)) out.push(`${p}.js`);
      else if (files.has(`${p}/index.js`)) out.push(`${p}/index.js`);
    }
  }
  return out;
}

function strings(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(strings);
  if (v && typeof v === 'object') return Object.values(v).flatMap(strings);
  return [];
}

function reachable(roots: string[], graph: ImportGraph): Set<string> {
  const seen = new Set<string>();
  const stack = [...roots];
  while (stack.length) {
    const f = stack.pop() as string;
    if (seen.has(f)) continue;
    seen.add(f);
    for (const next of graph.get(f)?.imports ?? []) stack.push(next);
  }
  return seen;
}
