/**
 * duo as an MCP server (`duo mcp`, stdio): the tools an agent needs to drive long duo runs from a chat — start one
 * in the background, poll it within a tool call's time limit, read the report, list runs, answer a decision card,
 * resume, apply, cancel, review. Arguments are strict (an unknown one is an error), and every `next` step in a
 * result names the MCP tool that takes it, not a shell command (next.ts). Each tool calls duo's own command (this
 * installation, `--json`) in the repository given by `cwd` (default: where the server runs), so the MCP path behaves
 * exactly like the CLI (duo-call.ts); listing runs reads the records directly. Read-only tools say so
 * (readOnlyHint): Codex and Claude Code may run them without asking. The tools: run-tools.ts, record-tools.ts.
 */

import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { duoCaller } from './duo-call.js';
import { registerRecordTools } from './record-tools.js';
import { registerRunTools } from './run-tools.js';

export { mcpNext } from './next.js';

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
  const duo = duoCaller(defaultCwd);
  registerRunTools(server, duo);
  registerRecordTools(server, duo, defaultCwd);
  return server;
}
