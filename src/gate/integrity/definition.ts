/**
 * What defines the gate, beyond the tests themselves: how a verify command runs and what it loads. Judged whole:
 * Makefiles, runner configs and setup files, the tsconfig a typecheck uses, lint configs, package-manager settings,
 * Python's start-up files, and every file the commands, their scripts or the runner configs name (config-refs.ts).
 * Judged by their gate part only: manifests (package.json's scripts, test tools, module map — `imports`, `exports`,
 * `main`, `type` — pyproject's tool sections …), so adding a dependency is not a gate change; and lockfile entries
 * of the test, lint and typecheck tools. Pure: file contents come from the caller.
 */

import picomatch from 'picomatch';
import { parseJsonObject } from '../../config/jsonc.js';
import type { GateScope } from './config-refs.js';

/** No knowledge of the commands: every script counts, no named files. */
const WHOLE_SCOPE: GateScope = { namedFiles: new Map(), scripts: null };

/** Whole files whose every line is part of the gate's definition. */
const GATE_FILES = picomatch(
  [
    '**/{Makefile,GNUmakefile,makefile,*.mk,justfile,Justfile,Taskfile.yml,Taskfile.yaml}',
    // JS/TS runners and their setup
    '**/{vitest,vite,jest,ava,playwright,cypress,karma,wdio}.{config,workspace,setup}.{js,cjs,mjs,ts,cts,mts,json}',
    '**/vitest.workspace.*',
    '**/jest.{setup,teardown}*.{js,cjs,mjs,ts}',
    // setup files runners load by convention before any test (Create React App's src/setupTests.js, …)
    '**/{setupTests,setup-tests,testSetup,test-setup,setupTestFrameworkScriptFile}.{js,cjs,mjs,jsx,ts,cts,mts,tsx}',
    '**/{.mocharc,.mocharc.*,.c8rc,.c8rc.*,.nycrc,.nycrc.*,.taprc,.babelrc,babel.config.*}',
    // typecheck and lint
    '**/{tsconfig,jsconfig}*.json',
    '**/{.eslintrc,.eslintrc.*,eslint.config.*,.eslintignore,biome.json,biome.jsonc,.prettierrc,.prettierrc.*,prettier.config.*,.prettierignore}',
    '**/{ruff.toml,.ruff.toml,.flake8,mypy.ini,.mypy.ini,.pylintrc,pylintrc,pyrightconfig.json,.golangci.yml,.golangci.yaml,clippy.toml,.clippy.toml,rustfmt.toml,.rustfmt.toml,deno.json,deno.jsonc}',
    // python runners, and what Python imports before any test
    '**/{pytest.ini,tox.ini,noxfile.py,conftest.py,.coveragerc}',
    '{sitecustomize.py,usercustomize.py}',
    // package-manager settings that change how a script runs (node-options=--require …)
    '**/{.npmrc,.yarnrc,.yarnrc.yml,bunfig.toml,.pnpmfile.cjs,.swcrc}',
  ],
  { dot: true },
);

/** Manifests with a gate part: their projection (below) is what counts. */
const MANIFESTS = /(^|\/)(package\.json|pyproject\.toml|setup\.cfg|Cargo\.toml)$/;
const LOCKFILES =
  /(^|\/)(package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|bun\.lock|poetry\.lock|uv\.lock|Pipfile\.lock|Cargo\.lock|requirements[^/]*\.txt)$/;

export type GateFileKind = 'file' | 'manifest' | 'lockfile';

/** Whether a path can carry the gate's definition, and how it is judged. */
export function gateFileKind(path: string, scope: GateScope = WHOLE_SCOPE): GateFileKind | undefined {
  if (scope.namedFiles.has(path) || GATE_FILES(path)) return 'file';
  if (MANIFESTS.test(path)) return 'manifest';
  if (LOCKFILES.test(path)) return 'lockfile';
  return undefined;
}

/** Test, lint and typecheck tools: their entries in manifests and lockfiles are part of the gate. */
const TOOL =
  /^(vitest|@vitest\/.+|jest|@jest\/.+|jest-.+|ts-jest|babel-jest|mocha|ava|tap|c8|nyc|jasmine|karma|playwright|@playwright\/test|cypress|typescript|tsx|ts-node|eslint|@eslint\/.+|eslint-.+|@typescript-eslint\/.+|@biomejs\/biome|prettier|pytest|pytest-.+|coverage|mypy|ruff|flake8|pylint|black|pyright|tox|nox)$/i;

