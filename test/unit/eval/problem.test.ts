import { describe, expect, it } from 'vitest';
import { issueFile, issueRefs } from '../../../src/eval/problem.js';

describe("a commit's issue references", () => {
  it('finds #12, (#12), fixes #12 and "issue 12", not a hex colour or a word with a number', () => {
    expect(issueRefs('Fix rounding (#12)\n\nFixes #3, see issue 40 and issues #41')).toEqual([12, 3, 40, 41]);
    expect(issueRefs('color #fff; step2 #abc')).toEqual([]);
  });

  it('finds the issue text among the files, by the usual places', () => {
    const paths = ['src/a.js', 'docs/issues/issue-12.md', '.github/issues/3.md', 'issues/040.txt', 'notissues/5.md'];
    expect(issueFile(paths, 12)).toBe('docs/issues/issue-12.md');
    expect(issueFile(paths, 3)).toBe('.github/issues/3.md');
    expect(issueFile(paths, 40)).toBe('issues/040.txt');
    expect(issueFile(paths, 5)).toBeUndefined();
    expect(issueFile(['issues/13.md'], 1)).toBeUndefined();
  });
});
