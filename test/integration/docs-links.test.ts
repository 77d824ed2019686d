/**
 * The README is a front page that links into docs/, and the docs link to each other: every relative link must reach
 * a file that exists, and a link with an anchor must reach a heading of that file (GitHub's slugs), so moving a
 * section cannot leave a dead link behind.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const pages = [
  'README.md',
  ...readdirSync(join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** GitHub's anchor for a heading: lower case, punctuation but `-` and `_` dropped, spaces to `-`. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1] as string)));
}

function linksOf(file: string): string[] {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  const targets = [...text.matchAll(/\]\(([^)\s]+)\)/g), ...text.matchAll(/<img src="([^"]+)"/g)].map(
    (m) => m[1] as string,
  );
  return targets.filter((t) => !/^[a-z]+:/.test(t));
}

describe('the README and docs/', () => {
  it('the README is a front page: at most 150 lines', () => {
    expect(readFileSync(join(root, 'README.md'), 'utf8').trimEnd().split('\n').length).toBeLessThanOrEqual(150);
  });

  it.each(pages)('%s: every relative link reaches a file, and every anchor a heading', (page) => {
    const from = join(root, page);
    const dead: string[] = [];
    for (const link of linksOf(from)) {
      const [path, anchor] = link.split('#') as [string, string | undefined];
      const target = path === '' ? from : resolve(dirname(from), path);
      if (!existsSync(target)) dead.push(`${link} (no such file)`);
      else if (anchor && target.endsWith('.md') && !anchorsOf(target).has(anchor))
        dead.push(`${link} (no such heading)`);
    }
    expect(dead).toEqual([]);
  });
});
