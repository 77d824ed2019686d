import { describe, expect, it } from 'vitest';
import { evalPage, evalSection } from '../../../src/eval/html.js';
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
    usage: { codex: { calls: 1, inputTokens: 5, outputTokens: 5, cachedInputTokens: 0, costUsd: null } },
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
  it('escapes agent text and task ids: they never become markup', () => {
    const report = buildReport(plan, [HOSTILE], [result({ instanceId: HOSTILE })]);
    const section = evalSection(report).text;
    expect(section).not.toContain('<script>');
    expect(section).not.toContain('<img');
    expect(section).toContain(
      '&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;',
    );
  });

  it('is one section the record page can take in; alone, a page under the pages’ policy: no script, nothing fetched', () => {
    const report = buildReport(plan, ['a'], [result({ findings: [] })]);
    const section = evalSection(report).text;
    expect(section.startsWith('<section id="eval-report"')).toBe(true);
    expect(section.trimEnd().endsWith('</section>')).toBe(true);
    expect(section).not.toMatch(/<script|<link|<style|src=|href=|@import|url\(/i);
    const page = evalPage(report);
    expect(page).toMatch(/http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;; script-src /);
    expect(page).toContain(section);
    // Pure: the same data, the same markup.
    expect(evalSection(report).text).toBe(section);
  });

  it('shows the figures and the verdict of the report', () => {
    const report = buildReport(plan, ['a'], [result({})]);
    const section = evalSection(report).text;
    expect(section).toContain('1/1 (100%)');
    expect(section).toContain('pair: resolved 100%, 95% interval 21%–100%');
    expect(section).toContain('codex 1 call, 10 tokens, –');
    expect(section).toContain("The skeptic's confirmed catches");
    expect(section).toContain('No false greens: all 1 runs duo called green passed the hidden tests.');
  });
});
