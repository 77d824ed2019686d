/**
 * How the MCP tools call duo: this installation's own command with `--json`, in the repository the tool was given,
 * so the MCP path behaves exactly like the CLI; and the tool result made from what the command printed. The
 * arguments every tool shares are declared here once.
 */

import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { execa } from 'execa';
import { z } from 'zod';
import { duoArgv } from '../sys/bin.js';
import { ErrorJson } from '../wire/run.js';
import { withMcpNext } from './next.js';

export const cwdArg = z
  .string()
  .optional()
  .describe('The repository to work in (absolute path). Default: the directory the duo MCP server runs in.');
export const runIdArg = z
  .string()
  .describe('The run id, as `run`, `review` or `runs` returned it (any unique start of it; "last": the newest run).');
/** Where a tool may do without the run id: the newest run. */
export const newestRunIdArg = runIdArg
  .optional()
  .describe('The run id (default: the newest run); a unique start of it works.');

/**
 * The tools' arguments: strict, so a misspelt or unknown argument (`{"search": …}` for `query`) is an error the
 * caller sees, never silently ignored.
 */
export const args = <T extends z.ZodRawShape>(shape: T) => z.strictObject(shape);

/** What a command printed and how it ended. */
export interface Printed {
  exitCode?: number | undefined;
  stdout: string;
  stderr: string;
}

/** Runs `duo <args>` in `cwd` (default: where the server runs), with `input` on stdin when given. */
export type CallDuo = (cwd: string | undefined, args: string[], input?: string, timeoutMs?: number) => Promise<Printed>;

export function duoCaller(defaultCwd: string): CallDuo {
  return (cwd, args, input, timeoutMs = 120_000) => {
    const [node, argv] = duoArgv(...args);
    return execa(node, argv, {
      cwd: cwd ?? defaultCwd,
      reject: false,
      timeout: timeoutMs,
      env: { ...process.env, NO_COLOR: '1' },
      ...(input !== undefined ? { input } : { stdin: 'ignore' as const }),
    });
  };
}

/**
 * The tool result of a command's `--json`: an error when duo was called wrongly (exit 2) or printed nothing; its JSON
 * checked against the command's own wire schema (src/wire: closed, so a renamed or undeclared field fails) or the
 * error shape any command prints when it fails, then given with the exit code and `extra` fields and its next steps
 * in MCP terms. Output that does not match is an error result that says so and carries the text: the caller is
 * never handed a shape it was not promised.
 */
export function toolResult<T>(
  r: Printed,
  command: string,
  schema: z.ZodType<T>,
  extra: Record<string, unknown> = {},
): CallToolResult {
  const failed = commandFailed(r);
  if (failed) return failed;
  const text = r.stdout.trim();
  const value = parseOrNull(text);
  const checked = schema.safeParse(value);
  if (!checked.success && !ErrorJson.safeParse(value).success)
    return {
      isError: true,
      content: [
        {
          type: 'text',
          text:
            `the output of \`duo ${command} --json\` does not match its declared schema (exit code ${r.exitCode}):\n` +
            `${value === null ? 'it is not JSON' : z.prettifyError(checked.error)}\n\n${text}`,
        },
      ],
    };
  // As the command wrote it (the schema checked it; nested record fields it does not name are kept).
  const json = value as Record<string, unknown>;
  return {
    content: [
      { type: 'text', text: JSON.stringify(withMcpNext({ exitCode: r.exitCode, ...json, ...extra }), null, 2) },
    ],
  };
}

/** The tool result of a command that prints text (a report, a path), as it is. */
export function textResult(r: Printed): CallToolResult {
  return commandFailed(r) ?? { content: [{ type: 'text', text: r.stdout.trim() }] };
}

/** duo was called wrongly (exit 2) or printed nothing: an error result with what it said. */
function commandFailed(r: Printed): CallToolResult | null {
  if (r.exitCode !== 2 && r.stdout.trim()) return null;
  return {
    isError: true,
    content: [{ type: 'text', text: (r.stderr || r.stdout).trim() || `duo exited with code ${r.exitCode}` }],
  };
}

function parseOrNull(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null; // not JSON
  }
}
