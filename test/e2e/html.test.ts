import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { syntheticRun } from '../../src/bench/synthetic.js';
import { DEMO_TASK, demoScenarioWithLatency, writeSampleRepo } from '../../src/demo/sample.js';
import type { RunState } from '../../src/protocol/types.js';
import { runPagePath, writeRecordPage } from '../../src/record/html/write.js';
import { ARTIFACTS, type Browser, launch, seriousViolations } from '../support/browser.js';
import { makeRepo, runScenario, SAMPLE, tempDir } from '../support/harness.js';
import { answers, critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * The pages in a real browser (Debian's chromium through playwright-core): the demo run's page loads nothing but
 * itself, logs no error, shows every section, and its filters, tooltips and finding-to-line links work; hostile text
 * in a finding, a file name, a diff and verify output stays text and runs nothing; the record page finds a run;
 * no serious axe-core violation, light or dark; readable without JavaScript. Screenshots go to test-results/html/.
 */
const SECTIONS = ['timeline', 'plan', 'findings', 'diff', 'gate', 'cost'];
/** Page-side code is passed as text: the tests are compiled without the DOM's types. */
const OPEN_ALL = "for (const d of document.querySelectorAll('details')) d.open = true";

let browser: Browser;
let demo: { state: RunState; page: string; repo: string };

beforeAll(async () => {
  browser = await launch();
  const repo = writeSampleRepo(join(tempDir('duo-html-demo-'), 'sample-shop'));
  // The demo's own engine run: its scripted pair, agents taking 30 ms a call so the timeline has bars to show.
  const { state, ports } = await runScenario(repo, demoScenarioWithLatency(30), { task: DEMO_TASK });
  demo = { state, page: runPagePath(ports.store, state.runId), repo };
});

afterAll(async () => {
  await browser?.close();
});

async function visibleFindings(page: Page): Promise<string[]> {
  return page.locator('#finding-list .finding:visible .fid').allTextContents();
}

describe('the run page', () => {
  it('loads nothing but itself, logs no error and shows every section', async () => {
    expect(demo.state.status).toBe('green');
    const before = browser.requests.length;
    const page = await browser.open(demo.page);
    await page.waitForLoadState('networkidle');
    expect(browser.requests.slice(before)).toEqual([`file://${demo.page}`]);
    await expect.poll(() => page.locator('#finding-filters').isVisible()).toBe(true); // the script ran (CSP hash)
    for (const id of SECTIONS) expect(await page.locator(`section#${id} h2`).isVisible(), id).toBe(true);
    expect(await page.locator('h1').textContent()).toMatch(/^GREEN\s+The verify gate ran and every command passed/);
    expect(await page.locator('.timeline .bar').count()).toBeGreaterThanOrEqual(11 + 4);
    await page.screenshot({ path: join(ARTIFACTS, 'run-page.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
    await page.close();
  });

  it('filters the findings by phase, severity and outcome', async () => {
    const page = await browser.open(demo.page);
    expect(await visibleFindings(page)).toEqual(['P1', 'P2', 'P3', 'R1', 'R2']);
    await page.selectOption('#finding-filters select[name=outcome]', 'rebutted');
    expect(await visibleFindings(page)).toEqual(['P3', 'R2']);
    await page.selectOption('#finding-filters select[name=phase]', 'review');
    expect(await visibleFindings(page)).toEqual(['R2']);
    expect(await page.locator('#finding-count').textContent()).toBe('1 of 5 shown');
    await page.selectOption('#finding-filters select[name=severity]', 'blocker');
    expect(await visibleFindings(page)).toEqual([]);
    expect(await page.locator('#finding-none').isVisible()).toBe(true);
    await page.selectOption('#finding-filters select[name=outcome]', '');
    await page.selectOption('#finding-filters select[name=phase]', '');
    expect(await visibleFindings(page)).toEqual(['P1']);
    expect(browser.errors).toEqual([]);
    await page.close();
  });

  it("a finding's link opens its file in the diff and scrolls its line into view", async () => {
    const page = await browser.open(demo.page);
    const line = page.locator('#diff-f0-L6');
    expect(await page.locator('#diff-f0').getAttribute('open')).toBeNull(); // files start folded
    expect(await line.isVisible()).toBe(false);
    await page.locator('#finding-3 a.to-diff').click(); // R1: src/split.js:6
    await expect.poll(() => line.isVisible()).toBe(true);
    expect(await line.evaluate((el) => el.classList.contains('current'))).toBe(true);
    const box = await line.boundingBox();
    expect(box && box.y >= 0 && box.y + box.height <= 900).toBe(true);
    expect(await line.locator('td.ln').nth(1).textContent()).toBe('6');
    // And the mark under the line leads back to the finding.
    await page.locator('#diff-f0 tr.d-note a[href="#finding-3"]').click();
    await expect.poll(() => page.locator('#finding-3').evaluate((el) => el.classList.contains('current'))).toBe(true);
    expect(browser.errors).toEqual([]);
    await page.close();
  });

  it('shows step, duration, tokens and cost of a timeline bar on focus and hover; arrow keys walk the bars', async () => {
    const page = await browser.open(demo.page);
    const bars = page.locator('.timeline .bar');
    const draft = bars.filter({ has: page.locator('title', { hasText: 'step plan/r1/draft' }) });
    await draft.focus();
    const tip = page.locator('#tip');
    await expect.poll(() => tip.isVisible()).toBe(true);
    expect(await tip.textContent()).toMatch(
      /^plan\nclaude \(driver\) · step plan\/r1\/draft\n\d+ ms, from \+[\d.]+ s\ntokens: \d+ in, \d+ out\nanswered$/,
    );
    // The bars are in time order: the next one is the next thing that started.
    const order = await bars.evaluateAll((els) => els.map((e) => e.getAttribute('data-tip')));
    const at = order.findIndex((t) => t?.includes('step plan/r1/draft'));
    await page.keyboard.press('ArrowRight');
    expect(await tip.textContent()).toBe(order[at + 1]);
    await page.keyboard.press('Escape');
    expect(await tip.isVisible()).toBe(false);
    await page.locator('.timeline .bar.k-fail').first().hover();
    await expect.poll(() => tip.textContent()).toMatch(/npm test[\s\S]*exit 1, failed/);
    expect(browser.errors).toEqual([]);
    await page.close();
  });

  it('has no serious axe-core violations, light or dark, folded or open', async () => {
    const page = await browser.open(demo.page);
    expect(await seriousViolations(page)).toEqual([]);
    await page.evaluate(OPEN_ALL);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
    const dark = await launch({ colorScheme: 'dark' });
    try {
      const p = await dark.open(demo.page);
      expect(await seriousViolations(p)).toEqual([]);
      await p.screenshot({ path: join(ARTIFACTS, 'run-page-dark.png') });
      expect(dark.errors).toEqual([]);
    } finally {
      await dark.close();
    }
  });

  it('reads without JavaScript: every finding and table is there, the controls that need a script are not', async () => {
    const nojs = await launch({ javaScriptEnabled: false });
    try {
      const page = await nojs.open(demo.page);
      expect(await page.locator('#finding-filters').isVisible()).toBe(false);
      expect(await page.locator('#finding-list .finding').count()).toBe(5);
      expect(await page.locator('#findings .finding[open]').count()).toBe(3); // blockers and majors open
      expect(await page.locator('section#timeline details.calls table tbody tr').count()).toBeGreaterThanOrEqual(15);
      await page.locator('#diff-f0 > summary').click(); // <details> folds without a script
      expect(await page.locator('#diff-f0-L6').isVisible()).toBe(true);
      await page.emulateMedia({ media: 'print' });
      expect(await page.locator('nav.toc').isVisible()).toBe(false);
    } finally {
      await nojs.close();
    }
  });
});

describe('hostile content', () => {
  const SCRIPT = '<script>window.__pwned = "script"</script>';
  const FILE = 'src/<img src=x onerror=window.__pwned="file">.js';
  const FOLDER = 'evil</details><script>window.__pwned="path"</script>x.js';
  const CLAIM = `${SCRIPT}</details></summary> closes nothing`;
  const EVIDENCE =
    '<img src=x onerror="window.__pwned=\'evidence\'"> [x](javascript:window.__pwned="md") <a href="javascript:window.__pwned=\'a\'">a</a>';
  const CODE = `// ${SCRIPT} </details> <a href="javascript:window.__pwned='diff'">x</a>\n`;

  it('renders a hostile finding, file name, diff and verify output as text, and no script of theirs runs', async () => {
    const repo = makeRepo({ ...SAMPLE, 'test/x.test.js': PASSING_TEST });
    const scenario = {
      agents: {
        claude: {
          plan: [plan()],
          implement: [work({ 'src/x.js': CODE + GOOD_X, [FILE]: CODE, [FOLDER]: CODE })],
          'answer-findings': [answers([{ findingId: 'R1', action: 'rebut', note: `${SCRIPT} is only text` }])],
        },
        codex: {
          critique: [critique('approve')],
          review: [
            {
              answer: {
                verdict: 'approve',
                summary: SCRIPT,
                findings: [
                  { id: 'R1', severity: 'nit', file: FILE, line: 1, claim: CLAIM, evidence: EVIDENCE, stakes: null },
                ],
                rechecks: [],
              },
            },
          ],
          recheck: [critique('approve', [], [{ findingId: 'R1', status: 'accept-rebuttal', note: '</details> fair' }])],
        },
      },
    };
    const verify = [`echo '${SCRIPT} </details> <img src=x onerror=window.__pwned=1>'; npm test`];
    const { state, ports } = await runScenario(repo, scenario, { task: `Fix ${SCRIPT} </details>`, verify });
    expect(state.status, JSON.stringify(state.error)).toBe('green');
    const file = runPagePath(ports.store, state.runId);
    const before = browser.requests.length;
    const page = await browser.open(file);
    await expect.poll(() => page.locator('#finding-filters').isVisible()).toBe(true);
    await page.evaluate(OPEN_ALL);
    await page.waitForTimeout(200);
    // Nothing they wrote made the browser fetch anything (an <img src=x> would ask for file:///…/x).
    expect(browser.requests.slice(before)).toEqual([`file://${file}`]);
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    // Only duo's own script is on the page; no element carries a handler; no link has a scheme.
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('[onerror], [onclick], [onload]').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('a[href*=":"]').count()).toBe(0);
    // What they wrote is on the page, as text, where it belongs.
    const finding = page.locator('#finding-0');
    expect(await finding.locator('.claim').textContent()).toBe(CLAIM);
    expect(await finding.textContent()).toContain(EVIDENCE);
    expect(await finding.locator('a.to-diff').textContent()).toBe(`${FILE}:1`);
    expect(await page.locator('h1 + .task').textContent()).toContain(`Fix ${SCRIPT} </details>`);
    const files = await page.locator('#diff details.file > summary code').allTextContents();
    expect(files).toEqual(expect.arrayContaining([FILE, FOLDER]));
    expect(await page.locator('#diff').textContent()).toContain(CODE.trim().slice(3));
    expect(await page.locator('#gate .verbatim').first().textContent()).toContain(`${SCRIPT} </details>`);
    // `</details>` closed nothing: the evidence is still inside its finding's <details>.
    expect(await page.locator('#finding-0 .finding-body').count()).toBe(1);
    await page.locator('#finding-0 a.to-diff').click();
    await expect.poll(() => page.locator('#diff-f0-L1, #diff-f1-L1, #diff-f2-L1').first().isVisible()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'hostile-run-page.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
    await page.close();
  });
});

describe('the record page', () => {
  it('finds a run by search, filters by status, lists the rest on demand, and loads nothing but itself', async () => {
    const repo = demo.repo;
    const runs = join(repo, '.duo', 'runs');
    // 300 generated runs beside the demo's: more than the page writes as rows, so the script lists the rest.
    for (let i = 0; i < 300; i++) {
      const run = syntheticRun({
        index: i,
        repoRoot: repo,
        over: i === 7 ? { task: `Fix ${'<script>window.__pwned=1</script>'} SHOP-7` } : {},
      });
      mkdirSync(join(runs, run.runId), { recursive: true });
      writeFileSync(join(runs, run.runId, 'state.json'), JSON.stringify(run));
    }
    const written = await writeRecordPage(repo);
    expect(written.runs).toBe(301);
    const before = browser.requests.length;
    const page = await browser.open(written.path);
    expect(browser.requests.slice(before)).toEqual([`file://${written.path}`]);
    const rows = page.locator('#run-rows tr');
    await expect.poll(() => page.locator('#run-count').textContent()).toBe('301 of 301 runs');
    expect(await rows.count()).toBe(200);
    await page.locator('#run-more').click();
    expect(await rows.count()).toBe(301);

    await page.fill('#run-filters input[name=q]', 'splitbill');
    await expect.poll(() => page.locator('#run-count').textContent()).toBe('1 of 301 runs');
    expect(await rows.first().locator('a').textContent()).toBe(demo.state.runId);
    expect(await rows.first().locator('a').getAttribute('href')).toBe(`runs/${demo.state.runId}/report.html`);

    await page.fill('#run-filters input[name=q]', 'window.__pwned');
    await expect
      .poll(() => rows.locator('td.task').allTextContents())
      .toEqual(['Fix <script>window.__pwned=1</script> SHOP-7']);
    expect(await page.locator('#run-count').textContent()).toBe('1 of 301 runs');

    await page.fill('#run-filters input[name=q]', '');
    await page.selectOption('#run-filters select[name=status]', 'red');
    await expect
      .poll(async () => new Set(await rows.locator('td:nth-child(4)').allTextContents()))
      .toEqual(new Set(['red']));
    expect(await page.evaluate('window.__pwned')).toBeUndefined();
    expect(await seriousViolations(page)).toEqual([]);
    await page.screenshot({ path: join(ARTIFACTS, 'record-page.png'), fullPage: true });
    expect(browser.errors).toEqual([]);
    await page.close();
  });
});

describe('the accessibility check itself', () => {
  it('finds a serious violation where there is one (an unnamed button, text too faint to read)', async () => {
    const file = join(tempDir('duo-axe-'), 'bad.html');
    writeFileSync(
      file,
      '<!doctype html><html lang="en"><title>t</title><main><button></button><p style="color:#eee;background:#fff">faint</p></main></html>',
    );
    const page = await browser.open(file);
    const ids = (await seriousViolations(page)).map((v) => v.id).sort();
    expect(ids).toEqual(['button-name', 'color-contrast']);
    await page.close();
  });
});
