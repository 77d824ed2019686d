/**
 * What a verify run says about each test, and the rules that turn two runs into FAIL_TO_PASS / PASS_TO_PASS and
 * one run into a grade. Pure: the outputs come from the caller.
 *
 * A test id is the test's name as its runner prints it (`shares add up`, `tests/test_x.py::test_y`), or, for a
 * command whose runner names no tests (a typecheck, an unknown runner), the command itself. duo's gate already
 * reads the failing names of eight runners (gate/counts.ts); passing names are read here from the same runners'
 * pass lines where they print them. A test counts as passing only on evidence: its runner listed it as passing,
 * or every command whose runner duo can read passed (then every test in them passed). Anything else — not seen,
 * its file crashed, its line cut from a huge log — counts as not passing.
 */

import { failingTests } from '../gate/counts.js';
import type { VerifyResult } from '../gate/types.js';

/** One verify command's outcome, as far as eval needs it. */
export interface Observation {
  command: string;
  /** The gate's verdict on the command: exit 0, tests ran, no failure reported inside. */
  passed: boolean;
  /** A runner duo can read reported on it (test counts or test names). */
  readable: boolean;
  passing: string[];
  failing: string[];
}

const PASS_LINES: RegExp[] = [
  /^\s*✔ (.+?)(?: \([\d.]+m?s\))?$/gm, // node --test (spec)
  /^\s*✓ (\S.*? > .+?)(?: \d+m?s)?\s*$/gm, // vitest (verbose)
  /^PASSED (\S+)/gm, // pytest -rA
  /^(\S+::\S+) PASSED\b/gm, // pytest -v
  /^\s*--- PASS: (\S+)/gm, // go test -v
  /^test (\S+) \.\.\. ok$/gm, // cargo test
  /^(\S+ \([^)]+\)) \.\.\. ok$/gm, // unittest -v
];

/** node --test's TAP: `ok 3 - name`, except a skipped or todo test (`ok 3 - name # SKIP`), which did not run. */
const TAP_OK = /^\s*ok \d+ - (.*?)(?:\s+#\s+(\w+)\b.*)?$/gm;

/** Names of the tests the runners list as passing; empty when no runner lists passes. */
export function passingTests(output: string): string[] {
  const names = new Set<string>();
  for (const re of PASS_LINES) for (const m of output.matchAll(re)) names.add((m[1] as string).trim());
  for (const m of output.matchAll(TAP_OK)) {
    const directive = (m[2] ?? '').toUpperCase();
    if (directive !== 'SKIP' && directive !== 'TODO') names.add((m[1] as string).trim());
  }
  return [...names].sort();
}

/**
 * The observation of one command from its gate result and its whole log. Names that carry the checkout's path
 * (node prints a crashed test file by its absolute path) are made relative, so runs in different folders compare.
 */
export function observe(result: VerifyResult, fullOutput: string, cwd: string): Observation {
  const local = (name: string) => name.split(`file://${cwd}/`).join('').split(`${cwd}/`).join('');
  const failing = (failingTests(fullOutput) ?? []).map(local);
  const failed = new Set(failing);
  const passing = passingTests(fullOutput)
    .map(local)
    .filter((n) => !failed.has(n));
  return {
    command: result.command,
    passed: result.passed,
    readable: result.counts !== undefined || failing.length > 0 || passing.length > 0,
    passing,
    failing: [...failed].sort(),
  };
}

/** Whether an id passed in a run: see the file's overview for what counts as evidence. */
export function passes(id: string, run: Observation[]): boolean {
  const command = run.find((o) => o.command === id);
  if (command) return command.passed;
  if (run.some((o) => o.failing.includes(id))) return false;
  if (run.some((o) => o.passing.includes(id))) return true;
  const readable = run.filter((o) => o.readable);
  return readable.length > 0 && readable.every((o) => o.passed);
}

export interface Classified {
  failToPass: string[];
  passToPass: string[];
  /** Ids seen in the fixed run that do not pass there (a test the commit itself leaves failing). */
  failingAtFix: string[];
}

/**
 * FAIL_TO_PASS and PASS_TO_PASS from the base with the new tests (`before`) and the fixed code with them (`after`).
 * A command whose runner names its tests is judged test by test; any other command as a whole.
 */
export function classify(before: Observation[], after: Observation[]): Classified {
  const failToPass: string[] = [];
  const passToPass: string[] = [];
  const failingAtFix: string[] = [];
  for (const fixed of after) {
    const base = before.find((o) => o.command === fixed.command);
    // A runner that lists passes names every test that ran; a name only the base run printed (a test file that
    // could not load there) is then no test of its own. Without pass lists, the failing names are all there is.
    const named = fixed.passing.length
      ? [...fixed.passing, ...fixed.failing]
      : [...fixed.failing, ...(base ? [...base.passing, ...base.failing] : [])];
    const ids = named.length ? [...new Set(named)].sort() : [fixed.command];
    for (const id of ids) {
      if (!passes(id, after)) failingAtFix.push(id);
      else if (base && passes(id, before)) passToPass.push(id);
      else failToPass.push(id);
    }
  }
  const unique = (ids: string[]) => [...new Set(ids)];
  return { failToPass: unique(failToPass), passToPass: unique(passToPass), failingAtFix: unique(failingAtFix) };
}

/** A grade: every FAIL_TO_PASS and PASS_TO_PASS id, and whether it passed on the graded code. */
export function grade(failToPass: string[], passToPass: string[], run: Observation[]) {
  const f2p = failToPass.map((id) => ({ id, passed: passes(id, run) }));
  const p2p = passToPass.map((id) => ({ id, passed: passes(id, run) }));
  return { f2p, p2p, resolved: f2p.every((t) => t.passed) && p2p.every((t) => t.passed) };
}
