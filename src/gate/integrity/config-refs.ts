/**
 * What the gate stands on beyond the usual configs, read off the base: the files a verify command, the scripts it
 * runs or a runner config names — `bash scripts/test.sh`, `node --import ./test/register.js`, vitest's and jest's
 * `setupFiles`, `globalSetup`, `moduleNameMapper` targets, `snapshotResolver`, `testEnvironment`, a babel plugin,
 * tsconfig `extends`, pytest plugins loaded by `-p` in `addopts` or by `pytest_plugins` in a conftest.py — and the
 * package.json scripts the commands run (followed through `npm run x` inside scripts, with pre/post hooks, in every
 * package of a workspace). A named file is part of the gate's definition, judged whole. Adding an unrelated script
 * (`build`, `start`) is not a change to the gate; changing `test` or a script it calls is. Pure.
 */

import { dirname, join, normalize } from 'node:path';
import { parseJsonObject, stripJsonComments } from '../../config/jsonc.js';
import type { VerifyCommand } from '../types.js';

export interface GateScope {
  /** Files the verify commands, the scripts they run or the runner configs name, with what names each. */
  namedFiles: ReadonlyMap<string, string>;
  /** Script names the verify commands run; null: judge every script (nothing is known about the commands). */
  scripts: ReadonlySet<string> | null;
}

/** The base as this module needs it: every path, and the text of the files that can name others. */
export interface BaseTexts {
  files: ReadonlySet<string>;
  /** Texts of package.json files and runner configs (see isRunnerConfig); others may be absent. */
  texts: ReadonlyMap<string, string>;
}

/** Runner configs whose string literals can name a file the runner loads. vite.config: only its `test` block. */
const RUNNER_CONFIG =
  /(^|\/)((vitest|vite|jest|ava|playwright|cypress)\.(config|workspace)\.[cm]?[jt]s(on)?|vitest\.workspace\.\w+|(karma|wdio)\.conf\.[cm]?[jt]s|\.mocharc(\.\w+)?|babel\.config\.\w+|\.babelrc(\.\w+)?|[jt]sconfig[\w.-]*\.json|pytest\.ini|tox\.ini|setup\.cfg|pyproject\.toml|conftest\.py)$/;

/** package.json keys that configure a runner (their string values can name a file). */
const PACKAGE_RUNNER_KEYS = ['jest', 'mocha', 'ava', 'vitest', 'babel', 'c8', 'nyc'];

export function isRunnerConfig(path: string): boolean {
  return RUNNER_CONFIG.test(path);
}

/** Files worth reading for gateScope: every package.json and every runner config. */
export function scopeInputs(files: Iterable<string>): string[] {
  return [...files].filter((f) => /(^|\/)package\.json$/.test(f) || isRunnerConfig(f));
}

export function gateScope(commands: readonly VerifyCommand[], base: BaseTexts): GateScope {
  const named = new Map<string, string>();
  const name = (path: string, why: string) => {
    if (!named.has(path)) named.set(path, why);
  };
  const used = scriptsRun(commands, base, name);
  for (const [path, text] of base.texts) {
    if (path.endsWith('package.json')) {
      const pkg = parseJsonObject(text);
      for (const key of PACKAGE_RUNNER_KEYS)
        if (pkg?.[key] !== undefined)
          for (const lit of jsonStrings(pkg[key]))
            for (const f of resolveRef(lit, path, base.files)) name(f, `named by ${path} "${key}"`);
    } else if (isRunnerConfig(path)) {
      for (const lit of configLiterals(path, text))
        for (const f of resolveRef(lit, path, base.files)) if (f !== path) name(f, `named by ${path}`);
    }
  }
  return { namedFiles: new Map([...named].sort(([a], [b]) => a.localeCompare(b))), scripts: used };
}

/**
 * The scripts the commands run, by name, followed through every package.json (a workspace's `npm test
 * --workspaces` runs each package's own `test`); the files each command and script names are added to `name`.
 */
