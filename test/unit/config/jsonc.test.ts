import { describe, expect, it } from 'vitest';
import { stripJsonComments } from '../../../src/config/jsonc.js';

/** duo.config.json may carry comments, like tsconfig.json. */
describe('stripJsonComments', () => {
  it('comments are blanked, strings that look like comments are kept, line numbers stay', () => {
    const text = '{\n  // a comment\n  "a": "http://x//y", /* block\n comment */ "b": "/* not */"\n}\n';
    const stripped = stripJsonComments(text);
    expect(JSON.parse(stripped)).toEqual({ a: 'http://x//y', b: '/* not */' });
    expect(stripped.split('\n')).toHaveLength(text.split('\n').length);
    expect(JSON.parse(stripJsonComments('{"q": "say \\"//hi\\""} // end'))).toEqual({ q: 'say "//hi"' });
  });

  it('an unterminated block comment blanks the rest, so the parse error points at the file, not at duo', () => {
    expect(() => JSON.parse(stripJsonComments('{"a": 1 /* never closed'))).toThrow();
  });
});
