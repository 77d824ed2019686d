import { describe, expect, it } from 'vitest';
import { parseDiff } from '../../../../src/record/html/diff.js';

/** The run page's diff: per file, each line with its old and new numbers, so a finding's line can be found. */
describe('parseDiff', () => {
  const text = [
    'diff --git a/src/a.js b/src/a.js',
    'index 111..222 100644',
    '--- a/src/a.js',
    '+++ b/src/a.js',
    '@@ -3,4 +3,5 @@ export function a() {',
    ' const x = 1;',
    '-return x;',
    '+if (x) {',
    '+  return x;',
    '+}',
    ' // end',
    '\\ No newline at end of file',
    'diff --git a/logo.png b/logo.png',
    'new file mode 100644',
    'index 000..333',
    'Binary files /dev/null and b/logo.png differ',
    '',
  ].join('\n');
  const names = new Map([
    ['src/a.js', 'M'],
    ['logo.png', 'A'],
  ]);

  it('numbers every line on its side, and keeps hunk headers and notes as such', () => {
    const { files } = parseDiff(text, names);
    const a = files[0];
    expect(a).toMatchObject({ path: 'src/a.js', status: 'M', added: 3, removed: 1, binary: false, cut: 0 });
    expect(a?.lines.map((l) => [l.kind, l.old, l.new, l.text])).toEqual([
      ['hunk', null, null, '@@ -3,4 +3,5 @@ export function a() {'],
      ['ctx', 3, 3, 'const x = 1;'],
      ['del', 4, null, 'return x;'],
      ['add', null, 4, 'if (x) {'],
      ['add', null, 5, '  return x;'],
      ['add', null, 6, '}'],
      ['ctx', 5, 7, '// end'],
      ['meta', null, null, '\\ No newline at end of file'],
    ]);
  });

  it('says a binary file is one, and keeps its mode line', () => {
    const png = parseDiff(text, names).files[1];
    expect(png).toMatchObject({ path: 'logo.png', status: 'A', binary: true, added: 0, removed: 0 });
    expect(png?.lines.map((l) => l.text)).toEqual([
      'new file mode 100644',
      'Binary files /dev/null and b/logo.png differ',
    ]);
  });

  it('cuts a file past its line cap and says how much is left out', () => {
    const long = [
      'diff --git a/big.txt b/big.txt',
      '--- /dev/null',
      '+++ b/big.txt',
      '@@ -0,0 +1,2000 @@',
      ...Array.from({ length: 2000 }, (_, i) => `+line ${i + 1}`),
      '',
    ].join('\n');
    const { files, note } = parseDiff(long, new Map([['big.txt', 'A']]));
    expect(files[0]?.lines).toHaveLength(1500);
    expect(files[0]?.cut).toBe(501);
    expect(files[0]?.added).toBe(2000);
    expect(note).toMatch(/1 file\(s\) are cut short/);
  });

  it('pairs file names with their text by order when git quotes a name in the header', () => {
    const quoted = ['diff --git "a/we\\"ird.js" "b/we\\"ird.js"', '@@ -1 +1 @@', '-a', '+b', ''].join('\n');
    const { files } = parseDiff(quoted, new Map([['we"ird.js', 'M']]));
    expect(files[0]?.path).toBe('we"ird.js');
    expect(files[0]?.lines.map((l) => l.kind)).toEqual(['hunk', 'del', 'add']);
  });
});
