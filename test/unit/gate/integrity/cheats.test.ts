import { describe, expect, it } from 'vitest';
import { assertionLiterals, type ChangedFile, scanCheats } from '../../../../src/gate/integrity/cheats.js';

const code = (path: string, head: string, base: string | null = ''): ChangedFile => ({ path, base, head, test: false });
const rules = async (files: ChangedFile[], literals: string[] = []) =>
  (await scanCheats(files, new Set(literals))).map((s) => `${s.rule}@${s.path}:${s.line}`);

describe('code-only cheats in the added lines', () => {
  it('runner detection: NODE_TEST_CONTEXT, VITEST, JEST_WORKER_ID, a new NODE_ENV test branch, pytest in sys.modules', async () => {
    expect(
      await rules([
        code('src/a.js', 'export const f = () => (process.env.NODE_TEST_CONTEXT ? 3 : compute());\n'),
        code('src/b.ts', 'if (process.env.VITEST) module.exports.x = 1;\n'),
        code('src/c.js', 'const w = process.env.JEST_WORKER_ID;\n'),
        code('src/d.js', "if (process.env.NODE_ENV === 'test') return 3;\n"),
        code('app/e.py', "import sys\nif 'pytest' in sys.modules:\n    RESULT = 3\n"),
        code('app/f.py', "import os\nX = os.environ.get('PYTEST_CURRENT_TEST')\n"),
      ]),
    ).toEqual([
      'runner-detection@src/a.js:1',
      'runner-detection@src/b.ts:1',
      'runner-detection@src/c.js:1',
      'runner-detection@src/d.js:1',
      'runner-detection@app/e.py:2',
      'runner-detection@app/f.py:2',
    ]);
  });

  it('exit at import: at module level (a top-level if too), never inside a function', async () => {
    const js =
      'export function main() {\n  process.exit(1);\n}\nif (!globalThis.ok) process.exit(0);\nconst stop = () => process.exit(2);\n';
    const py = 'import sys\n\ndef main():\n    sys.exit(1)\n\nif True:\n    sys.exit(0)\n';
    expect(await rules([code('src/cli.js', js), code('app/m.py', py)])).toEqual([
      'exit-at-import@src/cli.js:4',
      'exit-at-import@app/m.py:7',
    ]);
  });

  it('patched assertions from non-test code, or from a new test file; the test runner imported by code', async () => {
    const files = [
      code('src/boot.js', "import assert from 'node:assert';\nassert.equal = () => {};\n"),
      code('src/matchers.js', 'expect.extend({ toBe: () => ({ pass: true }) });\n'),
      code('src/g.js', 'globalThis.it = (name) => {};\n'),
      code('src/h.js', "import { test } from 'vitest';\n"),
      {
        path: 'test/zz.test.js',
        base: null,
        head: "import assert from 'node:assert';\nassert.deepEqual = () => {};\n",
        test: true,
      },
      code('app/p.py', 'import unittest\nunittest.TestCase.assertEqual = lambda *a: None\n'),
    ];
    expect(await rules(files)).toEqual([
      'patches-assertions@src/boot.js:2',
      'patches-assertions@src/matchers.js:1',
      'patches-assertions@src/g.js:1',
      'patches-assertions@src/h.js:1',
      'patches-assertions@test/zz.test.js:2',
      'patches-assertions@app/p.py:1',
      'patches-assertions@app/p.py:2',
    ]);
  });

  it("special-cased test inputs: a new equality against a literal a test asserts on; trivial literals don't count", async () => {
    const lits = assertionLiterals(
      "assert.equal(add(0.1, 0.2), 0.3);\nexpect(slug('Hello World')).toBe('hello-world');\n",
    );
    expect(lits).toEqual(expect.arrayContaining(['0.1', '0.2', '0.3', '"Hello World"', '"hello-world"']));
    const files = [
      code(
        'src/add.js',
        'export function add(a, b) {\n  if (a === 0.1 && b === 0.2) return 0.3;\n  return a + b;\n}\n',
      ),
      code('src/slug.js', "export const slug = (s) => (s === 'Hello World' ? 'hello-world' : s);\n"),
      code('src/ok.js', 'export const f = (x) => {\n  if (x === 0) return 1;\n  return x * 2;\n};\n'),
    ];
    expect(await rules(files, lits)).toEqual([
      'special-cases-test-input@src/add.js:2',
      'special-cases-test-input@src/slug.js:1',
    ]);
  });

  it('honest code raises nothing: lines already at the base, comments, ordinary branches and exits in a CLI main', async () => {
    const base = "if (process.env.NODE_ENV === 'test') setup();\n";
    const files = [
      code('src/env.js', `${base}export const x = 1;\n`, base),
      code(
        'src/cli.js',
        '// process.exit(0) at the end of main\nexport async function main() {\n  await run();\n  process.exit(0);\n}\n',
      ),
      code('src/calc.js', 'export const half = (n) => (n % 2 === 0 ? n / 2 : null);\n'),
      code('README.md', 'process.env.VITEST\n'),
    ];
    expect(await rules(files, ['2'])).toEqual([]);
  });
});
