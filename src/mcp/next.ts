/**
 * Next steps in MCP terms: the CLI words a next step for a person at a terminal (`duo resume <id>`); a chat client
 * has no shell, so the MCP server says it as the tool call that takes it (`resume` with {"runId": "<id>"}).
 */

// The CLI's way of saying a next step, and the MCP tool that does it.
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
 * Every `next` in a command's checked `--json` (its own, its progress's), in MCP terms; the rest as the command
 * wrote it.
 */
export function withMcpNext(value: Record<string, unknown>): Record<string, unknown> {
  const out = { ...value };
  if (typeof out.next === 'string') out.next = mcpNext(out.next);
  const progress = out.progress;
  if (progress && typeof progress === 'object' && 'next' in progress && typeof progress.next === 'string')
    out.progress = { ...progress, next: mcpNext(progress.next) };
  return out;
}
