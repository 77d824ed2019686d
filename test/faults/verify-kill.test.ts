import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { DUO_BIN, parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE } from '../support/harness.js';
import { alive } from '../support/process.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * kill -9 of duo while a verify command runs (issue 9.7): the command has its own process group, so it survives
 * duo. It is recorded in the run folder like an agent process, and the resume stops it before anything else —
 * no second copy in the same worktree. `resume --verify` replaces a command that hangs.
 */
const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};

async function until<T>(what: string, probe: () => T | undefined, ms = 30_000): Promise<T> {
  for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) {
    const v = probe();
    if (v !== undefined) return v;
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a verify command when duo is killed', () => {
  it('is recorded, survives kill -9, is stopped by resume, and resume --verify replaces the command', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(happy);
    const duo = execa(
      'node',
      [DUO_BIN, 'run', 'make x return 2', '--config', config, '--verify', 'sleep 300', '--json'],
      {
        cwd: repo,
        reject: false,
        env: { NO_COLOR: '1' },
      },
    );
    const runs = join(repo, '.duo', 'runs');
    let pid: number | undefined;
    try {
      await scenarioOfKill();
    } finally {
      // Whatever happened above, leave no duo and no `sleep 300` behind.
      duo.kill('SIGKILL');
      if (pid && alive(pid)) process.kill(-pid, 'SIGKILL');
    }

    async function scenarioOfKill(): Promise<void> {
      const found = await until('the verify command to be recorded', () => {
        if (!existsSync(runs)) return undefined;
        for (const id of readdirSync(runs)) {
          const file = join(runs, id, 'processes.json');
          if (!existsSync(file)) continue;
          const verify = (JSON.parse(readFileSync(file, 'utf8')) as { pid: number; kind: string }[]).find(
            (p) => p.kind === 'verify',
          );
          if (verify) return { runId: id, pid: verify.pid };
        }
        return undefined;
      });
      const runId = found.runId;
      pid = found.pid;
      duo.kill('SIGKILL');
      expect((await duo).signal).toBe('SIGKILL');
      // SIGKILL cannot be trapped: the command is still running in the run's worktree.
      expect(alive(pid)).toBe(true);

      const log = parseJson<{ runs: { runId: string; status: string }[] }>(
        (await runCli(['log', '--json'], { cwd: repo })).stdout,
      );
      expect(log.runs.find((r) => r.runId === runId)?.status).toBe('interrupted');

      const resumed = await runCli(['resume', runId, '--verify', 'npm test', '--config', config, '--json'], {
        cwd: repo,
      });
      expect(resumed.exitCode, resumed.stderr).toBe(0);
      expect(resumed.stderr).toContain('verify commands replaced');
      expect(resumed.stderr).toMatch(/stopped 1 verify command left running/);
      const json = parseJson<{ status: string; verify: { command: string; passed: boolean }[] }>(resumed.stdout);
      expect(json.status).toBe('green');
      expect(json.verify).toEqual([expect.objectContaining({ command: 'npm test', passed: true })]);
      expect(alive(pid)).toBe(false);
      expect(existsSync(join(runs, runId, 'processes.json'))).toBe(false);
      expect(readFileSync(join(runs, runId, 'events.jsonl'), 'utf8')).toMatch(/"type":"reaped-processes","count":1/);
    }
  });

  it('resume --verify re-runs the gate of a finished red run with the new commands', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig(happy, { limits: { retryBaseMs: 1, verifyRounds: 1 } });
    const red = parseJson<{ runId: string; status: string }>(
      (await runCli(['run', 'make x return 2', '--config', config, '--verify', 'false', '--json'], { cwd: repo }))
        .stdout,
    );
    expect(red.status).toBe('red');
    const plain = await runCli(['resume', red.runId, '--config', config], { cwd: repo });
    expect(plain.stderr).toContain('already finished');
    const again = await runCli(['resume', red.runId, '--verify', 'npm test', '--config', config, '--json'], {
      cwd: repo,
    });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(parseJson(again.stdout).status).toBe('green');
    const state = JSON.parse(readFileSync(join(repo, '.duo', 'runs', red.runId, 'state.json'), 'utf8'));
    expect(state.options.verify).toEqual(['npm test']);
  });
});
