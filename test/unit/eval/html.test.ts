import { describe, expect, it } from 'vitest';
import { escapeHtml, evalPage, evalSection, html } from '../../../src/eval/html.js';
import { buildReport } from '../../../src/eval/report.js';
import type { UnitResult } from '../../../src/eval/results.js';

const HOSTILE = '<script>alert(1)</script><img src=x onerror=alert(2)> & "quotes"';

function result(over: Partial<UnitResult>): UnitResult {
  return {
    instanceId: 'a',
    mode: 'pair',
    repeat: 1,
    skipped: null,
    runMode: 'pair',
    runId: 'r',
    status: 'green',
    graded: true,
    resolved: true,
    gradeError: null,
    f2p: [],
    p2p: [],
    usage: {},
    tokens: 10,
    costUsd: null,
    runMs: 1,
    gradeMs: 1,
    findings: [
      {
        id: 'R1',
        phase: 'review',
        severity: 'major',
        by: 'skeptic',
        resolution: 'fixed',
        claim: HOSTILE,
        confirmed: true,
      },
    ],
    integrity: [],
    reverts: 0,
    cards: [],
    impossible: null,
    ...over,
  };
}

const plan = {
  version: 1 as const,
  tasksSha256: 'x',
  modes: ['pair' as const],
  repeat: 1,
  impossible: false,
  shard: null,
};

describe('the eval report as HTML', () => {
  it('escapes everything it interpolates: agent text never becomes markup', () => {
    const report = buildReport(plan, [HOSTILE], [result({ instanceId: HOSTILE })]);
    const section = evalSection(report);
    expect(section).not.toContain('<script>');
    expect(section).not.toContain('<img');
    expect(section).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;',
    );
    expect(html`<b>${'<i>'}</b>${[html`<u>${'&'}</u>`]}`.text).toBe('<b>&lt;i&gt;</b><u>&amp;</u>');
  });

  it('is one self-contained section: no script, no outside resource; the page forbids both', () => {
    const report = buildReport(plan, ['a'], [result({ findings: [] })]);
    const section = evalSection(report);
    expect(section.startsWith('<section class="duo-eval">')).toBe(true);
    expect(section.trimEnd().endsWith('</section>')).toBe(true);
    expect(section).not.toMatch(/<script|<link|src=|href=|@import|url\(/i);
    expect(evalPage(report)).toContain("default-src 'none'");
    // Pure: the same data, the same markup.
    expect(evalSection(report)).toBe(section);
  });

  it('shows the figures of the report', () => {
    const report = buildReport(plan, ['a'], [result({})]);
    const section = evalSection(report);
    expect(section).toContain('1/1 (100%)');
    expect(section).toContain("The skeptic's confirmed catches");
    for (const line of report.verdict) expect(section).toContain(escapeHtml(line));
  });
});
