import { execFileSync } from 'node:child_process';
import { existsSync, lstatSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DoctorJson } from '../../src/wire/setup.js';
import { parseWire, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * duo installs the two ways the README says: from a clone (`npm install -g .`, which builds through the `prepare`
 * script) and from a tarball `npm pack` made (a copy of its own). The installed `duo` on PATH answers --version and
 * `duo doctor --json`, and runs the exact call the Claude Code plugin makes. The runtime dependencies come from
 * npm's cache where it has them (--prefer-offline), else from the registry; the build tools are the checkout's own.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A clone of this checkout: the files git would give (tracked, and new ones not ignored), without dist/. */
function cloneOfCheckout(): string {
  const clone = join(tempDir('duo-clone-'), 'duo');
  execFileSync('mkdir', ['-p', clone]);
  // Links a checkout may hold where its ignored folders go (node_modules, .cache, dist) are not source either.
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT, encoding: 'utf8' })
    .split('\0')
    .filter((f) => f && !/^(node_modules|\.cache|dist)(\/|$)/.test(f))
    .join('\0');
  execFileSync('tar', ['--null', '-T', '-', '-cf', join(clone, '..', 'src.tar')], { cwd: ROOT, input: files });
  execFileSync('tar', ['-xf', join(clone, '..', 'src.tar')], { cwd: clone });
  // What `npm ci` would install, without the network: this checkout's own dependencies (tsc among them).
  symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
  return clone;
}

const npm = (args: string[], cwd: string) =>
  execa('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], {
    cwd,
    env: { npm_config_update_notifier: 'false' },
    reject: false,
    timeout: 240_000,
  });

const executable = (file: string) => (statSync(file).mode & 0o111) !== 0;

/** The Bash call the plugin's /duo:pair makes to start a run, as its command file writes it. */
function pluginStartCall(task: string): string {
  const text = readFileSync(join(ROOT, 'plugins', 'duo', 'commands', 'pair.md'), 'utf8');
  const block = /```\n\s*(duo run [^\n]+\n\s*<the task, verbatim>\n\s*DUO_TASK)\n\s*```/.exec(text)?.[1];
  if (!block) throw new Error('pair.md no longer holds the start call this test runs');
  return block.replace(/^\s+/gm, '').replace('<the task, verbatim>', task);
}

describe('installing duo', () => {
  it('from a clone (npm install -g .) and from a tarball (npm pack): duo on PATH runs, doctor answers, the plugin call works', async () => {
    const clone = cloneOfCheckout();
    expect(existsSync(join(clone, 'dist'))).toBe(false);

    // From the clone: the global duo links to it, and `prepare` built dist/ with executable entry points.
    const linked = tempDir('duo-prefix-');
    const fromClone = await npm(['install', '-g', '--prefix', linked, '.'], clone);
    expect(fromClone.exitCode, fromClone.stderr).toBe(0);
    for (const bin of ['duo', 'duox']) expect(executable(join(clone, 'dist', 'cli', `${bin}.js`)), bin).toBe(true);
    const version = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version as string;
    const cloneDuo = await execa(join(linked, 'bin', 'duo'), ['--version'], { reject: false });
    expect(cloneDuo.stdout.trim(), cloneDuo.stderr).toBe(version);

    // From a tarball (dist/ was just built by prepare, so packing need not build again).
    const packDir = tempDir('duo-pack-');
    const packed = await npm(['pack', '--ignore-scripts', '--pack-destination', packDir], clone);
    expect(packed.exitCode, packed.stderr).toBe(0);
    const file = join(packDir, packed.stdout.trim().split('\n').at(-1) as string);
    expect(file).toMatch(/duo-pair-[\d.]+\.tgz$/);
    expect(existsSync(file), file).toBe(true);
    const prefix = tempDir('duo-prefix-');
    const installed = await npm(['install', '-g', '--prefer-offline', '--prefix', prefix, file], tempDir());
    expect(installed.exitCode, installed.stderr).toBe(0);
    const pkg = join(prefix, 'lib', 'node_modules', 'duo-pair');
    // A copy of its own, with what the integrations read at run time.
    expect(lstatSync(pkg).isSymbolicLink()).toBe(false);
    for (const f of [
      '.claude-plugin/marketplace.json',
      'plugins/duo/commands/pair.md',
      'integrations/codex/skills/duo/SKILL.md',
    ])
      expect(existsSync(join(pkg, f)), f).toBe(true);
    expect(existsSync(join(pkg, 'src'))).toBe(false);

    const env = {
      PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:/usr/bin:/bin`,
      HOME: tempDir('duo-home-'),
      NO_COLOR: '1',
    };
    const repo = makeRepo(SAMPLE);
    const sh = (command: string, extra: Record<string, string> = {}) =>
      execa('bash', ['-c', command], { cwd: repo, env: { ...env, ...extra }, extendEnv: false, reject: false });
    expect((await sh('command -v duo')).stdout.trim()).toBe(join(prefix, 'bin', 'duo'));
    expect((await sh('duo --version')).stdout.trim()).toBe(version);
    const doctor = await sh('duo doctor --json');
    // No agent CLI on this PATH: doctor says so (exit 1) in JSON that parses.
    expect(doctor.exitCode).toBe(1);
    const probes = parseWire(DoctorJson, doctor.stdout);
    expect(probes.agents.map((a) => [a.name, a.found])).toEqual([
      ['claude', false],
      ['codex', false],
    ]);

    // The plugin's own call, from PATH, on scripted agents: it starts the run; duo wait follows it to green.
    const config = scriptedConfig({
      agents: {
        claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    const start = await sh(pluginStartCall('make x return 2'), { DUO_CONFIG: config });
    expect(start.exitCode, start.stderr).toBe(0);
    const { runId } = JSON.parse(start.stdout) as { runId: string };
    const waited = await sh(`duo wait ${runId} --timeout 100`, { DUO_CONFIG: config });
    expect(waited.exitCode, waited.stdout + waited.stderr).toBe(0);
    expect(waited.stdout).toContain(`duo ${runId}: GREEN`);
  });
});
