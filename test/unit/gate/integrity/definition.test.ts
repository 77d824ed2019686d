import { describe, expect, it } from 'vitest';
import { declaredMatcher } from '../../../../src/gate/integrity/acceptance.js';
import { gateScope } from '../../../../src/gate/integrity/config-refs.js';
import {
  gateFileKind,
  lockfileToolEntries,
  manifestProjection,
  restoreManifest,
} from '../../../../src/gate/integrity/definition.js';
import { addedMarkers } from '../../../../src/gate/integrity/markers.js';
import { onlyAdds } from '../../../../src/gate/integrity/protection.js';

describe('which files define the gate', () => {
  it('classifies configs, manifests and lockfiles', () => {
    expect(gateFileKind('Makefile')).toBe('file');
    expect(gateFileKind('vitest.config.ts')).toBe('file');
    expect(gateFileKind('packages/a/jest.config.js')).toBe('file');
    expect(gateFileKind('.mocharc.yml')).toBe('file');
    expect(gateFileKind('tsconfig.build.json')).toBe('file');
    expect(gateFileKind('eslint.config.mjs')).toBe('file');
    expect(gateFileKind('biome.json')).toBe('file');
    expect(gateFileKind('conftest.py')).toBe('file');
    expect(gateFileKind('tests/conftest.py')).toBe('file');
    expect(gateFileKind('pytest.ini')).toBe('file');
    expect(gateFileKind('package.json')).toBe('manifest');
    expect(gateFileKind('pyproject.toml')).toBe('manifest');
    expect(gateFileKind('package-lock.json')).toBe('lockfile');
    expect(gateFileKind('requirements-dev.txt')).toBe('lockfile');
    expect(gateFileKind('src/index.ts')).toBeUndefined();
    expect(gateFileKind('scripts/test.sh')).toBeUndefined();
    expect(
      gateFileKind('scripts/test.sh', { namedFiles: new Map([['scripts/test.sh', 'npm test']]), scripts: null }),
    ).toBe('file');
  });

  it('package.json: scripts and test tools are the gate; other dependencies are not', () => {
    const base = JSON.stringify({ name: 'a', scripts: { test: 'node --test' }, dependencies: { lodash: '^4' } });
    const newDep = JSON.stringify({
      name: 'a',
      scripts: { test: 'node --test' },
      dependencies: { lodash: '^4', zod: '^4' },
    });
    const bent = JSON.stringify({
      name: 'a',
      scripts: { test: 'node --test || true' },
      dependencies: { lodash: '^4' },
    });
    const swapped = JSON.stringify({
      name: 'a',
      scripts: { test: 'node --test' },
      devDependencies: { vitest: 'npm:fake@1' },
    });
    const p = (t: string) => manifestProjection('package.json', t);
    expect(p(newDep)).toBe(p(base));
    expect(p(bent)).not.toBe(p(base));
    expect(p(swapped)).not.toBe(p(base));
  });

  it('restoreManifest puts back the gate part and keeps the rest', () => {
    const base = `${JSON.stringify({ name: 'a', scripts: { test: 'node --test' } }, null, 2)}\n`;
    const now = `${JSON.stringify({ name: 'a', scripts: { test: 'node --test || true', build: 'tsc' }, dependencies: { zod: '^4' }, devDependencies: { vitest: '1' } }, null, 2)}\n`;
    const restored = JSON.parse(restoreManifest('package.json', now, base));
    expect(restored).toEqual({ name: 'a', scripts: { test: 'node --test' }, dependencies: { zod: '^4' } });
    expect(restoreManifest('package.json', now, base).endsWith('}\n')).toBe(true);
  });

  it('pyproject.toml: only the tool sections count, and only they are restored', () => {
    const base = '[project]\nname = "a"\ndependencies = []\n\n[tool.pytest.ini_options]\ntestpaths = ["tests"]\n';
    const dep = base.replace('dependencies = []', 'dependencies = ["httpx"]');
    const bent = base.replace('testpaths = ["tests"]', 'testpaths = ["tests/unit"]\naddopts = "-k not slow"');
    expect(manifestProjection('pyproject.toml', dep)).toBe(manifestProjection('pyproject.toml', base));
    expect(manifestProjection('pyproject.toml', bent)).not.toBe(manifestProjection('pyproject.toml', base));
    const both = bent.replace('dependencies = []', 'dependencies = ["httpx"]');
    const back = restoreManifest('pyproject.toml', both, base);
    expect(back).toContain('dependencies = ["httpx"]');
    expect(back).toContain('testpaths = ["tests"]');
    expect(back).not.toContain('-k not slow');
  });

  it('lockfiles: a swapped test runner shows; an unrelated package does not', () => {
    const lock = (vitest: string, other: string) =>
      JSON.stringify({
        lockfileVersion: 3,
        packages: {
          '': { name: 'a' },
          'node_modules/vitest': { version: vitest },
          'node_modules/left-pad': { version: other },
        },
      });
    const p = (t: string) => lockfileToolEntries('package-lock.json', t);
    expect(p(lock('4.1.0', '1.0.1'))).toBe(p(lock('4.1.0', '1.0.0')));
    expect(p(lock('0.0.1-fake', '1.0.0'))).not.toBe(p(lock('4.1.0', '1.0.0')));
    const yarn = (v: string) => `left-pad@^1:\n  version "1.0.0"\n\njest@^29:\n  version "${v}"\n`;
    expect(lockfileToolEntries('yarn.lock', yarn('29.7.0'))).not.toBe(lockfileToolEntries('yarn.lock', yarn('0.0.1')));
    const req = (v: string) => `requests==2.31\npytest==${v}\n`;
    expect(lockfileToolEntries('requirements-dev.txt', req('8.0'))).not.toBe(
      lockfileToolEntries('requirements-dev.txt', req('0.1')),
    );
  });

  it('files the verify commands and their scripts name are part of the gate, and so are the scripts they run', () => {
    const files = new Set(['scripts/test.sh', 'tools/lint.js', 'src/index.js', 'test/a.test.js']);
    const pkg = JSON.stringify({
      scripts: { test: 'bash scripts/test.sh', lint: 'node ./tools/lint.js && npm run x', x: 'echo', build: 'tsc' },
    });
    const scope = gateScope(
      [
        { command: 'npm test', kind: 'test', source: 'package.json' },
        { command: 'npm run lint', kind: 'lint', source: 'package.json' },
      ],
      { files, texts: new Map([['package.json', pkg]]) },
    );
    expect([...scope.namedFiles.keys()]).toEqual(['scripts/test.sh', 'tools/lint.js']);
    expect([...(scope.scripts ?? [])].sort()).toEqual(
      ['lint', 'postlint', 'posttest', 'postx', 'prelint', 'pretest', 'prex', 'test', 'x'].sort(),
    );
    // An unrelated script added or changed is not a change to the gate; a pretest hook is.
    const p = (scripts: Record<string, string>) =>
      manifestProjection('package.json', JSON.stringify({ scripts }), scope);
    const base = JSON.parse(pkg).scripts;
    expect(p({ ...base, build: 'tsc -b', start: 'node .' })).toBe(p(base));
    expect(p({ ...base, pretest: 'exit 0' })).not.toBe(p(base));
    expect(p({ ...base, x: 'true' })).not.toBe(p(base));
    // Restoring puts back only the gate's scripts.
    const now = JSON.stringify({ scripts: { ...base, test: 'true', build: 'tsc -b' } });
    expect(JSON.parse(restoreManifest('package.json', now, pkg, scope)).scripts).toEqual({ ...base, build: 'tsc -b' });
  });

  it('declared paths match exactly or as a named folder, never as a blanket glob', () => {
    const m = declaredMatcher(['./test/a.test.js', 'test/legacy/']);
    expect(m('test/a.test.js')).toBe(true);
    expect(m('test/legacy/old.test.js')).toBe(true);
    expect(m('test/b.test.js')).toBe(false);
    expect(declaredMatcher([])('x')).toBe(false);
    for (const blanket of ['**', 'test/**', '*.json', '/', '../x', '/etc/passwd'])
      expect(declaredMatcher([blanket])('test/a.test.js') || declaredMatcher([blanket])('package.json'), blanket).toBe(
        false,
      );
  });

  it('package-manager settings and Python start-up files are part of the gate', () => {
    expect(gateFileKind('.npmrc')).toBe('file');
    expect(gateFileKind('sitecustomize.py')).toBe('file');
    expect(gateFileKind('.yarnrc.yml')).toBe('file');
  });
});

