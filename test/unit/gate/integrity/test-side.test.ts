import { describe, expect, it } from 'vitest';
import { importGraph } from '../../../../src/gate/integrity/imports.js';
import { testSideFiles } from '../../../../src/gate/integrity/test-side.js';

async function sideOf(texts: Record<string, string>) {
  const files = new Set(Object.keys(texts));
  const graph = await importGraph(files, new Map(Object.entries(texts)));
  const manifests = new Map(Object.entries(texts).filter(([p]) => p.endsWith('package.json')));
  return testSideFiles(files, graph, manifests);
}

describe('test helpers: files only tests import', () => {
  it('a helper that asserts, imported only from tests, is test-side; so is a helper it imports', async () => {
    const side = await sideOf({
      'src/sum.js': 'export const sum = (a, b) => a + b;\n',
      'src/testing.js':
        "import assert from 'node:assert/strict';\nimport { near } from './near.js';\nexport const check = (a, b) => assert.ok(near(a, b));\n",
      'src/near.js': "import { strict } from 'node:assert';\nexport const near = (a, b) => Math.abs(a - b) < 1e-9;\n",
      'test.js':
        "import { sum } from './src/sum.js';\nimport { check } from './src/testing.js';\ncheck(sum(1, 2), 3);\n",
    });
    expect(side.get('test.js')).toMatch(/conventions/);
    expect(side.get('src/testing.js')).toMatch(/test helper: imported only from tests \(test\.js\)/);
    expect(side.get('src/near.js')).toMatch(/imported only from tests \(src\/testing\.js\)/);
    // The module under test, imported only from its test: not a helper, so the driver may fix it.
    expect(side.has('src/sum.js')).toBe(false);
  });

  it('a fixture builder by name; but not a module non-test code or a package entry point also reaches', async () => {
    const side = await sideOf({
      'package.json': JSON.stringify({ main: 'lib/index.js', exports: { './util': './lib/util.js' } }),
      'lib/index.js': "export * from './money.js';\n",
      'lib/money.js':
        "import assert from 'node:assert';\nexport const round = (x) => { assert(x >= 0); return Math.round(x); };\n",
      'lib/util.js': "import assert from 'node:assert';\nexport const u = () => assert(true);\n",
      'lib/order-fixtures.ts': 'export const order = { total: 10 };\n',
      'tests/money.test.ts':
        "import { round } from '../lib/money.js';\nimport { u } from '../lib/util.js';\nimport { order } from '../lib/order-fixtures.js';\n",
    });
    expect(side.has('lib/money.js')).toBe(false);
    expect(side.has('lib/util.js')).toBe(false);
    expect(side.get('lib/order-fixtures.ts')).toMatch(/test helper/);
  });

  it('Python: a helper module only test files import, relative and absolute imports resolved', async () => {
    const side = await sideOf({
      'app/__init__.py': '',
      'app/calc.py': 'def add(a, b):\n    return a + b\n',
      'app/checks.py': 'import pytest\n\ndef approx(a):\n    return pytest.approx(a)\n',
      'tests/test_calc.py':
        'from app.calc import add\nfrom app import checks\n\ndef test_add():\n    assert add(1, 2) == checks.approx(3)\n',
    });
    expect(side.get('app/checks.py')).toMatch(/imported only from tests \(tests\/test_calc\.py\)/);
    expect(side.has('app/calc.py')).toBe(false);
  });
});
