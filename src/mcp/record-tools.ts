/**
 * The MCP tools over the record and the user's tree: `report` reads a run, `runs` lists and searches them (from the
 * records directly), `decide` answers a decision card, `apply` brings a run's change into the working tree.
 */

import type { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { z } from 'zod';
import { RunStatus } from '../protocol/types.js';
import { searchRuns } from '../record/query.js';
import { redactedJson } from '../sys/redact.js';
import { DecideJson } from '../wire/records.js';
import { ApplyCommandJson } from '../wire/run.js';
import { findRepoRoot } from '../workspace/index.js';
import { args, type CallDuo, cwdArg, newestRunIdArg, runIdArg, textResult, toolResult } from './duo-call.js';

export function registerRecordTools(server: McpServer, duo: CallDuo, defaultCwd: string): void {
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
      const report = textResult(await duo(cwd, ['show', ...id]));
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
      toolResult(
        await duo(cwd, ['decide', runId, cardId, '--pick', pick, '--json', ...(amend ? ['--amend'] : [])]),
        'decide',
        DecideJson,
      ),
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
      toolResult(
        await duo(cwd, ['apply', ...(runId ? [runId] : []), '--json', ...(force ? ['--force'] : [])]),
        'apply',
        ApplyCommandJson,
      ),
  );
}