describe('skip and focus markers added', () => {
  it('counts new markers per file, with the line', () => {
    const base = "test('a', () => {});\ntest('b', () => {});\n";
    const head = "test.skip('a', () => {});\ntest('b', () => {});\nit.only('c', () => {});\n";
    expect(addedMarkers('test/a.test.js', base, head)).toEqual([
      { path: 'test/a.test.js', line: 1, marker: '.skip', added: 1 },
      { path: 'test/a.test.js', line: 3, marker: '.only', added: 1 },
    ]);
  });
  it('each ecosystem', () => {
    expect(addedMarkers('t.test.js', '', "xit('a', f)\ntest('b', { skip: true }, f)\ntest.todo('c')")).toHaveLength(3);
    expect(
      addedMarkers('tests/test_a.py', 'def test_a(): pass\n', '@pytest.mark.skip\ndef test_a(): pass\n'),
    ).toHaveLength(1);
    expect(addedMarkers('tests/test_a.py', '', 'def test_a():\n    pytest.xfail("later")\n')).toHaveLength(1);
    expect(addedMarkers('x_test.go', '', 'func TestA(t *testing.T) { t.Skip("no") }')).toHaveLength(1);
    expect(addedMarkers('src/lib.rs', '#[test]\nfn a() {}', '#[test]\n#[ignore]\nfn a() {}')).toHaveLength(1);
  });
  it('markers already there at the base, or skip: false, are not added ones', () => {
    const t = "test.skip('a', f);\ntest('b', { skip: false }, f);\n";
    expect(addedMarkers('a.test.js', t, t)).toEqual([]);
    expect(addedMarkers('a.test.js', null, "test('b', { skip: false }, f);")).toEqual([]);
    expect(addedMarkers('a.test.js', 'x', null)).toEqual([]);
  });
});

describe('an edit that only adds lines', () => {
  it('keeps every base line in order', () => {
    expect(onlyAdds('a\nb\n', 'a\nnew\nb\nmore\n')).toBe(true);
    expect(onlyAdds('a\nb\n', 'a\nB\n')).toBe(false);
    expect(onlyAdds('a\nb\n', 'b\na\n')).toBe(false);
    expect(onlyAdds('a\nb\n', 'a\n')).toBe(false);
  });
});
