import { describe, expect, it } from 'vitest';
import { isTestPath } from '../../../../src/gate/integrity/conventions.js';

describe('test-side files by each runner’s conventions', () => {
  it.each([
    // node --test's own defaults, at any depth
    'test.js',
    'test.mjs',
    'lib/test.cjs',
    'test-sum.js',
    'src/sum-test.js',
    'src/deep/sum_test.mjs',
    'test/anything/helper.js',
    // vitest / jest / mocha / Cypress / Playwright
    'src/sum.test.ts',
    'src/sum.spec.tsx',
    'src/__tests__/sum.js',
    'cypress/e2e/login.cy.ts',
    'src/login.cy.js',
    'e2e/login.js',
    // helpers, fixtures, mocks and utilities
    'src/__mocks__/api.js',
    'src/__fixtures__/order.json',
    'fixtures/order.json',
    'test-utils/render.js',
    'src/test-utils.ts',
    'src/test_utils.js',
    // Python: pytest, unittest, Django
    'tests/test_api.py',
    'app/models_test.py',
    'polls/tests.py',
    // go, Ruby, JVM, .NET
    'internal/x_test.go',
    'spec/models/user_spec.rb',
    'src/test/java/SumTest.java',
    'Tests/SumTests.cs',
    'Billing.Tests/InvoiceTests.cs',
    'Billing.UnitTests/Rounding.cs',
    // snapshots and golden files, wherever they sit
    'src/__snapshots__/x.test.ts.snap',
    'src/render.snap',
    'testdata/out.golden',
    'golden/invoice.txt',
    'docs/api.approved.txt',
  ])('%s is test-side', (p) => expect(isTestPath(p)).toBe(true));

  it.each([
    'src/x.js',
    'src/testing.ts',
    'contest.py',
    'src/latest.js',
    'README.md',
    'src/attest.js',
    'src/contest/x.js',
  ])('%s is not', (p) => expect(isTestPath(p)).toBe(false));
});
