/**
 * "No tests ran" is not green. Each runner says it differently; these are the phrases that mean zero tests were
 * executed, matched only against a test command's own output. Returns the phrase that matched, for the report.
 */

const PATTERNS: RegExp[] = [
  /No tests found/, // jest
  /No test files found/, // vitest
  /no tests ran/i, // pytest
  /^\s*(?:#|ℹ)\s*tests 0\s*$/m, // node --test (TAP and spec reporters)
  /^Ran 0 tests/m, // unittest
  /^1\.\.0\b/m, // TAP plan with zero tests
  /^\s*0 passing\b/m, // mocha
];

export function noTestsRan(output: string, exitCode: number | null): string | undefined {
  if (exitCode === 5 && /pytest|=+ .*in [\d.]+s/i.test(output)) return 'pytest exit code 5: no tests collected';
  for (const p of PATTERNS) {
    const m = p.exec(output);
    if (!m) continue;
    // mocha prints "0 passing" with failures too; that is a red run, not an empty one.
    if (p.source.includes('passing') && /\d+ failing/.test(output)) continue;
    return m[0].trim();
  }
  // go: every package line says "[no test files]" and none ran.
  const goLines = output.split('\n').filter((l) => /^(ok|FAIL|\?)\s+\S+/.test(l));
  if (goLines.length && goLines.every((l) => /\[no test files\]/.test(l))) return '[no test files]';
  // cargo: every "running N tests" has N = 0.
  const cargo = [...output.matchAll(/^running (\d+) tests?$/gm)].map((m) => Number(m[1]));
  if (cargo.length && cargo.every((n) => n === 0)) return 'running 0 tests';
  return undefined;
}
