import { describe, expect, it } from 'vitest';
import { fragment, Html, html, jsonBlock, relativeUrl } from '../../../../src/record/html/html.js';

/** The pages' only way to make markup: escaped by construction, refusing the places where escaping is not enough. */
describe('html``', () => {
  const hostile = `<script>alert(1)</script></details>"'&<img src=x onerror=alert(2)>`;

  it('escapes every interpolation as text, in content and in quoted attributes', () => {
    const out = html`<p title="${hostile}">${hostile}</p>`.text;
    expect(out).not.toContain('<script>');
    expect(out).not.toContain('<img');
    expect(out).not.toContain('</details>');
    expect(out).toBe(
      '<p title="&lt;script&gt;alert(1)&lt;/script&gt;&lt;/details&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;">' +
        '&lt;script&gt;alert(1)&lt;/script&gt;&lt;/details&gt;&quot;&#39;&amp;&lt;img src=x onerror=alert(2)&gt;</p>',
    );
  });

  it('keeps Html made by html`` as markup, and arrays as their items', () => {
    const item = (s: string) => html`<li>${s}</li>`;
    expect(html`<ul>${['a', '<b>'].map(item)}</ul>`.text).toBe('<ul><li>a</li><li>&lt;b&gt;</li></ul>');
    expect(html`${null}${undefined}${false}${0}`.text).toBe('0');
  });

  it('cannot be forged: Html is only made by the template', () => {
    expect(() => new Html(Symbol('html'), '<script>')).toThrow(/html`` template only/);
  });

  it('refuses an unquoted attribute, an attribute or tag name, and the inside of <script> or <style>', () => {
    expect(() => html`<p title=${'x'}>`).toThrow(/quoted attribute/);
    expect(() => html`<p ${'onclick="x"'}>`).toThrow(/quoted attribute/);
    expect(() => html`<${'script'}>`).toThrow(/quoted attribute/);
    expect(() => html`<script>${'alert(1)'}</script>`).toThrow(/inside <script>/);
    expect(() => html`<style>${'*{}'}</style>`).toThrow(/inside <style>/);
    // After the raw element closes, text is text again.
    expect(html`<style>p{}</style><p>${'<b>'}</p>`.text).toBe('<style>p{}</style><p>&lt;b&gt;</p>');
  });

  it('refuses any interpolation into an event handler', () => {
    expect(() => html`<img src="${fragment('a')}" onerror="${'x'}">`).toThrow(/event handler \(onerror\)/);
  });

  it('takes only a SafeUrl in href and src: never a javascript: link', () => {
    expect(() => html`<a href="${'javascript:alert(1)'}">x</a>`).toThrow(/SafeUrl/);
    expect(() => html`<img src="${'https://example.com/x.png'}">`).toThrow(/SafeUrl/);
    expect(html`<a href="${fragment('finding-3')}">x</a>`.text).toBe('<a href="#finding-3">x</a>');
    expect(html`<a href="${relativeUrl('verify/a b#1.log')}">x</a>`.text).toBe('<a href="verify/a%20b%231.log">x</a>');
    expect(html`<a href="${relativeUrl('index.html', 2)}">x</a>`.text).toBe('<a href="../../index.html">x</a>');
  });

  it('makes SafeUrls only from fragments and relative paths below the page', () => {
    expect(() => fragment('javascript:alert(1)')).toThrow();
    expect(() => fragment('a"b')).toThrow();
    expect(() => relativeUrl('/etc/passwd')).toThrow();
    expect(() => relativeUrl('../secret')).toThrow();
    expect(() => relativeUrl('a//b')).toThrow();
    // A scheme-looking first segment is percent-encoded into a plain relative path: `javascript%3Aalert(1)`.
    expect(relativeUrl('javascript:alert(1)').href).toBe('javascript%3Aalert(1)');
  });

  it('puts data in a JSON block nothing can close or execute', () => {
    const block = jsonBlock('runs-data', { task: '</script><script>alert(1)</script>\u2028' }).text;
    expect(block.match(/<\/script>/g)).toHaveLength(1);
    expect(block).toContain('\\u003c/script>');
    expect(block.startsWith('<script type="application/json" id="runs-data">')).toBe(true);
    const json = block.slice(block.indexOf('>') + 1, block.lastIndexOf('</script>'));
    expect(JSON.parse(json)).toEqual({ task: '</script><script>alert(1)</script>\u2028' });
  });
});
