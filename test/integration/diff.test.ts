import { execFileSync } from 'node:child_process';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DiffJson } from '../../src/wire/records.js';
import { DIRECT_TEST, DUO_BIN, parseJson, parseWire, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * `duo diff [runId]`: the run's change against its base — the patch, `--stat`, `--json` — and in a terminal through
 * the user's git pager. What an agent wrote is shown with its control characters made visible.
 */
const HOSTILE = 'export const title = "\x1b]0;pwned\x07";\n';
const scenario = {
  agents: {
    claude: {
      plan: [plan()],
      implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST, 'src/title.js': HOSTILE })],
    },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};

async function greenRun(): Promise<{ repo: string; runId: string }> {
  const repo = makeRepo(SAMPLE);
  const r = await runCli(['run', 'make x return 2', '--config', scriptedConfig(scenario, DIRECT_TEST), '--json'], {
    cwd: repo,
  });
  expect(r.exitCode, r.stderr).toBe(0);
  return { repo, runId: parseJson<{ runId: string }>(r.stdout).runId };
}

describe('duo diff', () => {
  it('prints the patch against the base, --stat the files and counts, --json both; control characters made visible', async () => {
    const { repo, runId } = await greenRun();
    const patch = await runCli(['diff', runId], { cwd: repo });
    expect(patch.exitCode, patch.stderr).toBe(0);
    expect(patch.stdout).toContain('diff --git a/src/x.js b/src/x.js');
    expect(patch.stdout).toContain('-  return 1;');
    expect(patch.stdout).toContain('+  return 2;');
    expect(patch.stdout).toContain('+++ b/test/x.test.js');
    // The escape sequence the agent wrote reaches the terminal as text, not as a command to it.
    expect(patch.stdout).toContain('"^[]0;pwned^G"');
    expect(patch.stdout).not.toContain('\x1b');

    const stat = await runCli(['diff', runId, '--stat'], { cwd: repo });
    expect(stat.stdout).toMatch(/^ src\/x\.js\s+\| M \+1 −1$/m);
    expect(stat.stdout).toMatch(/^ test\/x\.test\.js\s+\| A \+4 −0$/m);
    expect(stat.stdout).toContain(' 3 files changed, 6 insertion(s)(+), 1 deletion(s)(−)');
    expect(stat.stdout).not.toContain('diff --git');

    const json = parseWire(DiffJson, (await runCli(['diff', runId, '--json'], { cwd: repo })).stdout);
    expect(json.branch).toBe(`duo/${runId}`);
    expect(json.files.map((f) => f.path).sort()).toEqual(['src/title.js', 'src/x.js', 'test/x.test.js']);
    expect(json.patch).toContain('+  return 2;');
    const statJson = parseWire(DiffJson, (await runCli(['diff', '--stat', '--json'], { cwd: repo })).stdout);
    expect(statJson.patch).toBeUndefined();
    expect(statJson.runId).toBe(runId);
  });

  it('in a terminal the patch goes through the git pager; --no-pager prints it straight', async () => {
    const { repo } = await greenRun();
    const inTerminal = (args: string) =>
      execFileSync('script', ['-qec', `stty cols 200; node ${DUO_BIN} diff ${args}`, '/dev/null'], {
        cwd: repo,
        encoding: 'utf8',
        env: {
          PATH: `${dirname(process.execPath)}:/usr/bin:/bin`,
          HOME: repo,
          NO_COLOR: '1',
          GIT_PAGER: 'sed "s/^/PAGED: /"',
        },
      });
    expect(inTerminal('')).toMatch(/^PAGED: diff --git a\/src\/x\.js b\/src\/x\.js/m);
    const straight = inTerminal('--no-pager');
    expect(straight).toContain('diff --git a/src/x.js');
    expect(straight).not.toContain('PAGED:');
  });

  it('a run whose branch is gone says so (exit 2)', async () => {
    const { repo, runId } = await greenRun();
    expect((await runCli(['clean', runId, '--force'], { cwd: repo })).exitCode).toBe(0);
    const r = await runCli(['diff', runId], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`branch duo/${runId} is gone`);
  });
});
