import { describe, expect, it } from 'vitest';
import { checkParsedPatch, parsePatch, pathViolation, symlinkEscapes, unquote } from '../../../src/workspace/patch.js';

/** Patches in the shape `git diff --cached --binary --no-renames` writes, and hostile variations of them. */
const modify = (path: string, q = path) =>
  `diff --git ${q === path ? `a/${path} b/${path}` : `"a/${q}" "b/${q}"`}
index 7898192..6178079 100644
--- ${q === path ? `a/${path}` : `"a/${q}"`}
+++ ${q === path ? `b/${path}` : `"b/${q}"`}
@@ -1 +1 @@
-a
+b
`;
const symlink = (path: string, target: string) => `diff --git a/${path} b/${path}
new file mode 120000
index 0000000..9b40195
--- /dev/null
+++ b/${path}
@@ -0,0 +1 @@
+${target}
\\ No newline at end of file
`;
const rename = (from: string, to: string) => `diff --git a/${from} b/${to}
similarity index 100%
rename from ${from}
rename to ${to}
`;
const BINARY = `diff --git a/assets/logo.png b/assets/logo.png
index 88768ef..3e3315e 100644
GIT binary patch
literal 5
McmZQzO3KUw00MIXJOBUy

literal 5
McmZQzOv=my00M6TI{*Lx

`;

const reasons = (patch: string, globs = ['**'], symlinkDirs: string[] = []) =>
  checkParsedPatch(patch, globs, symlinkDirs).violations.map((v) => `${v.path}: ${v.reason}`);

describe('checkParsedPatch: paths inside the declared files', () => {
  it('accepts a patch whose every path is declared', () => {
    expect(checkParsedPatch(modify('src/x.js') + modify('src/.env.example'), ['src/**'])).toEqual({
      ok: true,
      violations: [],
      notes: [],
    });
  });

  it('refuses a path outside the declared globs, and everything when none are declared', () => {
    const patch = modify('src/x.js') + modify('lib/y.js');
    expect(checkParsedPatch(patch, ['src/**'])).toEqual({
      ok: false,
      violations: [{ path: 'lib/y.js', reason: "outside the sub-task's declared files" }],
      notes: [],
    });
    expect(reasons(patch, [])).toEqual([
      "src/x.js: outside the sub-task's declared files",
      "lib/y.js: outside the sub-task's declared files",
    ]);
  });

  it('checks both sides of a rename', () => {
    expect(reasons(rename('src/a.js', 'lib/a.js'), ['src/**'])).toEqual([
      "lib/a.js: outside the sub-task's declared files",
    ]);
  });

  it('reads quoted paths with C escapes and paths with spaces', () => {
    expect(reasons(modify('src/café.txt', 'src/caf\\303\\251.txt'), ['src/café.txt'])).toEqual([]);
    expect(reasons(modify('src/my file.txt'), ['src/my file.txt'])).toEqual([]);
    expect(reasons(modify('src/my file.txt'), ['src/other.txt'])).toEqual([
      "src/my file.txt: outside the sub-task's declared files",
    ]);
  });

  it('checks a file that follows another file’s hunk (a headerless diff git apply also applies)', () => {
    const smuggled = `${modify('src/x.js')}--- a/other.txt
+++ b/other.txt
@@ -1 +1 @@
-o
+pwned
`;
    expect(reasons(smuggled, ['src/**'])).toEqual(["other.txt: outside the sub-task's declared files"]);
  });

  it('checks a patch with no diff --git header at all', () => {
    const traditional = '--- a/lib/y.js\n+++ b/lib/y.js\n@@ -1 +1 @@\n-a\n+b\n';
    expect(reasons(traditional, ['src/**'])).toEqual(["lib/y.js: outside the sub-task's declared files"]);
  });

  it('does not take hunk content that looks like a header for a path', () => {
    const patch = `diff --git a/src/notes.md b/src/notes.md
index 1111111..2222222 100644
--- a/src/notes.md
+++ b/src/notes.md
@@ -1,2 +1,2 @@
--- a/.git/config
+++ b/.git/config
 unchanged
`;
    expect(reasons(patch, ['src/**'])).toEqual([]);
  });
});

describe('checkParsedPatch: paths that leave the repository or reach into .git', () => {
  it.each([
    ['../outside.txt', 'climbs out of the repository with ".."'],
    ['src/../../outside.txt', 'climbs out of the repository with ".."'],
    ['.git/hooks/pre-commit', 'inside .git'],
    ['.GIT/config', 'inside .git'],
    ['vendor/lib/.Git/hooks/post-checkout', 'inside .git'],
    ['GIT~1/config', 'inside .git'],
  ])('refuses %s', (path, reason) => {
    expect(reasons(modify(path))).toContain(`${path}: ${reason}`);
  });

  it('refuses an absolute path', () => {
    expect(reasons(modify('/etc/passwd'))).toContain('/etc/passwd: absolute path, outside the repository');
  });

  it('refuses a quoted path that spells .git in octal escapes', () => {
    // "\056git" is ".git": only visible once the C quoting is undone.
    expect(reasons(modify('.git/config', '\\056git/config'))).toContain('.git/config: inside .git');
  });

  it('refuses a rename into .git, even when the header hides it', () => {
    expect(reasons(rename('hooks.sh', '.git/hooks/pre-commit'))).toContain('.git/hooks/pre-commit: inside .git');
    const hidden = `diff --git a/hooks.sh b/hooks.sh
similarity index 100%
rename from hooks.sh
rename to .git/hooks/pre-commit
`;
    expect(reasons(hidden)).toContain('.git/hooks/pre-commit: inside .git');
  });

  it('refuses a copy into .git', () => {
    const copy = `diff --git a/x.sh b/.git/hooks/x
similarity index 100%
copy from x.sh
copy to .git/hooks/x
`;
    expect(reasons(copy)).toContain('.git/hooks/x: inside .git');
  });

  it('refuses a +++ path into .git behind a harmless header', () => {
    const patch = `diff --git a/src/x.js b/src/x.js
new file mode 100644
--- /dev/null
+++ b/.git/hooks/pre-push
@@ -0,0 +1 @@
+rm -rf ~
`;
    expect(reasons(patch)).toContain('.git/hooks/pre-push: inside .git');
  });
});

