/**
 * Who imports whom at the base, for JS/TS (TypeScript's own pre-processor: import, export … from, require, dynamic
 * import) and Python (a line scan of `import a.b` and `from .x import y`). Only imports that resolve to a file of
 * the base count: a package from node_modules or site-packages is not part of the graph. Pure over the texts the
 * caller read; TypeScript is loaded on first use, so commands that never ask pay nothing for it.
 */

import { dirname, join, normalize } from 'node:path';
import { typescript } from './typescript.js';

export interface ModuleInfo {
  /** Base files this one imports. */
  imports: Set<string>;
  /** Every specifier as written (`vitest`, `node:assert`, `./x.js`, `pytest`, `.helpers`). */
  specifiers: string[];
}

export type ImportGraph = Map<string, ModuleInfo>;

const JS_FILE = /\.[cm]?[jt]sx?$/;
const PY_FILE = /\.py$/;

/** Files whose imports the graph reads. */
export function isModuleFile(path: string): boolean {
  return JS_FILE.test(path) || PY_FILE.test(path);
}

export async function importGraph(
  files: ReadonlySet<string>,
  texts: ReadonlyMap<string, string>,
): Promise<ImportGraph> {
  const graph: ImportGraph = new Map();
  const js = [...texts.keys()].filter((p) => JS_FILE.test(p));
  const preProcess = js.length ? typescript().preProcessFile : null;
  for (const [path, text] of texts) {
    if (JS_FILE.test(path) && preProcess) {
      const specifiers = preProcess(text, true, true).importedFiles.map((f) => f.fileName);
      graph.set(path, { specifiers, imports: resolveAll(specifiers, (s) => resolveJs(s, path, files)) });
    } else if (PY_FILE.test(path)) {
      const specifiers = pythonImports(text);
      graph.set(path, { specifiers, imports: resolveAll(specifiers, (s) => resolvePy(s, path, files)) });
    }
  }
  return graph;
}

function resolveAll(specifiers: string[], resolve: (s: string) => string | undefined): Set<string> {
  const out = new Set<string>();
  for (const s of specifiers) {
    const f = resolve(s);
    if (f) out.add(f);
  }
  return out;
}

const JS_EXTS = ['', '.ts', '.tsx', '.js', '.jsx', '.mjs', '.cjs', '.mts', '.cts', '.json'];

/** A relative specifier to a base file: as written, with an extension, a TS source for a `.js` import, or index. */
function resolveJs(spec: string, from: string, files: ReadonlySet<string>): string | undefined {
  if (!spec.startsWith('.')) return undefined;
  const target = normalize(join(dirname(from), spec));
  if (target.startsWith('..')) return undefined;
  const stems = [target, target.replace(/\.([cm]?)js(x?)$/, '.$1ts$2')];
  for (const stem of stems) for (const ext of JS_EXTS) if (files.has(`${stem}${ext}`)) return `${stem}${ext}`;
  for (const ext of JS_EXTS.slice(1)) if (files.has(`${target}/index${ext}`)) return `${target}/index${ext}`;
  return undefined;
}

/** `import a.b, c` and `from x.y import z` (module names; relative ones keep their leading dots). */
function pythonImports(text: string): string[] {
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const from = /^\s*from\s+(\.*[\w.]*)\s+import\s+(.+)$/.exec(line);
    if (from) {
      const module = from[1] as string;
      const names = (from[2] as string)
        .replace(/[()\\]/g, '')
        .split(',')
        .map((n) => n.trim().split(/\s+/)[0] ?? '')
        .filter((n) => /^\w+$/.test(n));
      // `from pkg import a` imports pkg, and pkg.a too when a is a submodule (`from . import a`: only that).
      if (!/^\.+$/.test(module)) out.push(module);
      const sep = /^\.+$/.test(module) ? '' : '.';
      for (const n of names) out.push(`${module}${sep}${n}`);
      continue;
    }
    const imp = /^\s*import\s+([\w.]+(?:\s+as\s+\w+)?(?:\s*,\s*[\w.]+(?:\s+as\s+\w+)?)*)\s*$/.exec(line);
    if (imp) for (const part of (imp[1] as string).split(',')) out.push(part.trim().split(/\s+/)[0] as string);
  }
  return out.filter(Boolean);
}

/** A module name to a base file: relative to the importing package, else from the root or a `src/` layout. */
function resolvePy(spec: string, from: string, files: ReadonlySet<string>): string | undefined {
  const dots = /^\.*/.exec(spec)?.[0].length ?? 0;
  const parts = spec.slice(dots).split('.').filter(Boolean);
  let roots: string[];
  if (dots > 0) {
    let dir = dirname(from);
    for (let i = 1; i < dots; i++) dir = dirname(dir);
    roots = [dir === '.' ? '' : dir];
  } else {
    const top = from.split('/')[0] ?? '';
    roots = ['', 'src', 'lib', top];
  }
  for (const root of roots) {
    const stem = join(root, ...parts);
    for (const candidate of [`${stem}.py`, `${stem}/__init__.py`]) {
      const p = normalize(candidate);
      if (files.has(p)) return p;
    }
  }
  return undefined;
}
