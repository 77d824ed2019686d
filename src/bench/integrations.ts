import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { execa } from 'execa';
import { demoScenarioWithLatency, writeSampleRepo } from '../demo/sample.js';
import { DUO_ENTRY } from '../sys/bin.js';
import { type Figure, goal, median } from './figure.js';

function repoWithAgents(latencyMs: number): { repo: string; config: string } {
  const root = mkdtempSync(join(tmpdir(), 'duo-bench-int-'));
  const repo = writeSampleRepo(join(root, 'repo'));
  writeFileSync(join(root, 'scenario.json'), JSON.stringify(demoScenarioWithLatency(latencyMs)));
  const config = join(root, 'duo.config.json');
  const agent = { kind: 'scripted', scenario: join(root, 'scenario.json') };
  writeFileSync(config, JSON.stringify({ agents: { claude: agent, codex: agent }, limits: { retryBaseMs: 1 } }));
  return { repo, config };
}

const duo = (cwd: string, args: string[], input?: string) =>
  execa(process.execPath, [DUO_ENTRY, ...args], {
    cwd,
    reject: false,
    env: { NO_COLOR: '1' },
    ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
  });

async function timed<T>(f: () => Promise<T>): Promise<[number, T]> {
  const t0 = performance.now();
  const v = await f();
  return [performance.now() - t0, v];
}

const spread = (xs: number[]) =>
  `min ${Math.min(...xs).toFixed(0)} ms, max ${Math.max(...xs).toFixed(0)} ms (n=${xs.length})`;

/**
 * What a chat pays to drive duo, through the built CLI as an agent's shell call runs it: how fast `duo run --detach`
 * gives the id back, `duo status` of a running run, `wait` through the MCP server, and the stop-time review gate
 * on a clean tree (what every Claude Code stop costs when nothing changed). Medians of n; never asserted in tests.
 */
export async function integrationFigures(n: number): Promise<Figure[]> {
  const detach: number[] = [];
  const status: number[] = [];
  const mcpWait: number[] = [];
  const gateClean: number[] = [];
  for (let i = 0; i < n; i++) {
    // Agents that take 300 ms a call keep the run going while it is polled.
    const { repo, config } = repoWithAgents(300);
    const [ms, started] = await timed(() => duo(repo, ['run', '--detach', '--json', '--config', config, 'bench']));
    detach.push(ms);
    const runId = (JSON.parse(started.stdout) as { runId: string }).runId;
    status.push((await timed(() => duo(repo, ['status', runId, '--json'])))[0]);

    const client = new Client({ name: 'duo-bench', version: '0' });
    await client.connect(
      new StdioClientTransport({ command: process.execPath, args: [DUO_ENTRY, 'mcp'], cwd: repo, stderr: 'ignore' }),
    );
    await client.callTool({ name: 'wait', arguments: { runId, timeoutSeconds: 600 } });
    // A finished run: what one `wait` call costs through MCP (the tool call, the duo process, the record).
    mcpWait.push((await timed(() => client.callTool({ name: 'wait', arguments: { runId, timeoutSeconds: 1 } })))[0]);
    await client.close();

    const input = JSON.stringify({ session_id: 'bench', cwd: repo, stop_hook_active: false });
    gateClean.push((await timed(() => duo(repo, ['hook', 'stop'], input)))[0]);
  }
  return [
    {
      id: 'detach',
      what: '`duo run --detach --json` until it prints the run id (a background process started, the record owned)',
      value: median(detach),
      unit: 'ms',
      ...goal(median(detach), '<', 1000, ' ms'),
      detail: spread(detach),
    },
    {
      id: 'status',
      what: '`duo status --json` of a running run (record + events.jsonl)',
      value: median(status),
      unit: 'ms',
      detail: spread(status),
    },
    {
      id: 'mcp-wait',
      what: 'one `wait` tool call through `duo mcp` on a finished run',
      value: median(mcpWait),
      unit: 'ms',
      detail: spread(mcpWait),
    },
    {
      id: 'gate-clean',
      what: 'the stop-time review gate on a clean tree (every Claude Code stop with nothing changed)',
      value: median(gateClean),
      unit: 'ms',
      ...goal(median(gateClean), '<', 1000, ' ms'),
      detail: spread(gateClean),
    },
  ];
}
