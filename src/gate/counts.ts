/**
 * What a verify command's output says it ran: per-runner test counts, the names of failing tests, and the number of
 * problems a typecheck or lint reported. Only the runners' own summary lines are read; output no parser recognises
 * gives `undefined`, and the gate then falls back to exit codes. Counts from several runners in one command
 * (`node --test && vitest run`, or cargo's one summary per test binary) are added up.
 */

import { z } from 'zod';

export const TestCounts = z.object({
  /** Which runners' summaries were read, e.g. "node --test" or "vitest + cargo test". */
  runner: z.string(),
  /** null when the runner does not print passes (go test without -v). */
  passed: z.number().nullable(),
  failed: z.number(),
  /** Skipped, todo, pending, ignored, xfailed, deselected: declared but not run as a check. */
  skipped: z.number(),
});
export type TestCounts = z.infer<typeof TestCounts>;

interface Partial {
  runner: string;
  passed: number | null;
  failed: number;
  skipped: number;
}

type Parser = (output: string) => Partial | undefined;

const num = (s: string | undefined) => (s === undefined ? 0 : Number(s));

/** `# tests 4` / `ℹ pass 1` — node:test's TAP and spec reporters. */
const nodeTest: Parser = (out) => {
  const fields = new Map<string, number>();
  for (const m of out.matchAll(/^\s*(?:#|ℹ) (tests|pass|fail|cancelled|skipped|todo) (\d+)\s*$/gm))
    fields.set(m[1] as string, (fields.get(m[1] as string) ?? 0) + Number(m[2]));
  if (!fields.has('tests') || !fields.has('pass')) return undefined;
  return {
    runner: 'node --test',
    passed: fields.get('pass') ?? 0,
    failed: (fields.get('fail') ?? 0) + (fields.get('cancelled') ?? 0),
    skipped: (fields.get('skipped') ?? 0) + (fields.get('todo') ?? 0),
  };
};

/** ` Tests  1 failed | 1 passed | 1 skipped | 1 todo (4)` — vitest. */
const vitest: Parser = (out) => {
  const lines = [...out.matchAll(/^\s*Tests\s{2,}(.+?)\s*\((\d+)\)\s*$/gm)];
  if (!lines.length) return undefined;
  const c: Partial = { runner: 'vitest', passed: 0, failed: 0, skipped: 0 };
  for (const line of lines) addWords(c, line[1] as string);
  return c;
};

/** `Tests:       1 failed, 1 skipped, 1 passed, 3 total` — jest. */
const jest: Parser = (out) => {
  const lines = [...out.matchAll(/^Tests:\s+(.*?)\s*\d+ total\s*$/gm)];
  if (!lines.length) return undefined;
  const c: Partial = { runner: 'jest', passed: 0, failed: 0, skipped: 0 };
  for (const line of lines) addWords(c, line[1] as string);
  return c;
};

/** `  1 passing (3ms)` / `  1 pending` / `  1 failing` — mocha. */
const mocha: Parser = (out) => {
  const passing = [...out.matchAll(/^\s*(\d+) passing\b/gm)];
  if (!passing.length) return undefined;
  const sum = (re: RegExp) => [...out.matchAll(re)].reduce((s, m) => s + Number(m[1]), 0);
  return {
    runner: 'mocha',
    passed: passing.reduce((s, m) => s + Number(m[1]), 0),
    failed: sum(/^\s*(\d+) failing\b/gm),
    skipped: sum(/^\s*(\d+) pending\b/gm),
  };
};

/** `===== 1 failed, 1 passed, 1 skipped, 1 xfailed in 0.63s =====` — pytest. */
const pytest: Parser = (out) => {
  const lines = [...out.matchAll(/^=+ (.*?) in [\d.]+s(?: \([^)]*\))? =+\s*$/gm)].filter((m) =>
    /\d+ (?:passed|failed|skipped|error|errors|xfailed|xpassed|deselected)\b|no tests ran/.test(m[1] as string),
  );
  const last = lines.at(-1);
  if (!last) return undefined;
  const c: Partial = { runner: 'pytest', passed: 0, failed: 0, skipped: 0 };
  for (const m of (last[1] as string).matchAll(/(\d+) (passed|failed|skipped|errors?|xfailed|xpassed|deselected)/g)) {
    const n = Number(m[1]);
    const word = m[2] as string;
    if (word === 'passed' || word === 'xpassed') c.passed = (c.passed ?? 0) + n;
    else if (word === 'failed' || word.startsWith('error')) c.failed += n;
    else c.skipped += n;
  }
  return c;
};

/** `test result: FAILED. 1 passed; 1 failed; 1 ignored; 0 measured; 0 filtered out` — cargo test, one per binary. */
const cargo: Parser = (out) => {
  const lines = [
    ...out.matchAll(
      /^test result: \w+\. (\d+) passed; (\d+) failed; (\d+) ignored; \d+ measured; (\d+) filtered out/gm,
    ),
  ];
  if (!lines.length) return undefined;
  const c: Partial = { runner: 'cargo test', passed: 0, failed: 0, skipped: 0 };
  for (const m of lines) {
    c.passed = (c.passed ?? 0) + num(m[1]);
    c.failed += num(m[2]);
    c.skipped += num(m[3]) + num(m[4]);
  }
  return c;
};

/** `--- PASS: TestX` / `--- FAIL: TestX` / `--- SKIP: TestX`, `ok  \tpkg\t0.01s` — go test (passes only with -v). */
const goTest: Parser = (out) => {
  const top = (word: string) => [...out.matchAll(new RegExp(`^--- ${word}: `, 'gm'))].length;
  const [pass, fail, skip] = [top('PASS'), top('FAIL'), top('SKIP')];
  const packagesOk = /^ok\s+\S+\t/m.test(out);
  if (pass + fail + skip === 0 && !packagesOk && !/^FAIL\s+\S+\t/m.test(out)) return undefined;
  // Without -v go prints no line per passing test: the number that passed is then unknown, not zero.
  return { runner: 'go test', passed: pass === 0 && packagesOk ? null : pass, failed: fail, skipped: skip };
};

/** `Ran 3 tests in 0.001s` + `FAILED (failures=1, skipped=1)` — python's unittest. */
const unittest: Parser = (out) => {
  const ran = /^Ran (\d+) tests? in /m.exec(out);
  if (!ran) return undefined;
  const verdict = /^(OK|FAILED)(?: \(([^)]*)\))?\s*$/m.exec(out);
  const field = (name: string) => num(new RegExp(`\\b${name}=(\\d+)`).exec(verdict?.[2] ?? '')?.[1]);
  const failed = field('failures') + field('errors');
  const skipped = field('skipped') + field('expected failures');
  return { runner: 'unittest', passed: Number(ran[1]) - failed - skipped, failed, skipped };
};

const PARSERS: Parser[] = [nodeTest, vitest, jest, mocha, pytest, cargo, goTest, unittest];

function addWords(c: Partial, words: string): void {
  for (const m of words.matchAll(/(\d+) (failed|passed|skipped|todo|pending)/g)) {
    const n = Number(m[1]);
    if (m[2] === 'passed') c.passed = (c.passed ?? 0) + n;
    else if (m[2] === 'failed') c.failed += n;
    else c.skipped += n;
  }
}

export function parseTestCounts(output: string): TestCounts | undefined {
  const found = PARSERS.map((p) => p(output)).filter((c): c is Partial => !!c);
  if (!found.length) return undefined;
  return {
    runner: found.map((c) => c.runner).join(' + '),
    passed: found.some((c) => c.passed === null) ? null : found.reduce((s, c) => s + (c.passed ?? 0), 0),
    failed: found.reduce((s, c) => s + c.failed, 0),
    skipped: found.reduce((s, c) => s + c.skipped, 0),
  };
}

/** Tests that ran as checks (passed or failed); null when the runner does not print passes. */
export function ranCount(c: TestCounts): number | null {
  return c.passed === null ? null : c.passed + c.failed;
}

const FAILURE_LINES: RegExp[] = [
  /^\s*not ok \d+ - (.+?)(?:\s+#.*)?$/gm, // node --test (TAP)
  /^\s*✖ (.+?)(?: \([\d.]+m?s\))?$/gm, // node --test (spec)
  /^\s*FAIL\s+(\S.*? > .+?)\s*$/gm, // vitest
  /^\s+● (.+? › .+?)\s*$/gm, // jest
  /^\s+\d+\) (.+?):?\s*$/gm, // mocha
  /^(?:FAILED|ERROR) (\S+)/gm, // pytest
  /^\s*--- FAIL: (\S+)/gm, // go test
  /^test (\S+) \.\.\. FAILED$/gm, // cargo test
  /^(?:FAIL|ERROR): (\S+ \([^)]+\))/gm, // unittest
];