/**
 * package.json keys that are part of the gate: the scripts (those the verify commands run), the runners' own
 * config keys, and the module map — what `import 'pkg'`, `#internal` and a workspace package's name resolve to, and
 * whether .js is ESM. A remap of the module under test is a change to what the tests test.
 */
const PACKAGE_GATE_KEYS = [
  'scripts',
  'jest',
  'mocha',
  'ava',
  'c8',
  'nyc',
  'vitest',
  'eslintConfig',
  'prettier',
  'imports',
  'exports',
  'main',
  'module',
  'browser',
  'type',
];
const DEP_KEYS = [
  'dependencies',
  'devDependencies',
  'optionalDependencies',
  'peerDependencies',
  'overrides',
  'resolutions',
];

/** The gate part of a manifest as comparable text; two versions with equal projections define the same gate. */
export function manifestProjection(path: string, text: string | null, scope: GateScope = WHOLE_SCOPE): string {
  if (text === null) return '';
  if (path.endsWith('package.json')) {
    const pkg = parseJsonObject(text);
    if (!pkg) return text; // unreadable: judged whole
    const out: Record<string, unknown> = {};
    for (const k of PACKAGE_GATE_KEYS)
      if (k in pkg) out[k] = k === 'scripts' ? gateScripts(pkg.scripts, scope) : pkg[k];
    for (const k of DEP_KEYS) {
      const deps = pkg[k];
      if (!deps || typeof deps !== 'object') continue;
      const tools = Object.entries(deps as Record<string, unknown>).filter(([name]) => TOOL.test(name));
      if (tools.length) out[k] = Object.fromEntries(tools.sort(([a], [b]) => a.localeCompare(b)));
    }
    return JSON.stringify(out);
  }
  return gateSections(path, text)
    .map((s) => s.join('\n'))
    .join('\n');
}

function gateScripts(scripts: unknown, scope: GateScope): unknown {
  if (!scripts || typeof scripts !== 'object' || !scope.scripts) return scripts;
  const used = scope.scripts;
  return Object.fromEntries(Object.entries(scripts as Record<string, unknown>).filter(([name]) => used.has(name)));
}