describe('checkParsedPatch: symlinks', () => {
  it.each([
    ['../../etc/passwd', 'src/link'],
    ['/etc/passwd', 'src/link'],
    ['../.git/config', 'src/link'],
    ['..', 'link'],
  ])('refuses a new symlink pointing out of the repository (%s)', (target, path) => {
    expect(reasons(symlink(path, target))).toEqual([`${path}: a symlink pointing out of the repository (${target})`]);
  });

  it('accepts a symlink that stays inside the repository', () => {
    expect(reasons(symlink('src/link', '../lib/shared.js'))).toEqual([]);
  });

  it('checks the new target of a retargeted symlink', () => {
    const patch = `diff --git a/src/link b/src/link
index 1111111..2222222 120000
--- a/src/link
+++ b/src/link
@@ -1 +1 @@
-../lib/shared.js
\\ No newline at end of file
+/etc/shadow
\\ No newline at end of file
`;
    expect(reasons(patch)).toEqual(['src/link: a symlink pointing out of the repository (/etc/shadow)']);
  });

  it('refuses a write through a directory that is a symlink in the base, but not a change to the link itself', () => {
    expect(reasons(modify('vendor/lib.js'), ['**'], ['vendor'])).toEqual([
      'vendor/lib.js: goes through the symlink vendor',
    ]);
    expect(reasons(modify('vendor'), ['**'], ['vendor'])).toEqual([]);
    expect(reasons(modify('vendored/lib.js'), ['**'], ['vendor'])).toEqual([]);
  });
});

describe('checkParsedPatch: what the reviewer only sees summarised', () => {
  it('notes a binary file, in either form git writes it', () => {
    expect(checkParsedPatch(BINARY, ['assets/**'])).toEqual({
      ok: true,
      violations: [],
      notes: ['binary file assets/logo.png (summarised for the reviewer)'],
    });
    const plain = 'diff --git a/a.bin b/a.bin\nindex 1..2 100644\nBinary files a/a.bin and b/a.bin differ\n';
    expect(checkParsedPatch(plain, ['**']).notes).toEqual(['binary file a.bin (summarised for the reviewer)']);
  });

  it('notes a patch over 200 KB with its size, and not one under', () => {
    const body = (n: number) => Array.from({ length: n }, (_, i) => `+line ${i} ${'x'.repeat(90)}`).join('\n');
    const big = `diff --git a/src/big.txt b/src/big.txt\nnew file mode 100644\n--- /dev/null\n+++ b/src/big.txt\n@@ -0,0 +1,2500 @@\n${body(2500)}\n`;
    const small = `diff --git a/src/s.txt b/src/s.txt\nnew file mode 100644\n--- /dev/null\n+++ b/src/s.txt\n@@ -0,0 +1,10 @@\n${body(10)}\n`;
    expect(Buffer.byteLength(big)).toBeGreaterThan(200 * 1024);
    const { ok, notes } = checkParsedPatch(big, ['src/**']);
    expect(ok).toBe(true);
    expect(notes).toEqual([
      `the patch is ${Math.round(Buffer.byteLength(big) / 1024)} KB; the reviewer saw a summary of it`,
    ]);
    expect(checkParsedPatch(small, ['src/**']).notes).toEqual([]);
  });
});

describe('the parts', () => {
  it('parsePatch lists every path a file names, once', () => {
    expect(parsePatch(modify('src/x.js') + rename('a.js', 'b.js'))).toEqual([
      { paths: ['src/x.js'], binary: false },
      { paths: ['a.js', 'b.js'], binary: false },
    ]);
  });

  it('unquote undoes git’s C quoting and leaves unquoted text alone', () => {
    expect(unquote('"a/caf\\303\\251 \\"x\\"\\ttab"')).toBe('a/café "x"\ttab');
    expect(unquote('a/plain')).toBe('a/plain');
  });

  it('pathViolation names empty, Windows-absolute and NUL paths', () => {
    expect(pathViolation('')).toBe('empty path');
    expect(pathViolation('C:\\Windows\\x')).toBe('absolute path, outside the repository');
    expect(pathViolation('a\0b')).toBe('NUL in path');
    expect(pathViolation('src/.github/workflows/ci.yml')).toBeUndefined();
  });

  it('symlinkEscapes resolves the target from the link’s directory', () => {
    expect(symlinkEscapes('a/b/link', '../../x')).toBe(false);
    expect(symlinkEscapes('a/b/link', '../../../x')).toBe(true);
    expect(symlinkEscapes('a/link', './.GIT')).toBe(true);
  });
});
