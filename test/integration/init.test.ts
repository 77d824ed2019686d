import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load.js';
import { allowRule, GATE_MARKER, READ_DUO_COMMANDS } from '../../src/integrations/claude.js';
import { DoctorJson, InitJson } from '../../src/wire/setup.js';
import { parseWire, runCli } from '../support/cli.js';
import { makeRepo, tempDir } from '../support/harness.js';

/**
 * `duo init` without the agent CLIs on PATH (the real ones are in test/e2e): the commented config with the detected
 * verify commands, the agent check, and the files of the Claude Code and Codex integrations in an isolated HOME, in
 * the user's or the project's scope — idempotent, and never overwriting a file of the user's own.
 */
const PLUGIN = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'plugins', 'duo');
const CODEX = join(dirname(new URL(import.meta.url).pathname), '..', '..', 'integrations', 'codex');

/** A HOME of its own and a PATH with node and git but no claude, codex or duo. */
function isolated(): Record<string, string> {
  const home = tempDir('duo-init-home-');
  return { HOME: home, PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, CLAUDE_CONFIG_DIR: '', CODEX_HOME: '' };
}

const repoWithScripts = () =>
  makeRepo({
    'package.json': `${JSON.stringify({ name: 's', scripts: { lint: 'biome check .', test: 'node --test' } })}\n`,
    'package-lock.json': '{}\n',
  });

