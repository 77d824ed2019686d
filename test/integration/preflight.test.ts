import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseJson, runCli, scriptedConfig } from '../support/cli.js';
import { git, makeRepo, SAMPLE } from '../support/harness.js';
import { critique, GOOD_X, PASSING_TEST, plan, work } from '../support/scenario.js';

/**
 * Pre-flight (issue 9.4): everything that can be known before an agent spends a token is checked before the run
 * exists — the agents of the chosen mode are found, and a run with nothing to verify says so up front.
 */
const happy = {
  agents: {
    claude: { plan: [plan()], implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })] },
    codex: { critique: [critique('approve')], review: [critique('approve')] },
  },
};

/** The scripted config with one agent replaced. */
function withAgent(name: string, agent: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  const file = scriptedConfig(happy, extra);
  const config = JSON.parse(readFileSync(file, 'utf8'));
  config.agents[name] = agent;
  writeFileSync(file, JSON.stringify(config));
  return file;
}

function nothingCreated(repo: string): void {
  expect(existsSync(join(repo, '.duo'))).toBe(false);
  expect(git(repo, 'branch', '--list', 'duo/*')).toBe('');
}

describe('agents are located before the run is created', () => {
  it('a command agent whose argv[0] is not installed: exit 2, named, nothing created', async () => {
    const repo = makeRepo(SAMPLE);
    const config = withAgent('codex', { kind: 'command', argv: ['no-such-agent-cli-xyz', '{prompt}'] });
    const r = await runCli(['run', 'make x return 2', '--config', config], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('codex (skeptic)');
    expect(r.stderr).toContain('no-such-agent-cli-xyz');
    expect(r.stderr).toContain('duo doctor');
    nothingCreated(repo);
  });

  it('a built-in agent whose path does not exist says how to install it', async () => {
    const repo = makeRepo(SAMPLE);
    const config = withAgent('claude', { kind: 'claude', path: '/nonexistent/bin/claude' });
    const r = await runCli(['run', 'make x return 2', '--config', config], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('claude (driver)');
    expect(r.stderr).toContain('/nonexistent/bin/claude');
    expect(r.stderr).toMatch(/npm i -g @anthropic-ai\/claude-code|agents\.claude\.path/);
    nothingCreated(repo);
  });

  it('a scripted agent whose scenario file is missing', async () => {
    const repo = makeRepo(SAMPLE);
    const config = withAgent('codex', { kind: 'scripted', scenario: '/nonexistent/scenario.json' });
    const r = await runCli(['run', 'make x return 2', '--config', config], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('/nonexistent/scenario.json');
    nothingCreated(repo);
  });

  it('only the agents of the chosen mode: a solo run does not need the skeptic', async () => {
    const repo = makeRepo(SAMPLE);
    const config = withAgent('codex', { kind: 'command', argv: ['no-such-agent-cli-xyz'] });
    const r = await runCli(['run', 'make x return 2', '--mode', 'solo', '--config', config, '--json'], { cwd: repo });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(parseJson(r.stdout).status).toBe('green');
  });

  it('resume locates the agents too, before touching the run', async () => {
    const repo = makeRepo(SAMPLE);
    const failing = scriptedConfig({
      agents: { claude: { plan: [plan()], implement: [{ fail: 'api-error' }] }, codex: happy.agents.codex },
    });
    const first = parseJson(
      (await runCli(['run', 'make x return 2', '--config', failing, '--json'], { cwd: repo })).stdout,
    );
    expect(first.status).toBe('failed');
    const before = readFileSync(join(repo, '.duo', 'runs', first.runId as string, 'state.json'), 'utf8');
    const config = withAgent('codex', { kind: 'command', argv: ['no-such-agent-cli-xyz'] });
    const r = await runCli(['resume', first.runId as string, '--config', config], { cwd: repo });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('no-such-agent-cli-xyz');
    expect(readFileSync(join(repo, '.duo', 'runs', first.runId as string, 'state.json'), 'utf8')).toBe(before);
  });
});

describe('no verify command is said before the run starts', () => {
  const noTests = {
    'package.json': `${JSON.stringify({ name: 's', type: 'module' })}\n`,
    'src/x.js': SAMPLE['src/x.js'],
  };

  it('on the terminal, before the first phase, with how to give one; and in --json', async () => {
    const repo = makeRepo(noTests);
    const r = await runCli(['run', 'make x return 2', '--config', scriptedConfig(happy), '--json'], { cwd: repo });
    expect(r.exitCode).toBe(1); // unverified
    const warning = r.stderr.indexOf('no verify command found');
    expect(warning).toBeGreaterThanOrEqual(0);
    expect(warning).toBeLessThan(r.stderr.indexOf('plan'));
    expect(r.stderr).toContain('--verify "<cmd>"');
    const json = parseJson<{ status: string; warnings: string[] }>(r.stdout);
    expect(json.status).toBe('unverified');
    expect(json.warnings).toEqual([expect.stringContaining('no verify command found')]);
  });

  it('is not said when there is one, and warnings is then empty', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(['run', 'make x return 2', '--config', scriptedConfig(happy), '--json'], { cwd: repo });
    expect(r.stderr).not.toContain('no verify command');
    expect(parseJson(r.stdout).warnings).toEqual([]);
  });

  it('a secret in a verify command is said too: the record keeps it masked', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(
      [
        'run',
        'make x return 2',
        '--config',
        scriptedConfig(happy),
        '--verify',
        'API_TOKEN=abcd12345678 npm test',
        '--json',
      ],
      { cwd: repo },
    );
    expect(r.exitCode, r.stderr).toBe(0);
    expect(parseJson<{ warnings: string[] }>(r.stdout).warnings.join('\n')).toMatch(/looks like a secret/);
  });
});

describe('hints name the real run id', () => {
  it('an agent failure and a budget stop both say duo resume <the run id>', async () => {
    const repo = makeRepo(SAMPLE);
    const broken = scriptedConfig({
      agents: { claude: { plan: [plan()], implement: [{ fail: 'api-error' }] }, codex: happy.agents.codex },
    });
    const a = parseJson<{ runId: string; error: { hint: string } }>(
      (await runCli(['run', 'make x return 2', '--config', broken, '--json'], { cwd: repo })).stdout,
    );
    expect(a.error.hint).toContain(`duo resume ${a.runId}`);
    expect(a.error.hint).not.toContain('<runId>');
    const pricey = scriptedConfig(
      {
        agents: {
          claude: {
            plan: [{ ...plan(), usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0, costUsd: 3 } }],
            implement: [work({ 'src/x.js': GOOD_X, 'test/x.test.js': PASSING_TEST })],
          },
          codex: happy.agents.codex,
        },
      },
      { limits: { retryBaseMs: 1, maxCostUsd: 1 } },
    );
    const b = await runCli(['run', 'make x return 2', '--config', pricey], { cwd: repo });
    const id = /duo (\S+): /.exec(b.stdout)?.[1];
    expect(id).toBeTruthy();
    expect(b.stdout).toContain(`duo resume ${id}`);
    expect(`${b.stdout}${readFileSync(join(repo, '.duo', 'runs', id!, 'report.md'), 'utf8')}`).not.toContain('<runId>');
  });
});

