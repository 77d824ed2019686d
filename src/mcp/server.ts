/**
 * duo as an MCP server (`duo mcp`, stdio): the tools an agent needs to drive long duo runs from a chat — start one
 * in the background, poll it within a tool call's time limit, read the report, list runs, answer a decision card,
 * resume, apply, cancel, review. Arguments are strict (an unknown one is an error), and every `next` step in a
 * result names the MCP tool that takes it, not a shell command. Each tool calls duo's own command (this installation, `--json`) in the repository given by
 * `cwd` (default: where the server runs), so the MCP path behaves exactly like the CLI; listing runs reads the
 * records directly. Read-only tools say so (readOnlyHint): Codex and Claude Code may run them without asking.
 */

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { execa } from 'execa';
import { z } from 'zod';
import { RunStatus } from '../protocol/types.js';
import { searchRuns } from '../record/query.js';
import { duoArgv } from '../sys/bin.js';
import { redactedJson } from '../sys/redact.js';
import { findRepoRoot } from '../workspace/index.js';

const WAIT_DEFAULT_S = 45;
const WAIT_MAX_S = 600;

const cwdArg = z
  .string()
  .optional()
  .describe('The repository to work in (absolute path). Default: the directory the duo MCP server runs in.');
const runIdArg = z
  .string()
  .describe('The run id, as `run`, `review` or `runs` returned it (any unique start of it; "last": the newest run).');
/** Where a tool may do without the run id: the newest run. */
const newestRunIdArg = runIdArg
  .optional()
  .describe('The run id (default: the newest run); a unique start of it works.');

/**
 * The tools' arguments: strict, so a misspelt or unknown argument (`{"search": …}` for `query`) is an error the
 * caller sees, never silently ignored.
 */
const args = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);

/** The CLI's way of saying a next step, and the MCP tool that does it. */
const TOOL_FOR: Record<string, string> = {
  wait: 'wait',
  status: 'status',
  show: 'report',
  resume: 'resume',
  decide: 'decide',
  apply: 'apply',
  cancel: 'cancel',
  review: 'review',
  log: 'runs',
  run: 'run',
};

/**
 * A next step the CLI wrote for a person at a terminal (`duo resume <id>`), said as the MCP tool call that does it
 * (`resume` with {"runId": "<id>"}), so a chat client is never told to run a command it has no shell for.
 */
export function mcpNext(text: string): string {
  return text.replace(/`duo ([a-z]+)((?: [^`]*)?)`/g, (whole, command: string, rest: string) => {
    const tool = TOOL_FOR[command];
    if (!tool) return whole;
    const words = rest.trim() ? rest.trim().split(/\s+/) : [];
    const argsOf: Record<string, unknown> = {};
    const positional = words.filter((w) => !w.startsWith('-') && !w.startsWith('<') && !w.startsWith('"'));
    if (positional[0] && command !== 'review' && command !== 'log') argsOf.runId = positional[0];
    if (command === 'decide') {
      if (positional[1]) argsOf.cardId = positional[1];
      argsOf.pick = '"driver" | "skeptic" | "<the user\'s own decision>"';
    }
    if (words.includes('--force')) argsOf.force = true;
    const shown = Object.entries(argsOf)
      .map(([k, v]) => `"${k}": ${k === 'pick' ? v : JSON.stringify(v)}`)
      .join(', ');
    return `\`${tool}\`${shown ? ` with {${shown}}` : ''}`;
  });
}

/** Every `next` in a result (the run's, its progress's), in MCP terms. */
function withMcpNext(value: Record<string, unknown>): Record<string, unknown> {
  const out = { ...value };
  if (typeof out.next === 'string') out.next = mcpNext(out.next);
  const progress = out.progress as Record<string, unknown> | undefined;
  if (progress && typeof progress.next === 'string') out.progress = { ...progress, next: mcpNext(progress.next) };
  return out;
}

