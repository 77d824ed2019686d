/**
 * The MCP tools that start and follow runs: `run` and `review` start one in the background, `status` and `wait`
 * (bounded by a tool call's time limit) follow it, `resume` continues it, `cancel` stops it.
 */

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { MODES } from '../config/modes.js';
import { CancelJson, DetachedJson, NothingToReviewJson, RunCommandJson, StatusJson, WaitJson } from '../wire/run.js';
import { args, type CallDuo, cwdArg, newestRunIdArg, runIdArg, toolResult } from './duo-call.js';

const WAIT_DEFAULT_S = 45;
const WAIT_MAX_S = 600;

export function registerRunTools(server: McpServer, duo: CallDuo): void {
  server.registerTool(
    'run',
    {
      title: 'Start a duo run',
      description:
        'Start a duo run on a task, in the background; returns {runId, status: "running", pid} at once. Follow it with `wait`.',
      inputSchema: args({
        task: z.string().min(1).describe('What to do, in the words the user used.'),
        mode: z
          .enum(MODES)
          .optional()
          .describe('pair (default): Claude drives, Codex reviews. invert (duox): Codex does the heavy lifting.'),
        verify: z.array(z.string()).optional().describe('Verify commands (default: from the config, or detected).'),
        includeUncommitted: z.boolean().optional().describe("Base the run on the user's uncommitted changes too."),
        config: z
          .string()
          .optional()
          .describe('A duo config file to use instead of duo.config.json in the repository (absolute, or from cwd).'),
        cwd: cwdArg,
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async ({ task, mode, verify, includeUncommitted, config, cwd }) =>
      toolResult(
        await duo(
          cwd,
          [
            'run',
            '--detach',
            '--json',
            ...(mode ? ['--mode', mode] : []),
            ...(verify ?? []).flatMap((v) => ['--verify', v]),
            ...(includeUncommitted ? ['--include-uncommitted'] : []),
            ...(config ? ['--config', config] : []),
            '-',
          ],
          task,
        ),
        'run --detach',
        DetachedJson,
        { next: 'call `wait` with {"runId": <runId>} until status is not "running"' },
      ),
  );

  server.registerTool(
    'review',
    {
      title: 'Review changes with duo',
      description:
        "Adversarial review of the user's changes plus duo's verify gate, in the background (the user's files are not " +
        'touched): uncommitted changes (default), staged, or what HEAD adds over a base branch. Returns {runId}; follow with `wait`.',
      inputSchema: args({
        scope: z.enum(['uncommitted', 'staged', 'base']).optional(),
        base: z.string().optional().describe('With scope "base": the branch the work merges into, e.g. main.'),
        answer: z
          .boolean()
          .optional()
          .describe('Let the driver answer the findings (rebut, or fix on the run branch).'),
        focus: z.string().optional().describe('What the reviewer should look at especially.'),
        cwd: cwdArg,
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async ({ scope, base, answer, focus, cwd }) => {
      if (scope === 'base' && !base)
        return {
          isError: true,
          content: [{ type: 'text', text: 'scope "base" needs `base`: the branch to compare with.' }],
        };
      return toolResult(
        await duo(cwd, [
          'review',
          '--detach',
          '--json',
          ...(scope === 'staged' ? ['--staged'] : []),
          ...(scope === 'base' || base ? ['--base', base as string] : []),
          ...(answer ? ['--answer'] : []),
          ...(focus ? ['--', focus] : []),
        ]),
        'review --detach',
        z.union([DetachedJson, NothingToReviewJson]),
        { next: 'call `wait` with {"runId": <runId>} until status is not "running"' },
      );
    },
  );

  server.registerTool(
    'status',
    {
      title: 'Where a duo run is',
      description:
        'Status, phase and round, what each agent is doing, elapsed time and the next step of a run (default: the newest).',
      inputSchema: args({ runId: newestRunIdArg, cwd: cwdArg }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ runId, cwd }) =>
      toolResult(await duo(cwd, ['status', ...(runId ? [runId] : []), '--json']), 'status', StatusJson),
  );

  server.registerTool(
    'wait',
    {
      title: 'Wait for a duo run (bounded)',
      description:
        `Wait up to timeoutSeconds (default ${WAIT_DEFAULT_S}, at most ${WAIT_MAX_S}) for a run (default: the newest) to ` +
        'finish. Returns the result (exitCode 0 green, 1 red/unverified/failed, 3 a decision is needed, 75 paused until ' +
        'an agent\'s plan limit resets, 130 interrupted), or status "running" with exitCode 4 when it is still going: ' +
        'call `wait` again.',
      inputSchema: args({
        runId: newestRunIdArg,
        timeoutSeconds: z.number().min(0).max(WAIT_MAX_S).optional(),
        cwd: cwdArg,
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ runId, timeoutSeconds, cwd }) => {
      const s = timeoutSeconds ?? WAIT_DEFAULT_S;
      return toolResult(
        await duo(
          cwd,
          ['wait', ...(runId ? [runId] : []), '--timeout', String(s), '--json', '--quiet'],
          undefined,
          (s + 60) * 1000,
        ),
        'wait',
        WaitJson,
      );
    },
  );

  server.registerTool(
    'resume',
    {
      title: 'Resume a duo run',
      description:
        'Continue an interrupted, failed or paused run, or one a decision was recorded for (default: the newest), in the background.',
      inputSchema: args({ runId: newestRunIdArg, cwd: cwdArg }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: true },
    },
    async ({ runId, cwd }) =>
      // A run already finished is printed as `duo run` prints it, not started again.
      toolResult(
        await duo(cwd, ['resume', ...(runId ? [runId] : []), '--detach', '--json']),
        'resume --detach',
        z.union([DetachedJson, RunCommandJson]),
        {
          next: 'call `wait` with {"runId": <runId>} until status is not "running"',
        },
      ),
  );

  server.registerTool(
    'cancel',
    {
      title: 'Stop a duo run',
      description: 'Stop a running run cleanly; it is saved as interrupted and `resume` continues it.',
      inputSchema: args({ runId: runIdArg, cwd: cwdArg }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async ({ runId, cwd }) =>
      toolResult(await duo(cwd, ['cancel', runId, '--json'], undefined, 90_000), 'cancel', CancelJson),
  );
}
