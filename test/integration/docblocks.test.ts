import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * A `/** … *\/` docblock describes the declaration right below it: that is where an editor shows it, and where a
 * reader looks. A file's overview is the first thing in the file, above its imports, followed by a blank line; any
 * other docblock sits directly on its own declaration. Read with TypeScript's own parser, as an editor reads it.
 */
const src = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
}

const where = (sf: ts.SourceFile, pos: number) =>
  `${relative(src, sf.fileName)}:${sf.getLineAndCharacterOfPosition(pos).line + 1}`;

/** Every docblock TypeScript attaches to a node, with the node it is attached to. */
function* docblocks(sf: ts.SourceFile): Generator<{ node: ts.Node; docs: ts.JSDoc[] }> {
  const stack: ts.Node[] = [sf];
  for (let node = stack.pop(); node; node = stack.pop()) {
    const docs = (node as { jsDoc?: ts.JSDoc[] }).jsDoc ?? [];
    if (docs.length) yield { node, docs };
    ts.forEachChild(node, (child) => {
      stack.push(child);
    });
  }
}

describe('docblocks in src/', () => {
  it('no declaration carries two docblocks (one of them belongs somewhere else)', () => {
    const stacked: string[] = [];
    for (const file of files(src)) {
      const sf = parse(file);
      for (const { node, docs } of docblocks(sf)) if (docs.length > 1) stacked.push(where(sf, node.getStart(sf)));
    }
    expect(stacked).toEqual([]);
  });

  it('a docblock set apart by a blank line is the file overview, at the top of the file', () => {
    const adrift: string[] = [];
    for (const file of files(src)) {
      const sf = parse(file);
      for (const { docs } of docblocks(sf))
        for (const doc of docs) {
          const start = doc.getStart(sf);
          const apart = /^[ \t]*\r?\n[ \t]*\r?\n/.test(sf.text.slice(doc.end));
          if (apart && sf.text.slice(0, start).trim() !== '') adrift.push(where(sf, start));
        }
    }
    expect(adrift).toEqual([]);
  });
});
