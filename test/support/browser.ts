import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/**
 * A real browser for the page tests: Debian's chromium (`apt-get install chromium`; `.ci/run` installs it), driven
 * by playwright-core through its executablePath — never a downloaded browser. Each context gets a fresh profile,
 * and every request a page makes is recorded and refused unless it is the page's own file: the pages must load
 * nothing else.
 */
export const CHROMIUM = process.env.DUO_CHROMIUM ?? '/usr/bin/chromium';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Screenshots the tests keep as artifacts (test-results/ is git-ignored). */
export const ARTIFACTS = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'test-results', 'html');

export interface Browser {
  context: BrowserContext;
  /** Every URL any page asked for, in order. */
  requests: string[];
  /** Console errors and uncaught page errors. */
  errors: string[];
  open(file: string): Promise<Page>;
  close(): Promise<void>;
}

export async function launch(
  opts: { colorScheme?: 'light' | 'dark'; javaScriptEnabled?: boolean; width?: number } = {},
): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(
      `no browser at ${CHROMIUM}: the page tests need Debian's chromium (apt-get install -y chromium), or DUO_CHROMIUM=<path to a Chromium>`,
    );
  const profile = mkdtempSync(join(tmpdir(), 'duo-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ARGS,
    viewport: { width: opts.width ?? 1280, height: 900 },
    colorScheme: opts.colorScheme ?? 'light',
    javaScriptEnabled: opts.javaScriptEnabled ?? true,
    offline: true,
  });
  const requests: string[] = [];
  const errors: string[] = [];
  const allowed = new Set<string>();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    requests.push(url);
    return allowed.has(url) ? route.continue() : route.abort('blockedbyclient');
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    requests,
    errors,
    async open(file) {
      const url = pathToFileURL(file).href;
      allowed.add(url);
      const page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(url);
      return page;
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; html: string }[];
}

/**
 * axe-core's serious and critical violations on the page as it is now. Its source goes in through the DevTools
 * protocol (page.evaluate), which the page's Content-Security-Policy does not govern: the policy stays on.
 */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(axeSource);
  // Page-side code as text: the tests are compiled without the DOM's types.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) =>
    r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.slice(0, 3).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })) })))`)) as AxeViolation[];
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}
