import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * Inside record/ the modules depend one way: the store on the run's files, the index and (when a run ends) the
 * artefacts; the artefacts on the renderers; the index on nothing that imports it back. (That no folder has a loop,
 * import() included, is test/integration/architecture.test.ts.) Every import counts here — type-only and import()
 * included — as TypeScript's own pre-processor lists them.
 *
 * And a query over the index (`duo log`, a search) loads no schema: what Node loads for it — the code TypeScript
 * emits, type-only imports elided, import() left for later — never reaches zod, which costs a tenth of `duo log`'s
 * time as a process. Only a record that must be re-derived loads it.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'src');
const record = join(src, 'record');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** A relative import as the .ts file it names; a package by its name. */
const target = (from: string, spec: string) =>
  spec.startsWith('.') ? resolve(dirname(from), spec).replace(/\.js$/, '.ts') : spec;

/** Every import of a source file: static, type-only, re-exports and import(). */
function allImports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles.map((f) => target(file, f.fileName));
}

/** What Node loads with a module, before any import() runs: the static imports of the emitted code. */
const emitted = new Map<string, string[]>();
function loadedImports(file: string): string[] {
  const known = emitted.get(file);
  if (known) return known;
  const js = ts.transpileModule(readFileSync(file, 'utf8'), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const sf = ts.createSourceFile(file, js, ts.ScriptTarget.ES2022);
  const loaded = sf.statements.flatMap((s) =>
    (ts.isImportDeclaration(s) || ts.isExportDeclaration(s)) &&
    s.moduleSpecifier &&
    ts.isStringLiteral(s.moduleSpecifier)
      ? [target(file, s.moduleSpecifier.text)]
      : [],
  );
  emitted.set(file, loaded);
  return loaded;
}

const name = (file: string) => (file.startsWith(src) ? relative(record, file) : file);
const graph = new Map(
  files(record).map((f) => [f, allImports(f).filter((t) => t.startsWith(record))] as [string, string[]]),
);

function loadedWith(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  for (let file = stack.pop(); file; file = stack.pop()) {
    if (seen.has(file)) continue;
    seen.add(file);
    if (file.startsWith(src)) stack.push(...loadedImports(file));
  }
  return seen;
}

describe("record/'s import graph", () => {
  it('has the store on top: nothing in record/ imports it; it reaches the index, and the artefacts when a run ends', () => {
    const store = join(record, 'store.ts');
    expect([...graph].filter(([, to]) => to.includes(store)).map(([from]) => name(from))).toEqual([]);
    expect((graph.get(store) ?? []).map(name)).toEqual(
      expect.arrayContaining(['run-index.ts', 'run-files.ts', 'artifacts.ts']),
    );
    // The report renders; it writes nothing, so it needs neither the store nor the run's files.
    expect((graph.get(join(record, 'report.ts')) ?? []).map(name)).not.toContain('run-files.ts');
  });

  it('loads no schema for a query over the index: zod is not loaded with record/query.ts, only with the store', () => {
    const query = loadedWith(join(record, 'query.ts'));
    expect([...query].filter((m) => m === 'zod' || m.startsWith('zod/'))).toEqual([]);
    expect(query).toContain(join(record, 'run-index.ts'));
    // The derivation is import()ed by the index, so it is not loaded with it (and zod with it).
    expect((graph.get(join(record, 'run-index.ts')) ?? []).map(name)).toContain('run-facts.ts');
    expect(loadedImports(join(record, 'run-index.ts')).map(name)).not.toContain('run-facts.ts');
    expect(loadedWith(join(record, 'store.ts'))).toContain('zod');
  });
});