describe('duo init', () => {
  it('writes a commented config with the detected verify commands, checks the agents, and keeps the config the next time', async () => {
    const repo = repoWithScripts();
    const env = isolated();
    const r = await runCli(['init', '--yes'], { cwd: repo, env });
    expect(r.exitCode, r.stderr).toBe(0);
    const text = readFileSync(join(repo, 'duo.config.json'), 'utf8');
    expect(text).toMatch(/^\/\/ duo for this repository/);
    expect(text).toContain('// The checks duo runs itself');
    expect(loadConfig(repo).config.verify).toEqual(['npm run lint', 'npm test']);
    expect(r.stdout).toContain('wrote');
    // The agent check, like duo doctor: neither CLI is on this PATH.
    expect(r.stdout).toMatch(/FAIL claude/);
    expect(r.stdout).toMatch(/FAIL codex/);
    expect(r.stdout).toContain('Integrations: duo init --claude');
    const doctor = await runCli(['doctor', '--json'], { cwd: repo, env });
    expect(doctor.exitCode).toBe(1);
    expect(parseWire(DoctorJson, doctor.stdout).agents.map((a) => [a.name, a.roles, a.found, a.ok])).toEqual([
      ['claude', ['driver'], false, false],
      ['codex', ['skeptic'], false, false],
    ]);
    // The config is loaded by every command; the record folder is kept out of git.
    expect(readFileSync(join(repo, '.git', 'info', 'exclude'), 'utf8')).toMatch(/^\/\.duo\/$/m);
    writeFileSync(join(repo, 'duo.config.json'), `${text}// mine\n`);
    const again = parseWire(InitJson, (await runCli(['init', '--yes', '--json'], { cwd: repo, env })).stdout);
    expect(again.config).toMatchObject({ outcome: 'unchanged', verify: ['npm run lint', 'npm test'] });
    expect(readFileSync(join(repo, 'duo.config.json'), 'utf8')).toContain('// mine');
  });

  it('--claude --codex --review-gate (user scope): commands, gate, skills and prompts in HOME; the second time nothing changes', async () => {
    const repo = repoWithScripts();
    const env = isolated();
    const home = env.HOME as string;
    mkdirSync(join(home, '.claude'), { recursive: true });
    const otherHook = { matcher: '', hooks: [{ type: 'command', command: 'echo mine' }] };
    writeFileSync(
      join(home, '.claude', 'settings.json'),
      JSON.stringify({ model: 'x', hooks: { Stop: [otherHook], PreToolUse: [otherHook] } }),
    );
    const r = await runCli(['init', '--claude', '--codex', '--review-gate', '--yes', '--json'], { cwd: repo, env });
    expect(r.exitCode, r.stderr).toBe(0);
    const j = parseWire(InitJson, r.stdout);
    expect(j.scope).toBe('user');
    const written = j.installed.filter((i) => i.outcome === 'written').map((i) => i.path);
    expect(written.sort()).toEqual(
      [
        join(home, '.claude', 'commands', 'duo.md'),
        join(home, '.claude', 'commands', 'duox.md'),
        join(home, '.claude', 'settings.json'), // the permissions for duo's read and answer commands
        join(home, '.claude', 'settings.json'), // the Stop hook
        join(home, '.agents', 'skills', 'duo', 'SKILL.md'),
        join(home, '.agents', 'skills', 'duox', 'SKILL.md'),
        join(home, '.codex', 'prompts', 'duo.md'),
        join(home, '.codex', 'prompts', 'duox.md'),
      ].sort(),
    );
    // The bare /duo is the plugin's /duo:pair, /duox its /duo:invert; the skills are the shipped ones.
    expect(readFileSync(join(home, '.claude', 'commands', 'duo.md'), 'utf8')).toBe(
      readFileSync(join(PLUGIN, 'commands', 'pair.md'), 'utf8'),
    );
    expect(readFileSync(join(home, '.claude', 'commands', 'duox.md'), 'utf8')).toBe(
      readFileSync(join(PLUGIN, 'commands', 'invert.md'), 'utf8'),
    );
    expect(readFileSync(join(home, '.agents', 'skills', 'duox', 'SKILL.md'), 'utf8')).toBe(
      readFileSync(join(CODEX, 'skills', 'duox', 'SKILL.md'), 'utf8'),
    );
    // The gate joins the user's own hooks; the rest of their settings stays as it was.
    const settings = JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8'));
    expect(settings.model).toBe('x');
    // Polling runs without a prompt; answering a decision (without --allow-decide), starting work and applying it do not.
    expect(settings.permissions.allow).toEqual(READ_DUO_COMMANDS.map(allowRule));
    expect(settings.permissions.allow.join()).not.toMatch(/duo (run|apply|review|decide|resume)/);
    expect(settings.hooks.PreToolUse).toEqual([otherHook]);
    expect(settings.hooks.Stop).toHaveLength(2);
    expect(settings.hooks.Stop[0]).toEqual(otherHook);
    const gate = settings.hooks.Stop[1].hooks[0];
    expect(gate.command).toContain(GATE_MARKER);
    expect(gate.command).toContain('hook stop');
    expect(gate.timeout).toBeGreaterThan(1100);
    // Without claude on PATH the plugin is not installed, and init says how to do it later; duo is not on PATH either.
    expect(j.notes.join('\n')).toContain('claude plugin marketplace add');
    expect(j.notes.join('\n')).toContain('duo is not on PATH');

    const again = parseWire(
      InitJson,
      (await runCli(['init', '--claude', '--codex', '--review-gate', '--yes', '--json'], { cwd: repo, env })).stdout,
    );
    expect(again.installed.every((i) => i.outcome === 'unchanged')).toBe(true);
    expect(JSON.parse(readFileSync(join(home, '.claude', 'settings.json'), 'utf8')).hooks.Stop).toHaveLength(2);
  });

  it("--scope project installs into the repository; a command file of the user's own is left alone", async () => {
    const repo = repoWithScripts();
    const env = isolated();
    mkdirSync(join(repo, '.claude', 'commands'), { recursive: true });
    writeFileSync(join(repo, '.claude', 'commands', 'duox.md'), 'my own duox\n');
    const j = parseWire(
      InitJson,
      (await runCli(['init', '--claude', '--codex', '--scope', 'project', '--yes', '--json'], { cwd: repo, env }))
        .stdout,
    );
    expect(j.scope).toBe('project');
    expect(existsSync(join(repo, '.claude', 'commands', 'duo.md'))).toBe(true);
    expect(readFileSync(join(repo, '.claude', 'commands', 'duox.md'), 'utf8')).toBe('my own duox\n');
    expect(j.installed.find((i) => i.path.endsWith('duox.md'))).toMatchObject({ outcome: 'skipped' });
    expect(existsSync(join(repo, '.agents', 'skills', 'duo', 'SKILL.md'))).toBe(true);
    expect(existsSync(join(env.HOME as string, '.agents'))).toBe(false);
  });

  it('a bad scope, or a project scope outside a repository, is a usage error', async () => {
    const env = isolated();
    expect((await runCli(['init', '--scope', 'everywhere', '--yes'], { cwd: repoWithScripts(), env })).exitCode).toBe(
      2,
    );
    const r = await runCli(['init', '--claude', '--scope', 'project', '--yes'], { cwd: tempDir(), env });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('not a git repository');
  });
});
