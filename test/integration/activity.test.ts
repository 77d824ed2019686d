import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { makeRepo, SAMPLE } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * Live activity: while an agent works, the files it edits, the commands it runs and the trouble it reports (from
 * its CLI's stream) are in events.jsonl, in `duo status` (--json and text) and in `duo wait`'s progress lines.
 */
const started: number[] = [];
afterEach(() => {
  for (const pid of started.splice(0)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already finished
    }
  }
});

interface Status {
  agents: {
    agent: string;
    doing: string | null;
    activity: { kind: string; text: string } | null;
    trouble: { message: string; count: number } | null;
  }[];
}

describe('live activity of a working agent', () => {
  it('reaches events.jsonl, duo status and duo wait while the call runs', async () => {
    const repo = makeRepo(SAMPLE);
    const config = scriptedConfig({
      agents: {
        claude: {
          plan: [plan()],
          implement: [
            {
              ...work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST }),
              activity: [{ edit: 'src/x.js' }, { trouble: 'Reconnecting... 1/5' }, { command: 'npm test -- x' }],
              delayMs: 4000,
            },
          ],
        },
        codex: { critique: [critique('approve')], review: [critique('approve')] },
      },
    });
    const d = await runCli(['run', 'make x return 2', '--detach', '--json', '--config', config], { cwd: repo });
    expect(d.exitCode, d.stderr).toBe(0);
    const { runId, pid } = parseJson<{ runId: string; pid: number }>(d.stdout);
    started.push(pid);

    let claude: Status['agents'][number] | undefined;
    for (let i = 0; i < 200 && !claude?.activity; i++) {
      const s = parseJson<Status>((await runCli(['status', runId, '--json'], { cwd: repo })).stdout);
      claude = s.agents.find((a) => a.agent === 'claude' && a.doing === 'implement');
      if (!claude?.activity) await new Promise((r) => setTimeout(r, 100));
    }
    expect(claude).toMatchObject({
      activity: { kind: 'command', text: 'npm test -- x' },
      trouble: { message: 'Reconnecting... 1/5', count: 1 },
    });
    const text = await runCli(['status', runId], { cwd: repo });
    expect(text.stdout).toMatch(/claude \(driver\): implement — \$ npm test -- x/);
    expect(text.stdout).toContain('⚠ Reconnecting... 1/5');

    const w = await runCli(['wait', runId], { cwd: repo });
    expect(w.exitCode, w.stdout).toBe(0);
    expect(w.stderr).toContain('claude (driver): implement — $ npm test -- x — ⚠ Reconnecting... 1/5');

    const events = readFileSync(join(repo, '.duo', 'runs', runId, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; step?: string; event?: Record<string, unknown> });
    const during = events.filter((e) => e.step?.startsWith('implement') && e.type.startsWith('agent-') && e.event);
    expect(during.map((e) => [e.type, e.event?.path ?? e.event?.command ?? e.event?.message])).toEqual(
      expect.arrayContaining([
        ['agent-file_change', 'src/x.js'],
        ['agent-error', 'Reconnecting... 1/5'],
        ['agent-command', 'npm test -- x'],
      ]),
    );
  });
});
