import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { git, tempDir } from './harness.js';

/**
 * A small library's history for the eval tests, made by the test: bug-fix and feature commits that bring their
 * tests (one of them merged as a pull request, one referencing an issue whose text is in the repository), a
 * commit without tests, one whose new test already passes at its base, and one that changes only tests.
 */
export const SLUG_V0 = "export function slugify(s) {\n  return s.trim().split(/\\s+/).join('-');\n}\n";
export const SLUG_V1 = "export function slugify(s) {\n  return s.trim().split(/\\s+/).join('-').toLowerCase();\n}\n";
export const SLUG_V2 = "export function slugify(s) {\n  return s.trim().toLowerCase().split(/\\s+/).join('-');\n}\n";
const SLUG_TEST_V0 = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { slugify } from '../src/slug.js';

test('joins words with dashes', () => {
  assert.equal(slugify('a b  c'), 'a-b-c');
});
`;
const SLUG_TEST_V1 = `${SLUG_TEST_V0}
test('lowercases', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});
`;
const SLUG_TEST_V2 = `${SLUG_TEST_V1}
test('splits on tabs', () => {
  assert.equal(slugify('a\\tb'), 'a-b');
});
`;
export const CLAMP_V1 = 'export function clamp(x, lo, hi) {\n  return Math.min(hi, Math.max(lo, x));\n}\n';
export const CLAMP_V2 =
  'export function clamp(x, lo, hi) {\n  if (lo > hi) [lo, hi] = [hi, lo];\n  return Math.min(hi, Math.max(lo, x));\n}\n';
const CLAMP_TEST_V1 = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clamp } from '../src/clamp.js';

test('clamps below', () => {
  assert.equal(clamp(-5, 0, 10), 0);
});

test('clamps above', () => {
  assert.equal(clamp(50, 0, 10), 10);
});
`;
export const CLAMP_TEST_V2 = `${CLAMP_TEST_V1}
test('swaps reversed bounds', () => {
  assert.equal(clamp(5, 10, 0), 5);
});
`;
const CLAMP_TEST_V3 = `${CLAMP_TEST_V2}
test('keeps values inside', () => {
  assert.equal(clamp(3, 0, 10), 3);
});
`;
export const TRUNCATE = 'export function truncate(s, n) {\n  return s.length <= n ? s : s.slice(0, n - 1) + "…";\n}\n';
const TRUNCATE_TEST = `import assert from 'node:assert/strict';
import { test } from 'node:test';
import { truncate } from '../src/truncate.js';

test('truncates long text', () => {
  assert.equal(truncate('abcdef', 4), 'abc…');
});

test('keeps short text', () => {
  assert.equal(truncate('ab', 4), 'ab');
});
`;
export const ISSUE_3 =
  '# clamp() with reversed bounds\n\nclamp(5, 10, 0) returns 0. Bounds given the wrong way round should still clamp: the result must be 5.\n';

export interface EvalHistory {
  repo: string;
  /** The commits by what they are. */
  sha: {
    start: string;
    lowercase: string;
    clamp: string;
    clampReversed: string;
    readme: string;
    slugRefactor: string;
    merge: string;
    clampTests: string;
  };
}

export function makeEvalHistory(): EvalHistory {
  const repo = tempDir('duo-eval-history-');
  const write = (files: Record<string, string | null>) => {
    for (const [path, content] of Object.entries(files)) {
      const file = join(repo, path);
      if (content === null) rmSync(file, { force: true });
      else {
        mkdirSync(dirname(file), { recursive: true });
        writeFileSync(file, content);
      }
    }
  };
  const commit = (message: string, files: Record<string, string | null>) => {
    write(files);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-qm', message);
    return git(repo, 'rev-parse', 'HEAD').trim();
  };
  git(repo, 'init', '-q', '-b', 'main');
  const start = commit('Start the library', {
    'package.json': `${JSON.stringify({ name: 'lib', type: 'module', scripts: { test: 'node --test' } })}\n`,
    'README.md': '# lib\n',
    'issues/3.md': ISSUE_3,
    'src/slug.js': SLUG_V0,
    'test/slug.test.js': SLUG_TEST_V0,
  });
  const lowercase = commit('Lowercase slugs\n\nURLs are case-sensitive; "Hello World" must become hello-world.', {
    'src/slug.js': SLUG_V1,
    'test/slug.test.js': SLUG_TEST_V1,
  });
  const clamp = commit('Add clamp()', { 'src/clamp.js': CLAMP_V1, 'test/clamp.test.js': CLAMP_TEST_V1 });
  const clampReversed = commit('Fix clamp with reversed bounds\n\nFixes #3', {
    'src/clamp.js': CLAMP_V2,
    'test/clamp.test.js': CLAMP_TEST_V2,
  });
  const readme = commit('Explain the library in the README', { 'README.md': '# lib\n\nSlugs, clamps, truncation.\n' });
  const slugRefactor = commit('Simplify slugify; test tabs', {
    'src/slug.js': SLUG_V2,
    'test/slug.test.js': SLUG_TEST_V2,
  });
  git(repo, 'checkout', '-q', '-b', 'feature/truncate');
  commit('Add truncate()', { 'src/truncate.js': TRUNCATE });
  commit('Test truncate()', { 'test/truncate.test.js': TRUNCATE_TEST });
  git(repo, 'checkout', '-q', 'main');
  git(repo, 'merge', '-q', '--no-ff', '-m', 'Merge pull request #7 from feature/truncate', 'feature/truncate');
  const merge = git(repo, 'rev-parse', 'HEAD').trim();
  git(repo, 'branch', '-q', '-D', 'feature/truncate');
  const clampTests = commit('More clamp tests', { 'test/clamp.test.js': CLAMP_TEST_V3 });
  git(repo, 'tag', 'v1.0');
  return { repo, sha: { start, lowercase, clamp, clampReversed, readme, slugRefactor, merge, clampTests } };
}