export function createServer(defaultCwd = process.cwd(), version = '0.1.0'): McpServer {
  const server = new McpServer(
    { name: 'duo', version },
    {
      instructions:
        'duo runs a coding task through two agents (Claude Code drives, Codex is the adversarial skeptic) and its own ' +
        'verify gate, in a git worktree of its own. Runs take minutes: `run` (or `review`) starts one in the background ' +
        'and returns its runId; call `wait` repeatedly (each call is bounded) until status is not "running"; `report` ' +
        'gives the full report. exitCode 3 / status "awaiting-decision" means a decision card: ask the user, then ' +
        '`decide` and `resume`; exitCode 75 / status "paused" means an agent\'s plan limit is reached: `resume` after ' +
        "the reset. Nothing changes the user's files until `apply`, which you call only when the user says so.",
    },
  );

  const duo = async (cwd: string | undefined, args: string[], input?: string, timeoutMs = 120_000) => {
    const [node, argv] = duoArgv(...args);
    return execa(node, argv, {
      cwd: cwd ?? defaultCwd,
      reject: false,
      timeout: timeoutMs,
      env: { ...process.env, NO_COLOR: '1' },
      ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
    });
  };
  const result = (r: { exitCode?: number | undefined; stdout: string; stderr: string }, extra = {}): CallToolResult => {
    if (r.exitCode === 2 || !r.stdout.trim())
      return {
        isError: true,
        content: [{ type: 'text', text: (r.stderr || r.stdout).trim() || `duo exited with code ${r.exitCode}` }],
      };
    let text = r.stdout.trim();
    try {
      text = JSON.stringify(withMcpNext({ exitCode: r.exitCode, ...JSON.parse(text), ...extra }), null, 2);
    } catch {
      // Not JSON (a report): as it is.
    }
    return { content: [{ type: 'text', text }] };
  };

  server.registerTool(
    'run',
    {
      title: 'Start a duo run',
      description:
        'Start a duo run on a task, in the background; returns {runId, status: "running", pid} at once. Follow it with `wait`.',
      inputSchema: args({
        task: z.string().min(1).describe('What to do, in the words the user used.'),
        mode: z
          .enum(['pair', 'invert', 'solo', 'answer', 'auto'])
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
      result(
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
      return result(
        await duo(cwd, [
          'review',
          '--detach',
          '--json',
          ...(scope === 'staged' ? ['--staged'] : []),
          ...(scope === 'base' || base ? ['--base', base as string] : []),
          ...(answer ? ['--answer'] : []),
          ...(focus ? ['--', focus] : []),
        ]),
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
    async ({ runId, cwd }) => result(await duo(cwd, ['status', ...(runId ? [runId] : []), '--json'])),
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
      return result(
        await duo(
          cwd,
          ['wait', ...(runId ? [runId] : []), '--timeout', String(s), '--json', '--quiet'],
          undefined,
          (s + 60) * 1000,
        ),
      );
    },
  );

  server.registerTool(
    'report',
    {
      title: "A duo run's report",
      description:
        'The report of a run (default: the newest), in markdown: outcome, next step, findings, disagreements, verify ' +
        'output verbatim; and the path of the same report as one self-contained HTML page (timeline, findings linked ' +
        'to the diff), for the user to open in a browser.',
      inputSchema: args({ runId: newestRunIdArg, cwd: cwdArg }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ runId, cwd }) => {
      const id = runId ? [runId] : [];
      // The page first (written again from the record, so it exists even for a run from before pages), then the text.
      const page = await duo(cwd, ['show', ...id, '--html']);
      const report = result(await duo(cwd, ['show', ...id]));
      const path = page.exitCode !== 2 ? page.stdout.trim() : '';
      if (!report.isError && path)
        report.content.push({ type: 'text', text: `\n\nThe same report as a page (open it in a browser): ${path}\n` });
      return report;
    },
  );

  server.registerTool(
    'runs',
    {
      title: 'List or search duo runs',
      description:
        'The repository\'s runs, newest first (from duo\'s run index); `query` keeps those whose task, findings, rebuttals, disagreements or decisions contain every word (a "quoted phrase" is one), and says where each matched.',
      inputSchema: args({
        query: z.string().optional(),
        status: RunStatus.optional(),
        limit: z.number().int().min(1).max(200).optional(),
        cwd: cwdArg,
      }),
      annotations: { readOnlyHint: true, openWorldHint: false },
    },
    async ({ query, status, limit, cwd }) => {
      try {
        const found = await searchRuns({ repoRoot: await findRepoRoot(cwd ?? defaultCwd) }, query ?? '', {
          ...(status ? { status: [status] } : {}),
          limit: limit ?? 20,
        });
        const runs = found.runs
          .filter((r) => !r.damaged)
          .map((r) => ({
            runId: r.runId,
            date: r.createdAt,
            task: r.task,
            mode: r.mode,
            status: r.status,
            findings: r.findings,
            standing: r.standing ?? 0,
            disagreements: r.disagreements,
            branch: r.branch,
            ...(r.matches ? { matches: r.matches } : {}),
          }));
        const damaged = found.runs.filter((r) => r.damaged).map((r) => r.runId);
        const next = runs.length
          ? '`report` with {"runId": …} reads a run; `status` and `wait` follow a running one.'
          : '`run` starts one.';
        return { content: [{ type: 'text', text: redactedJson({ runs, total: found.total, damaged, next }, 2) }] };
      } catch (e) {
        return { isError: true, content: [{ type: 'text', text: (e as Error).message }] };
      }
    },
  );

  server.registerTool(
    'decide',
    {
      title: 'Answer a decision card',
      description:
        "Record the user's decision on a run's decision card (a blocker the agents disagree on), then call `resume`. " +
        '`amend` replaces a decision the run has not acted on yet.',
      inputSchema: args({
        runId: runIdArg,
        cardId: z.string().describe('The card id, e.g. card-R1.'),
        pick: z
          .string()
          .min(1)
          .describe('"driver", "skeptic" (any case), or the user\'s own instruction in their words.'),
        amend: z.boolean().optional().describe('Replace the decision already recorded on this card.'),
        cwd: cwdArg,
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async ({ runId, cardId, pick, amend, cwd }) =>
      result(await duo(cwd, ['decide', runId, cardId, '--pick', pick, '--json', ...(amend ? ['--amend'] : [])])),
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
      result(await duo(cwd, ['resume', ...(runId ? [runId] : []), '--detach', '--json']), {
        next: 'call `wait` with {"runId": <runId>} until status is not "running"',
      }),
  );

  server.registerTool(
    'apply',
    {
      title: "Apply a duo run's change to the working tree",
      description:
        "Bring a green run's change (default: the newest run) into the user's working tree as uncommitted changes, " +
        "keeping the user's own. Ask the user first. Returns {applied, files, conflicts, message}: on a conflict " +
        'nothing is changed and the message says why. `force` applies a red or unverified run, or one applied before.',
      inputSchema: args({
        runId: newestRunIdArg,
        force: z.boolean().optional().describe('Apply even though the run is not green (or was applied already).'),
        cwd: cwdArg,
      }),
      annotations: { readOnlyHint: false, destructiveHint: false, idempotentHint: false, openWorldHint: false },
    },
    async ({ runId, force, cwd }) =>
      result(await duo(cwd, ['apply', ...(runId ? [runId] : []), '--json', ...(force ? ['--force'] : [])])),
  );

  server.registerTool(
    'cancel',
    {
      title: 'Stop a duo run',
      description: 'Stop a running run cleanly; it is saved as interrupted and `resume` continues it.',
      inputSchema: args({ runId: runIdArg, cwd: cwdArg }),
      annotations: { readOnlyHint: false, destructiveHint: false, openWorldHint: false },
    },
    async ({ runId, cwd }) => result(await duo(cwd, ['cancel', runId, '--json'], undefined, 90_000)),
  );

  return server;
}
