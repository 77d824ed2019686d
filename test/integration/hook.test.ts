import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { reviewGateCommand } from '../../src/integrations/claude.js';
import { DUO_BIN, parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE, tempDir, treeFingerprint } from '../support/harness.js';
import { critique, finding } from '../support/scenario.js';

/**
 * `duo hook stop`, fed the JSON Claude Code gives a Stop hook: it reviews the session's uncommitted changes and
 * blocks with what stands — at most reviewGate.maxBlocks times a session, never twice for the same tree, never when
 * stop_hook_active — and fails open, with a note, when the review cannot run. (With the real claude: test/e2e.)
 */
const blocker = (claim: string) => ({
  agents: { codex: { review: [critique('revise', [finding('R1', 'blocker', claim)])] } },
});

async function stop(repo: string, config: string, input: Record<string, unknown>) {
  const r = await execa('node', [DUO_BIN, 'hook', 'stop'], {
    cwd: repo,
    input: JSON.stringify({ session_id: 's1', cwd: repo, hook_event_name: 'Stop', stop_hook_active: false, ...input }),
    env: { DUO_CONFIG: config, NO_COLOR: '1' },
    reject: false,
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return r.stdout.trim()
    ? (JSON.parse(r.stdout) as { decision?: string; reason?: string; systemMessage?: string })
    : {};
}

const runs = async (repo: string) =>
  parseJson<{ runs: unknown[] }>((await runCli(['log', '--json'], { cwd: repo })).stdout).runs.length;

describe('the stop-time review gate (duo hook stop)', () => {
  it('blocks once on a standing blocker, lets go when stop_hook_active, and does not block again for the same tree', async () => {
    const repo = makeRepo(SAMPLE);
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 3;\n}\n');
    const before = treeFingerprint(repo);
    const config = scriptedConfig(blocker('x() returns 3 where callers expect 1'));

    const first = await stop(repo, config, {});
    expect(first.decision).toBe('block');
    expect(first.reason).toContain('[R1] blocker: x() returns 3 where callers expect 1');
    expect(first.reason).toMatch(/report\.md/);
    expect(treeFingerprint(repo)).toBe(before);
    expect(await runs(repo)).toBe(1);

    // Claude continued because of the block: this stop lets go, whatever the changes, and runs nothing.
    expect(await stop(repo, config, { stop_hook_active: true })).toEqual({});
    expect(await runs(repo)).toBe(1);
    // A later stop with nothing changed: no second review, no second block.
    const same = await stop(repo, config, {});
    expect(same.decision).toBeUndefined();
    expect(same.systemMessage).toContain('nothing changed since the review that blocked');
    expect(await runs(repo)).toBe(1);
  });

  it('blocks at most maxBlocks times a session, then lets go with a note; another session starts afresh', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(blocker('still wrong'));
    for (const n of [1, 2]) {
      writeFileSync(join(repo, 'src/x.js'), `export function x() {\n  return ${n + 2};\n}\n`);
      expect((await stop(repo, config, {})).decision).toBe('block');
    }
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 9;\n}\n');
    const capped = await stop(repo, config, {});
    expect(capped.decision).toBeUndefined();
    expect(capped.systemMessage).toContain('already blocked this session 2 time(s)');
    expect(await runs(repo)).toBe(2);
    expect((await stop(repo, config, { session_id: 's2' })).decision).toBe('block');
  });

  it('nothing uncommitted, or not a git repository: nothing to review, nothing said', async () => {
    const config = scriptedConfig(blocker('x'));
    const repo = makeRepo(SAMPLE);
    expect(await stop(repo, config, {})).toEqual({});
    expect(await runs(repo)).toBe(0);
    const plain = tempDir();
    expect(await stop(plain, config, { cwd: plain })).toEqual({});
  });

  it('an approving review lets Claude stop, with a short note', async () => {
    const repo = makeRepo({ ...SAMPLE, 'test/x.test.js': "import 'node:test';\n" });
    writeFileSync(join(repo, 'README.md'), 'docs\n');
    const out = await stop(repo, scriptedConfig({ agents: { codex: { review: [critique('approve')] } } }), {});
    expect(out.decision).toBeUndefined();
    expect(out.systemMessage).toMatch(/^duo review \(\S+\): \w+, nothing blocking/);
  });

  it('fails open with a visible note when the review cannot run (the skeptic CLI is missing) or the input is not JSON', async () => {
    const repo = makeRepo(SAMPLE);
    writeFileSync(join(repo, 'src/x.js'), 'export function x() {\n  return 3;\n}\n');
    const dir = tempDir();
    const broken = join(dir, 'duo.config.json');
    writeFileSync(broken, JSON.stringify({ agents: { codex: { kind: 'codex', path: join(dir, 'no-codex-here') } } }));
    const out = await stop(repo, broken, {});
    expect(out.decision).toBeUndefined();
    expect(out.systemMessage).toMatch(/^duo review gate could not review this stop — .*Not blocking/);

    const garbage = await execa('node', [DUO_BIN, 'hook', 'stop'], { cwd: repo, input: 'not json', reject: false });
    expect(garbage.exitCode).toBe(0);
    expect(JSON.parse(garbage.stdout).systemMessage).toContain('not the JSON Claude Code sends');
  });

  it("the hook's shell line fails open with a note when duo is gone", async () => {
    const line = reviewGateCommand({ argv: ['duo'], present: 'command -v duo >/dev/null 2>&1' });
    const r = await execa('bash', ['-c', line], {
      input: JSON.stringify({ session_id: 's', stop_hook_active: false }),
      env: { PATH: `${dirname(process.execPath)}:/usr/bin:/bin` },
      extendEnv: false,
      reject: false,
    });
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout).systemMessage).toContain('duo is not installed here');
  });
});
