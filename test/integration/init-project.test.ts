import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DiffJson } from '../../src/wire/records.js';
import { NothingToReviewJson } from '../../src/wire/run.js';
import { InitJson } from '../../src/wire/setup.js';
import { DUO_BIN, parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * `duo init --scope project` is shared through git: it holds no path of this machine, writes nothing outside the
 * repository, and pre-approves answering a decision only when asked to (--allow-decide). What init writes there is
 * duo's set-up, not the user's work: the first run does not warn about it, and a review (the stop gate's too)
 * leaves it out. And an interactive init whose input ends mid-way stops with a message, not a silent exit 13.
 */
const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** A HOME of its own and a PATH with node and git but no claude, codex or duo. */
function isolated(): Record<string, string> {
  return {
    HOME: tempDir('duo-init-home-'),
    PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
    CLAUDE_CONFIG_DIR: '',
    CODEX_HOME: '',
  };
}

/** Every file under a folder, relative to it. */
function filesUnder(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? filesUnder(join(dir, e.name), base) : [join(dir, e.name).slice(base.length + 1)],
  );
}

const repoWithScripts = () =>
  makeRepo({
    ...SAMPLE,
    'package.json': `${JSON.stringify({ name: 's', type: 'module', scripts: { test: 'node --test' } })}\n`,
  });

describe('duo init --scope project', () => {
  it('holds no absolute path, writes nothing outside the repository, and asks before decide/resume unless --allow-decide', async () => {
    const repo = repoWithScripts();
    const env = isolated();
    const r = await runCli(
      ['init', '--claude', '--codex', '--mcp', '--review-gate', '--scope', 'project', '--yes', '--json'],
      {
        cwd: repo,
        env,
      },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    const j = parseWire(InitJson, r.stdout);
    // Nothing in HOME: no ~/.codex prompts, no ~/.claude, no ~/.agents.
    expect(filesUnder(env.HOME as string)).toEqual([]);
    for (const i of j.installed) expect(i.path.startsWith(repo), i.path).toBe(true);

    const shared = ['.claude/settings.json', '.mcp.json', '.claude/commands/duo.md', '.agents/skills/duo/SKILL.md'].map(
      (f) => readFileSync(join(repo, f), 'utf8'),
    );
    for (const text of shared) {
      expect(text).not.toContain(repo);
      expect(text).not.toContain(process.execPath);
      expect(text).not.toContain(ROOT);
    }
    const settings = JSON.parse(readFileSync(join(repo, '.claude/settings.json'), 'utf8'));
    const hook = settings.hooks.Stop[0].hooks[0].command as string;
    expect(hook).toMatch(/^command -v duo >\/dev\/null 2>&1 && exec duo hook stop \|\|/);
    expect(settings.permissions.allow).toContain('Bash(duo status:*)');
    expect(settings.permissions.allow.join()).not.toMatch(/duo (decide|resume)/);
    expect(JSON.parse(readFileSync(join(repo, '.mcp.json'), 'utf8'))).toEqual({
      mcpServers: { duo: { type: 'stdio', command: 'duo', args: ['mcp'], env: {} } },
    });
    // What only exists per user is said, not done.
    const notes = j.notes.join('\n');
    expect(notes).toContain('plugin');
    expect(notes).toContain('$CODEX_HOME');
    expect(notes).toContain('asks you before it runs `duo decide` or `duo resume`');
    expect(notes).toContain('npm install -g .');

    const allow = await runCli(['init', '--claude', '--scope', 'project', '--allow-decide', '--yes'], {
      cwd: repo,
      env,
    });
    expect(allow.exitCode, allow.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(repo, '.claude/settings.json'), 'utf8'));
    expect(after.permissions.allow).toEqual(expect.arrayContaining(['Bash(duo decide:*)', 'Bash(duo resume:*)']));
    expect(filesUnder(env.HOME as string)).toEqual([]);
  });
});

describe("init's own files are not the user's work", () => {
  const happy = {
    agents: {
      claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
      codex: { critique: [critique('approve')], review: [critique('approve')] },
    },
  };

  it('the first run does not count them as uncommitted changes; an edit of the user does', async () => {
    const repo = repoWithScripts();
    const env = isolated();
    expect(
      (await runCli(['init', '--claude', '--codex', '--scope', 'project', '--yes'], { cwd: repo, env })).exitCode,
    ).toBe(0);
    const config = scriptedConfig(happy);
    const first = await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo, env });
    expect(first.exitCode, first.stderr).toBe(0);
    expect(first.stderr).not.toContain('uncommitted change');

    // Edited by the user, a set-up file is theirs; so is any other change.
    writeFileSync(join(repo, 'duo.config.json'), `${readFileSync(join(repo, 'duo.config.json'), 'utf8')}// mine\n`);
    writeFileSync(join(repo, 'notes.txt'), 'mine\n');
    const second = await runCli(['run', 'make x return 2', '--config', config, '--json'], { cwd: repo, env });
    expect(second.stderr).toContain('your 2 uncommitted change(s) are not part of this run');
  });

  it('a review (and the stop gate) leaves them out: after init alone there is nothing to review', async () => {
    const repo = repoWithScripts();
    const env = isolated();
    const init = await runCli(['init', '--claude', '--review-gate', '--mcp', '--scope', 'project', '--yes'], {
      cwd: repo,
      env,
    });
    expect(init.exitCode, init.stderr).toBe(0);
    const config = scriptedConfig(happy);
    const review = await runCli(['review', '--json', '--config', config], { cwd: repo, env });
    expect(parseWire(NothingToReviewJson, review.stdout)).toMatchObject({ runId: null, status: 'nothing-to-review' });

    // The stop gate's first review: nothing of the user's, so no review at all.
    const hook = await execa('node', [DUO_BIN, 'hook', 'stop'], {
      cwd: repo,
      input: JSON.stringify({ session_id: 's1', cwd: repo, hook_event_name: 'Stop', stop_hook_active: false }),
      env: { ...env, DUO_CONFIG: config, NO_COLOR: '1' },
      reject: false,
    });
    expect(hook.exitCode, hook.stderr).toBe(0);
    expect(hook.stdout.trim()).toBe('');
    expect(existsSync(join(repo, '.duo', 'runs'))).toBe(false);

    // With a change of the user's, the review covers that change only.
    writeFileSync(join(repo, 'src/x.js'), GOOD_X);
    const reviewed = await runCli(['review', '--json', '--config', config], { cwd: repo, env });
    const { runId } = parseJson<{ runId: string }>(reviewed.stdout);
    const diff = parseWire(DiffJson, (await runCli(['diff', runId, '--json'], { cwd: repo })).stdout);
    expect(diff.files.map((f) => f.path)).toEqual(['src/x.js']);
  });
});

describe('interactive duo init', () => {
  it('input that ends at the second question stops with a message (exit 2), not a silent exit 13', async () => {
    const repo = repoWithScripts();
    // A terminal (script's pty): Enter keeps the detected command at the first question; at the second, input ends.
    const child = execa('script', ['-qec', `stty cols 160; node ${DUO_BIN} init; echo "exit=$?"`, '/dev/null'], {
      cwd: repo,
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin`, HOME: tempDir('duo-init-home-'), NO_COLOR: '1' },
      extendEnv: false,
      reject: false,
      timeout: 60_000,
    });
    let out = '';
    let step = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (step === 0 && out.includes('Verify commands duo runs')) {
        step = 1;
        child.stdin?.write('\r');
      } else if (step === 1 && out.includes('Another command?')) {
        step = 2;
        child.stdin?.end();
      }
    });
    await child;
    expect(step).toBe(2);
    expect(out).toContain('duo init stopped: the input ended before the question was answered. Nothing was written.');
    expect(out).toMatch(/exit=2\s*$/);
    expect(out).not.toContain(';;');
    expect(existsSync(join(repo, 'duo.config.json'))).toBe(false);
  });
});