/**
 * Names of the failing tests, as each runner prints them, so a failure that was already there at the base can be
 * told from a new one. Undefined when no runner's failure lines are recognised.
 */
export function failingTests(output: string): string[] | undefined {
  const names = new Set<string>();
  for (const re of FAILURE_LINES) for (const m of output.matchAll(re)) names.add((m[1] as string).trim());
  return names.size ? [...names].sort() : undefined;
}

/** Problems a typecheck or lint reported (tsc, eslint, biome, ruff, mypy); undefined when it does not say. */
export function problemCount(output: string): number | undefined {
  const said = [
    /Found (\d+) errors?\b/, // tsc, biome, ruff, mypy
    /✖ (\d+) problems?\b/, // eslint
  ]
    .map((re) => re.exec(output))
    .find(Boolean);
  if (said) return Number(said[1]);
  const tsc = [...output.matchAll(/^\S.*\(\d+,\d+\): error TS\d+/gm)].length;
  return tsc > 0 ? tsc : undefined;
}

/**
 * node --test names a test file that declared no test after the file itself: `ok 3 - /abs/test/b.test.js` (TAP) or
 * `✔ /abs/test/b.test.js (40ms)` (spec). Returns those files relative to `cwd`, top-level entries only.
 */
export function fileLevelTests(output: string, cwd: string): string[] | undefined {
  const root = cwd.endsWith('/') ? cwd : `${cwd}/`;
  const files = new Set<string>();
  for (const m of output.matchAll(/^(?:(?:not )?ok \d+ - |[✔✖] )(\/\S.*?)(?: \([\d.]+m?s\))?\s*$/gm)) {
    const name = m[1] as string;
    if (name.startsWith(root) && /\.[cm]?[jt]sx?$/.test(name)) files.add(name.slice(root.length));
  }
  return files.size ? [...files].sort() : undefined;
}
