import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of src/ is a strict downward stack: a folder imports only folders below it (and itself), never
 * one beside it or above it — so a newcomer can read the layers bottom-up, and a port is never bypassed. Type-only
 * imports count too, and import(). The real import list of each file comes from TypeScript's own pre-processor.
 *
 * Inside a folder, files do not import each other in a loop either: a loop hidden behind import() is one no reader
 * can see (record/'s store, report and run index once were). protocol/'s run context and the calls it makes are
 * the loops that predate the rule.
 */
const LAYERS: string[][] = [
  ['sys'], // redaction, processes, liveness, per-user paths: below everything
  ['config'],
  ['agents', 'workspace', 'gate'], // the adapters and the gate: siblings that never import each other
  ['budget'],
  ['protocol'], // the run as a state machine, over the ports
  ['record'], // the run record: store, report, index, queries
  ['eval'], // duo eval: tasks from history, sealed runs, grading, the report's statistics — a thin layer over runs
  ['integrations'],
  ['wire'], // the --json contracts: one zod schema per command's output, over the record's own schemas
  ['mcp'],
  ['cli'], // the only place that prints or reads the terminal
  ['demo'],
  ['bench'], // measures everything, the demo's sample included
];

const LOOPS_KNOWN = ['protocol'];

const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const rank = new Map(LAYERS.flatMap((names, i) => names.map((n) => [n, i] as const)));

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

const folderOf = (file: string) => relative(src, file).split('/')[0] as string;

/** An import from folder `from` to folder `to` is allowed when `to` is the same folder or a lower layer. */
const allowed = (from: string, to: string) =>
  to === from || (rank.get(to) ?? Number.POSITIVE_INFINITY) < (rank.get(from) ?? Number.NEGATIVE_INFINITY);

function imports(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return info.importedFiles
    .map((f) => f.fileName)
    .filter((f) => f.startsWith('.'))
    .map((f) => resolve(dirname(file), f).replace(/\.js$/, '.ts'));
}

/** The loops of a graph, each as a path back to its start (one per loop met in a depth-first walk). */
function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(node, 'done');
  };
  for (const node of graph.keys()) if (!state.has(node)) visit(node);
  return found;
}

describe('the import graph of src/', () => {
  it('every top-level folder has a layer', () => {
    const folders = readdirSync(src).filter((n) => statSync(join(src, n)).isDirectory());
    expect(folders.filter((f) => !rank.has(f))).toEqual([]);
  });

  it('points only downward: no file imports a folder beside or above its own', () => {
    const wrong: string[] = [];
    for (const file of files(src)) {
      const from = folderOf(file);
      for (const target of imports(file)) {
        if (!allowed(from, folderOf(target))) wrong.push(`${relative(src, file)} → ${relative(src, target)}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('has no loop inside a folder, import() included (protocol/ excepted)', () => {
    const graph = new Map(files(src).map((f) => [f, imports(f)] as [string, string[]]));
    const loops = cycles(graph)
      .filter((loop) => !LOOPS_KNOWN.includes(folderOf(loop[0] as string)))
      .map((loop) => loop.map((f) => relative(src, f)).join(' → '));
    expect(loops).toEqual([]);
  });

  it('would catch an upward or a sideways import, and sees real imports (the check is not vacuous)', () => {
    expect(allowed('record', 'cli')).toBe(false);
    expect(allowed('protocol', 'record')).toBe(false);
    expect(allowed('gate', 'agents')).toBe(false);
    expect(allowed('gate', 'sys')).toBe(true);
    const engine = imports(join(src, 'protocol', 'engine.ts')).map(folderOf);
    expect(engine).toEqual(expect.arrayContaining(['agents', 'protocol']));
    // A loop is seen, and an import() is an edge (run-index.ts loads run-facts.ts only when it must re-derive a run).
    const loop = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
      ['d', ['a']],
    ]);
    expect(cycles(loop)).toEqual([['a', 'b', 'c', 'a']]);
    expect(imports(join(src, 'record', 'run-index.ts'))).toContain(join(src, 'record', 'run-facts.ts'));
  });
});
