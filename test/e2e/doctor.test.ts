import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DoctorJson } from '../../src/wire/setup.js';
import { claudeSimEnv } from '../support/claude-env.js';
import { parseWire, runCli } from '../support/cli.js';
import { makeRepo, tempDir } from '../support/harness.js';
import { realAgents, realAgentsConfig } from '../support/sim-agents.js';

/** `duo doctor` on the real pinned CLIs: no model is reachable here, so it proves doctor spends no tokens. */
function configFile(agents: Record<string, unknown>): string {
  const file = join(tempDir('duo-doctor-'), 'duo.config.json');
  writeFileSync(file, JSON.stringify({ agents }));
  return file;
}

describe('duo doctor', () => {
  // A port nothing listens on: any model call would fail, and doctor must not need one.
  const nowhere = 'http://127.0.0.1:9';

  it('reports both real CLIs found, tested, logged in, and exits 0', async () => {
    const r = await runCli(['doctor', '--json', '--config', realAgentsConfig(nowhere)], {
      cwd: makeRepo({ 'a.txt': 'a\n' }),
    });
    expect(r.exitCode, r.stderr).toBe(0);
    const { agents } = parseWire(DoctorJson, r.stdout);
    expect(agents.map((a) => [a.name, a.roles, a.version, a.versionTested, a.loggedIn, a.ok])).toEqual([
      ['claude', ['driver'], '2.1.330', true, true, true],
      ['codex', ['skeptic'], '0.169.0', true, true, true],
    ]);
  });

  it('exits non-zero and says what to do when a role cannot run', async () => {
    const bins = realAgents();
    const config = configFile({
      claude: { kind: 'claude', path: bins.claude, env: claudeSimEnv(nowhere, { ANTHROPIC_API_KEY: '' }) },
      codex: { kind: 'codex', path: '/nonexistent/codex' },
    });
    const r = await runCli(['doctor', '--config', config], { cwd: makeRepo({ 'a.txt': 'a\n' }) });
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toMatch(/FAIL claude[\s\S]*not logged in: run `claude` and \/login/);
    expect(r.stdout).toMatch(/FAIL codex[\s\S]*not on PATH: install the Codex CLI/);
  });
});