/** Sections of a TOML/INI manifest that configure tests, lint or typecheck. */
const GATE_SECTIONS: Record<string, RegExp> = {
  'pyproject.toml':
    /^\[tool\.(pytest|ruff|mypy|coverage|black|pyright|pylint|tox|hatch\.envs|isort|flake8)\b|^\[project\.optional-dependencies\]/,
  'setup.cfg': /^\[(tool:pytest|flake8|mypy|pycodestyle|coverage:|isort|pylint)/,
  'Cargo.toml': /^\[\[test\]\]|^\[lib\]|^\[profile\.test\]|^\[(workspace\.)?lints/,
};

function gateSections(path: string, text: string): string[][] {
  const name = path.split('/').at(-1) ?? path;
  const re = GATE_SECTIONS[name];
  if (!re) return [];
  return splitSections(text).filter((s) => re.test(s[0] ?? ''));
}

function splitSections(text: string): string[][] {
  const sections: string[][] = [[]];
  for (const line of text.split('\n')) {
    if (/^\[.*\]\s*(#.*)?$/.test(line)) sections.push([line]);
    else sections.at(-1)?.push(line);
  }
  return sections.filter((s) => s.length > 0);
}

/**
 * `current` with its gate part put back to `base`'s, everything else kept (a new dependency stays). Used to run the
 * base's definition of the gate on the run's code, and to revert an undeclared gate edit without losing the rest.
 */
export function restoreManifest(
  path: string,
  current: string,
  base: string | null,
  scope: GateScope = WHOLE_SCOPE,
): string {
  if (path.endsWith('package.json')) {
    const now = parseJsonObject(current);
    const was = base === null ? {} : parseJsonObject(base);
    if (!now || !was) return base ?? current;
    for (const k of PACKAGE_GATE_KEYS) {
      if (k === 'scripts') {
        const scripts = { ...((now.scripts ?? {}) as Record<string, unknown>) };
        const before = (was.scripts ?? {}) as Record<string, unknown>;
        for (const name of Object.keys({ ...scripts, ...before })) {
          if (scope.scripts && !scope.scripts.has(name)) continue;
          if (name in before) scripts[name] = before[name];
          else delete scripts[name];
        }
        if (Object.keys(scripts).length || 'scripts' in was) now.scripts = scripts;
        else delete now.scripts;
      } else if (k in was) now[k] = was[k];
      else delete now[k];
    }
    for (const k of DEP_KEYS) {
      const nowDeps = (now[k] ?? {}) as Record<string, unknown>;
      const wasDeps = (was[k] ?? {}) as Record<string, unknown>;
      for (const name of Object.keys(nowDeps)) if (TOOL.test(name) && !(name in wasDeps)) delete nowDeps[name];
      for (const [name, v] of Object.entries(wasDeps)) if (TOOL.test(name)) nowDeps[name] = v;
      if (Object.keys(nowDeps).length) now[k] = nowDeps;
      else delete now[k];
    }
    const indent = /^\{\n(\s+)"/.exec(current)?.[1] ?? '  ';
    return `${JSON.stringify(now, null, indent)}${current.endsWith('\n') ? '\n' : ''}`;
  }
  const name = path.split('/').at(-1) ?? path;
  const re = GATE_SECTIONS[name];
  if (!re) return base ?? current;
  const wasSections = base === null ? [] : splitSections(base).filter((s) => re.test(s[0] ?? ''));
  const kept = splitSections(current).filter((s) => !re.test(s[0] ?? ''));
  return [...kept, ...wasSections].map((s) => s.join('\n')).join('\n');
}

/**
 * Lockfile entries of test/lint/typecheck tools, as comparable text: a lockfile edit that swaps the runner for
 * another package without touching the manifest changes what the gate runs once installed.
 */
export function lockfileToolEntries(path: string, text: string | null): string {
  if (text === null) return '';
  if (/package-lock\.json$|npm-shrinkwrap\.json$/.test(path)) {
    const lock = parseJsonObject(text);
    if (!lock) return text;
    const entries: string[] = [];
    for (const [key, value] of Object.entries((lock.packages ?? lock.dependencies ?? {}) as Record<string, unknown>)) {
      const name = key.replace(/^.*node_modules\//, '');
      if (TOOL.test(name)) entries.push(`${key} ${JSON.stringify(value)}`);
    }
    return entries.sort().join('\n');
  }
  // Text lockfiles keep one package per blank-line-separated block (yarn, pnpm, poetry, uv, Cargo) or per line.
  const blocks = path.endsWith('.txt') ? text.split('\n') : text.split(/\n\s*\n/);
  const mentions = (b: string) =>
    [...b.matchAll(/(?:^|[\s"'/])(@?[\w.-]+(?:\/[\w.-]+)?)(?=[@"':=<>~!\s]|$)/gm)].some((m) => TOOL.test(m[1] ?? ''));
  return blocks
    .map((b) => b.trim())
    .filter((b) => b && mentions(b.split('\n').slice(0, 2).join('\n')))
    .sort()
    .join('\n');
}

/**
 * What changed between two projections (or lockfile tool entries), as `key: before → after` lines for JSON and
 * `-`/`+` lines otherwise, capped: for the report, the agents and the reason of a revert.
 */
export function projectionDiff(before: string, after: string): string {
  if (before.startsWith('{') || after.startsWith('{')) {
    const b = flatJson(before);
    const a = flatJson(after);
    const keys = [...new Set([...b.keys(), ...a.keys()])].filter((k) => b.get(k) !== a.get(k));
    const lines = keys.map((k) => `${k}: ${b.get(k) ?? '(none)'} → ${a.get(k) ?? '(none)'}`);
    return cap(lines);
  }
  const b = before.split('\n');
  const a = after.split('\n');
  return cap([
    ...b.filter((l) => !a.includes(l)).map((l) => `- ${l}`),
    ...a.filter((l) => !b.includes(l)).map((l) => `+ ${l}`),
  ]);
}

function cap(lines: string[]): string {
  return lines.slice(0, 12).join('\n') + (lines.length > 12 ? `\n… ${lines.length - 12} more` : '');
}

function flatJson(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (v: unknown, prefix: string) => {
    if (v && typeof v === 'object' && !Array.isArray(v))
      for (const [k, x] of Object.entries(v as Record<string, unknown>)) walk(x, prefix ? `${prefix}.${k}` : k);
    else out.set(prefix, JSON.stringify(v));
  };
  walk(parseJsonObject(text) ?? {}, '');
  return out;
}
