import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * A verify command that prints hundreds of megabytes (issue 9.6): the run does not crash, the stored log is capped
 * with its head and tail, no stack trace reaches the report, and duo's memory stays flat. Memory is measured in a
 * separate Node process running the built gate runner on 800 MB of output: its peak RSS is bounded, and printed.
 */
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const MB = 1024 * 1024;
/** Prints `bytes` and exits with the status of its last check (`test -d .`): a verify command must be able to fail. */
const printBig = (bytes: number) =>
  `printf 'SECRET_TOKEN=head1234secret\\n'; yes 'ok 1 - a passing test with some words' | head -c ${bytes}; printf '\\nAPI_KEY=tail5678secret\\n'; test -d .`;

describe('a verify command with a huge output', () => {
  it('800 MB: peak RSS stays bounded, the log is capped with head and tail, both ends masked', async () => {
    const dir = tempDir('duo-big-');
    const script = join(dir, 'measure.mjs');
    writeFileSync(
      script,
      [
        `import { runVerifyCommand } from ${JSON.stringify(pathToFileURL(join(root, 'dist', 'gate', 'run.js')).href)};`,
        `const r = await runVerifyCommand({ command: ${JSON.stringify(printBig(800_000_000))}, kind: 'other', source: 'flag' },`,
        `  { cwd: ${JSON.stringify(dir)}, logFile: ${JSON.stringify(join(dir, 'v.log'))}, timeoutMs: 300000 });`,
        `process.stdout.write(JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS, r }));`,
      ].join('\n'),
    );
    const child = await execa('node', [script], { reject: false });
    expect(child.exitCode, child.stderr).toBe(0);
    const { maxRssKb, r } = JSON.parse(child.stdout) as {
      maxRssKb: number;
      r: { passed: boolean; outputBytes: number; logCutBytes: number; output: string };
    };
    process.stdout.write(`verify runner on 800 MB of output: peak RSS ${(maxRssKb / 1024).toFixed(0)} MB\n`);
    expect(maxRssKb * 1024).toBeLessThan(150 * MB);
    expect(r.passed).toBe(true);
    expect(r.outputBytes).toBeGreaterThan(800_000_000);
    expect(r.logCutBytes).toBeGreaterThan(780_000_000);
    expect(statSync(join(dir, 'v.log')).size).toBeLessThan(11 * MB);
    const log = readFileSync(join(dir, 'v.log'), 'latin1');
    expect(log.startsWith('SECRET_TOKEN=[REDACTED]\n')).toBe(true);
    expect(log.endsWith('API_KEY=[REDACTED]\n')).toBe(true);
    expect(log).toContain(`[duo: ${r.logCutBytes} bytes cut here.`);
    expect(r.output).toContain('API_KEY=[REDACTED]');
  }, 300_000);

  it('through a whole run: 600 MB of output ends GREEN, with no stack trace in the report', async () => {
    const repo = makeRepo(SAMPLE);
    const happy = {
      agents: {
        claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    };
    const r = await runCli(
      ['run', 'make x return 2', '--config', scriptedConfig(happy), '--verify', printBig(600_000_000), '--json'],
      { cwd: repo, timeoutMs: 300_000 },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const json = parseJson<{ status: string; reportPath: string; verify: { logCutBytes: number }[] }>(r.stdout);
    expect(json.status).toBe('green');
    expect(json.verify[0]!.logCutBytes).toBeGreaterThan(580_000_000);
    const report = readFileSync(json.reportPath, 'utf8');
    expect(report).not.toMatch(/^\s+at .*:\d+:\d+\)?$/m);
    expect(report).toMatch(/bytes printed; \d+ cut from the middle/);
    expect(report).not.toMatch(/secret/);
  }, 300_000);
});
