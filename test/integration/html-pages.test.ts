import { chmodSync, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LogHtmlJson } from '../../src/wire/records.js';
import { ShowHtmlJson } from '../../src/wire/run.js';
import { DIRECT_TEST, parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, finding, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * The pages from the CLI: every run and review writes report.html beside report.md and names it in --json;
 * `duo show --html` writes it again, `duo log --html` writes the record page; `--open` hands the page to $BROWSER.
 * What the pages look like and do in a browser is test/e2e/html.test.ts.
 */
const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};
const SECTIONS = ['timeline', 'plan', 'findings', 'diff', 'gate', 'cost'];

/** A stand-in browser: writes the file it was asked to open, so the test can see what duo handed it. */
function fakeBrowser(): { env: Record<string, string>; opened: string } {
  const dir = tempDir('duo-browser-');
  const opened = join(dir, 'opened');
  const bin = join(dir, 'browser');
  writeFileSync(bin, `#!/bin/sh\nprintf '%s' "$1" > '${opened}'\n`);
  chmodSync(bin, 0o755);
  return { env: { BROWSER: bin }, opened };
}

async function waitFor(file: string): Promise<string> {
  for (let i = 0; i < 100 && !existsSync(file); i++) await new Promise((r) => setTimeout(r, 50));
  return readFileSync(file, 'utf8');
}

describe('the HTML pages from the CLI', () => {
  it('a run writes report.html and --json names it; duo show --html writes it again; --open hands it to $BROWSER', async () => {
    const repo = makeRepo(SAMPLE);
    const run = await runCli(['run', 'make x return 2', '--config', scriptedConfig(happy, DIRECT_TEST), '--json'], {
      cwd: repo,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const json = parseJson<{ runId: string; htmlPath: string; reportPath: string }>(run.stdout);
    expect(json.htmlPath).toBe(join(repo, '.duo', 'runs', json.runId, 'report.html'));
    const page = readFileSync(json.htmlPath, 'utf8');
    expect(page.startsWith('<!doctype html>')).toBe(true);
    expect(page.replaceAll('&#39;', "'")).toMatch(
      /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'sha256-[^']+'; style-src 'sha256-/,
    );
    for (const id of SECTIONS) expect(page).toContain(`<section id="${id}"`);
    expect(page).toContain('make x return 2');
    // What the timeline places calls and commands by: each one's start, in the record.
    const dir = join(repo, '.duo', 'runs', json.runId);
    const calls = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; at: string; startedAt?: string })
      .filter((e) => e.type === 'agent-call');
    expect(calls.length).toBeGreaterThan(0);
    for (const c of calls) expect(Date.parse(c.startedAt ?? '')).toBeLessThanOrEqual(Date.parse(c.at));
    const state = JSON.parse(readFileSync(join(dir, 'state.json'), 'utf8')) as {
      createdAt: string;
      verify: { results: { startedAt?: string }[] }[];
    };
    const started = state.verify.flatMap((v) => v.results.map((r) => Date.parse(r.startedAt ?? '')));
    expect(started.length).toBeGreaterThan(0);
    for (const t of started) expect(t).toBeGreaterThanOrEqual(Date.parse(state.createdAt));

    rmSync(json.htmlPath);
    const show = await runCli(['show', json.runId, '--html'], { cwd: repo });
    expect(show.exitCode, show.stderr).toBe(0);
    expect(show.stdout.trim()).toBe(json.htmlPath);
    expect(existsSync(json.htmlPath)).toBe(true);

    const shownJson = parseWire(
      ShowHtmlJson,
      (await runCli(['show', json.runId, '--html', '--json'], { cwd: repo })).stdout,
    );
    expect(shownJson).toMatchObject({ htmlPath: json.htmlPath, status: 'green' });

    const browser = fakeBrowser();
    const open = await runCli(['show', json.runId, '--open'], { cwd: repo, env: browser.env });
    expect(open.exitCode, open.stderr).toBe(0);
    expect(await waitFor(browser.opened)).toBe(json.htmlPath);

    // Once the run's branch is gone, the page says so instead of the next step the record was written with.
    const clean = await runCli(['clean', json.runId, '--force'], { cwd: repo });
    expect(clean.exitCode, clean.stderr).toBe(0);
    await runCli(['show', json.runId, '--html'], { cwd: repo });
    const after = readFileSync(json.htmlPath, 'utf8');
    expect(after).toContain(
      `<strong>Next:</strong> nothing to apply or resume: run ${json.runId}&#39;s branch duo/${json.runId} is gone`,
    );
    expect(after).not.toContain(`<code>duo apply ${json.runId}</code>`);
  });

  it('duo review writes the page too, with its findings', async () => {
    const repo = makeRepo({ ...SAMPLE, 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST });
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 3;\n}\n');
    const blocker = {
      agents: {
        codex: {
          review: [critique('revise', [finding('R1', 'blocker', 'x() returns the wrong value', 'callers break')])],
        },
      },
    };
    const r = await runCli(['review', '--json', '--config', scriptedConfig(blocker, DIRECT_TEST)], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(1);
    const j = parseJson<{ htmlPath: string }>(r.stdout);
    const page = readFileSync(j.htmlPath, 'utf8');
    expect(page).toContain('x() returns the wrong value');
    expect(page).toContain('<details class="file" id="diff-f0">');
  });

  it('duo log --html writes .duo/index.html: every run, its search data, links to the run pages', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(happy, DIRECT_TEST);
    const ids: string[] = [];
    for (const task of ['make x return 2', 'make x return 2 again']) {
      const r = await runCli(['run', task, '--config', config, '--json'], { cwd: repo });
      ids.push(parseJson<{ runId: string }>(r.stdout).runId);
    }
    const browser = fakeBrowser();
    const r = await runCli(['log', '--html', '--json', '--open'], { cwd: repo, env: browser.env });
    expect(r.exitCode, r.stderr).toBe(0);
    const out = parseWire(LogHtmlJson, r.stdout);
    expect(out).toMatchObject({ htmlPath: join(repo, '.duo', 'index.html'), runs: 2 });
    const page = readFileSync(out.htmlPath, 'utf8');
    expect(out.bytes).toBe(Buffer.byteLength(page));
    for (const id of ids) expect(page).toContain(`<a href="runs/${id}/report.html">${id}</a>`);
    expect(page).toContain('<script type="application/json" id="runs-data">');
    expect(page).toContain('id="evals-empty"');
    expect(await waitFor(browser.opened)).toBe(out.htmlPath);
    // A run's page written after the record page links back to it.
    await runCli(['show', ids[0] as string, '--html'], { cwd: repo });
    expect(readFileSync(join(repo, '.duo', 'runs', ids[0] as string, 'report.html'), 'utf8')).toContain(
      '<a href="../../index.html">every run</a>',
    );
  });

  it('duo log --html refuses what the page does itself (exit 2, saying what to drop)', async () => {
    const repo = makeRepo(SAMPLE);
    const all = await runCli(['log', '--html', '--all-repos'], { cwd: repo });
    expect([all.exitCode, all.stderr]).toEqual([2, expect.stringContaining('drop --all-repos')]);
    const filtered = await runCli(['log', '--html', '--status', 'red'], { cwd: repo });
    expect([filtered.exitCode, filtered.stderr]).toEqual([2, expect.stringContaining('its own search and filters')]);
    // With no run yet, the page still says so.
    const empty = await runCli(['log', '--html'], { cwd: repo });
    expect(empty.exitCode, empty.stderr).toBe(0);
    expect(readFileSync(empty.stdout.trim(), 'utf8')).toContain('No duo runs in this repository yet');
  });
});
