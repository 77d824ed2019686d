/**
 * Test-side files by the conventions of each supported runner: where node --test, vitest, jest, mocha, pytest,
 * unittest, Django, go test, cargo, Cypress, .NET and JVM test tools look for tests, helpers, fixtures, snapshots
 * and golden files. A convention is one of three ways a file becomes test-side (test-side.ts adds what runner configs
 * name and what only tests import); on its own it is a path rule, so it errs towards naming too much: a file it
 * names can still change, with the changed lines' original version re-run by the gate.
 */

import picomatch from 'picomatch';

/** JavaScript and TypeScript module extensions node, vitest and jest load. */
const JS = '{js,cjs,mjs,jsx,ts,cts,mts,tsx}';

const TEST_SIDE = picomatch(
  [
    // Folders of tests, helpers, mocks, fixtures and snapshots, at any depth.
    '**/{test,tests,__tests__,spec,specs,__mocks__,__snapshots__,__fixtures__,fixtures,testdata,test-utils,test_utils,testutils,e2e,cypress}/**',
    // .NET and JVM test projects: Tests/, Foo.Tests/, Foo.UnitTests/.
    '**/{Test,Tests}/**',
    '**/*.{Test,Tests,UnitTests,IntegrationTests}/**',
    // JS/TS: vitest, jest, mocha, Cypress, Playwright.
    `**/*.{test,spec,cy,e2e}.${JS}`,
    // node --test's own defaults, at any depth: test.js, test-*.js, *-test.js, *_test.mjs (and their TS twins).
    `**/{test,test-*,*-test,*_test}.${JS}`,
    // Shared test utilities by name.
    `**/{test-utils,test_utils,testUtils,testHelpers,test-helpers,test_helpers}.${JS}`,
    // Python: pytest, unittest and Django.
    '**/{test_*,*_test,tests}.py',
    // go, Ruby, JVM, .NET, PHP, Swift.
    '**/*_test.go',
    '**/*_spec.rb',
    '**/*{Test,Tests,Spec,IT}.{java,kt,scala,groovy,cs,php,swift}',
    // Snapshot, approval and golden files, wherever they sit.
    '**/*.{snap,snapshot,golden}',
    '**/*.approved.*',
    '**/{golden,goldens}/**',
  ],
  { dot: true },
);

/** A test, test helper, fixture, snapshot or golden file by the usual conventions of each ecosystem. */
export function isTestPath(path: string): boolean {
  return TEST_SIDE(path);
}