describe('no green without a check: a verify command that cannot fail is a usage error before anything exists', () => {
  it.each([
    ['run', ''],
    ['run', '   '],
    ['run', 'true'],
    ['run', ': # nothing'],
    ['run', 'exit 0'],
    ['run', 'npm test || true'],
    ['review', '# npm test'],
  ])('duo %s --verify %j: exit 2, says why, nothing created', async (command, verify) => {
    const repo = makeRepo(SAMPLE);
    writeFileSync(join(repo, 'src', 'x.js'), GOOD_X); // something for `duo review` to review
    const args = command === 'run' ? ['run', 'make x return 2'] : ['review'];
    const r = await runCli([...args, '--config', scriptedConfig(happy), '--verify', 'npm test', '--verify', verify], {
      cwd: repo,
    });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/cannot fail: .*nothing would run|cannot fail: .*always exits 0/);
    expect(r.stderr).toContain('proves nothing');
    nothingCreated(repo);
  });

  it('the same rule in the config: the file and the entry are named', async () => {
    const repo = makeRepo(SAMPLE);
    const r = await runCli(
      ['run', 'make x return 2', '--config', scriptedConfig(happy, { verify: ['npm test; exit 0'] })],
      {
        cwd: repo,
      },
    );
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/verify\.0.*cannot fail: it calls `exit 0`/s);
    nothingCreated(repo);
  });
});
