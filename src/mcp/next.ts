/**
 * Next steps in MCP terms: the CLI words a next step for a person at a terminal (`duo resume <id>`); a chat client
 * has no shell, so the MCP server says it as the tool call that takes it (`resume` with {"runId": "<id>"}).
 */

import { z } from 'zod';

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

/**
 * What the server reads of a command's `--json`: the next steps (the run's, its progress's), which it says again in
 * MCP terms. Every other field passes through as the command wrote it (each command's own schema, record/run-json.ts).
 */
export const CommandJson = z.looseObject({
  next: z.string().nullish(),
  progress: z.looseObject({ next: z.string().nullish() }).nullish(),
});
export type CommandJson = z.infer<typeof CommandJson>;

/** Every `next` in a command's result, in MCP terms. */
export function withMcpNext(value: CommandJson): CommandJson {
  const out = { ...value };
  if (out.next) out.next = mcpNext(out.next);
  if (out.progress?.next) out.progress = { ...out.progress, next: mcpNext(out.progress.next) };
  return out;
}