function scriptsRun(
  commands: readonly VerifyCommand[],
  base: BaseTexts,
  name: (path: string, why: string) => void,
): Set<string> {
  const manifests = [...base.texts].filter(([p]) => p === 'package.json' || p.endsWith('/package.json'));
  const scriptsOf = manifests.map(([p, text]) => ({
    dir: dirname(p) === '.' ? '' : dirname(p),
    path: p,
    scripts: (parseJsonObject(text)?.scripts ?? {}) as Record<string, unknown>,
  }));
  const used = new Set<string>();
  const visit = (text: string, dir: string, why: string, depth: number) => {
    for (const token of text.split(/[\s;&|()<>'"`=,]+/)) {
      const p = token.replace(/^\.\//, '');
      if (!p || p.startsWith('-')) continue;
      for (const candidate of dir ? [join(dir, p), p] : [p]) if (base.files.has(candidate)) name(candidate, why);
    }
    if (depth > 4) return;
    for (const m of text.matchAll(/\b(?:npm|pnpm|yarn|bun)\s+(?:run(?:-script)?\s+)?([\w:.-]+)/g)) {
      const script = m[1] === 't' ? 'test' : (m[1] as string);
      for (const n of [script, `pre${script}`, `post${script}`]) {
        if (used.has(n)) continue;
        used.add(n);
        for (const pkg of scriptsOf) {
          const body = pkg.scripts[n];
          if (typeof body === 'string') visit(body, pkg.dir, `named by the "${n}" script of ${pkg.path}`, depth + 1);
        }
      }
    }
  };
  for (const c of commands) visit(c.command, '', `named by the verify command \`${c.command}\``, 0);
  return used;
}

/** String literals of a config that may name a file; for vite.config only those inside its `test` block. */
function configLiterals(path: string, text: string): string[] {
  if (/\.json$|\.babelrc$|\.mocharc$/.test(path)) {
    // tsconfig and .babelrc allow comments (and trailing commas, which JSON.parse then rejects: judged unparsed).
    const parsed = parseJsonObject(stripJsonComments(text));
    if (parsed) return jsonStrings(parsed);
  }
  if (/\.(ini|cfg|toml)$/.test(path)) return iniTokens(path, text);
  if (path.endsWith('conftest.py')) {
    const plugins = /^pytest_plugins\s*=\s*([[(]?[^\n]*(?:\n[ \t]+[^\n]*)*)/m.exec(text)?.[1] ?? '';
    return [...plugins.matchAll(/['"]([\w./-]+)['"]/g)].map((m) => m[1] as string);
  }
  const scoped = /(^|\/)vite\.config\./.test(path) ? (block(text, /\btest\s*:\s*\{/) ?? '') : text;
  return [...scoped.matchAll(/(['"`])((?:\\.|\$(?!\{)|(?!\1)[^\\\n$])*)\1/g)].map((m) => m[2] as string);
}

/** The balanced `{…}` block that starts where `start` matches, or null. */
function block(text: string, start: RegExp): string | null {
  const m = start.exec(text);
  if (!m) return null;
  let depth = 0;
  for (let i = m.index + m[0].length - 1; i < text.length; i++) {
    if (text[i] === '{') depth++;
    else if (text[i] === '}' && --depth === 0) return text.slice(m.index, i + 1);
  }
  return text.slice(m.index);
}

/** Sections of INI/TOML files that configure pytest; their values split into tokens (`-p plugin`, paths). */
function iniTokens(path: string, text: string): string[] {
  const pytestSection = /^\[(pytest|tool:pytest|tool\.pytest(\.ini_options)?)\]\s*$/;
  const out: string[] = [];
  let inside = path.endsWith('pytest.ini');
  for (const line of text.split('\n')) {
    if (/^\[.*\]\s*$/.test(line)) {
      inside = pytestSection.test(line.trim());
      continue;
    }
    if (inside) out.push(...line.split(/[\s'",=[\]]+/).filter(Boolean));
  }
  return out;
}

const EXTS = ['', '.js', '.cjs', '.mjs', '.ts', '.cts', '.mts', '.jsx', '.tsx', '.json', '.py'];

/** Base files a literal in `from` can mean: relative to its folder or the root, with the usual extensions. */
function resolveRef(literal: string, from: string, files: ReadonlySet<string>): string[] {
  const lit = literal
    .trim()
    .replace(/^<rootDir>\//, '')
    .replace(/^file:\/\//, '');
  if (!lit || lit.length > 300 || /[*?{}[\]\s]|^[a-z]+:\/\/|^#/.test(lit)) return [];
  const dir = dirname(from) === '.' ? '' : dirname(from);
  const bases = [...new Set([join(dir, lit), lit].map((p) => normalize(p).replace(/^\.\//, '')))].filter(
    (p) => p && !p.startsWith('..') && !p.startsWith('/'),
  );
  // A dotted Python module (`tests.helpers`, `-p myplugin`) names a .py file or a package.
  if (/^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/.test(lit) && from.match(/\.(py|ini|cfg|toml)$/)) {
    const asPath = lit.replace(/\./g, '/');
    bases.push(`${asPath}.py`, `${asPath}/__init__.py`);
  }
  const found = new Set<string>();
  for (const b of bases)
    for (const candidate of [...EXTS.map((e) => `${b}${e}`), ...EXTS.slice(1).map((e) => `${b}/index${e}`)])
      if (files.has(candidate)) {
        found.add(candidate);
        break;
      }
  return [...found];
}

function jsonStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(jsonStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(jsonStrings);
  return [];
}
