import type { ServerResponse } from 'node:http';
import type { SimTurn } from './script.js';
import { sse } from './server.js';

/**
 * The Anthropic Messages streaming protocol, as much as Claude Code needs: a message_start, one content block per
 * text or tool_use (tool input streamed as input_json_delta), message_delta with the stop reason, message_stop.
 * A `structured` turn is a call of the StructuredOutput tool Claude Code adds for `--json-schema`.
 * Tool inputs may say `{cwd}` for the working directory the CLI reports.
 */
let counter = 0;

export function anthropicWriter(turn: SimTurn, request: unknown, res: ServerResponse): void {
  const model = (request as { model?: string } | undefined)?.model ?? 'claude-sim';
  const blocks: ({ type: 'text'; text: string } | { type: 'tool_use'; name: string; input: unknown })[] = [];
  if (turn.kind === 'text') blocks.push({ type: 'text', text: turn.text });
  else if (turn.kind === 'tools') {
    if (turn.text) blocks.push({ type: 'text', text: turn.text });
    for (const c of turn.calls) blocks.push({ type: 'tool_use', name: c.name, input: c.input ?? {} });
  } else if (turn.kind === 'structured') blocks.push({ type: 'tool_use', name: 'StructuredOutput', input: turn.value });
  const id = `msg_sim_${++counter}`;
  const inputTokens = Math.ceil(JSON.stringify(request ?? '').length / 4);
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  sse(res, 'message_start', {
    type: 'message_start',
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      usage: {
        input_tokens: inputTokens,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    },
  });
  let outputTokens = 0;
  blocks.forEach((b, index) => {
    if (b.type === 'text') {
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'text', text: '' },
      });
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'text_delta', text: b.text },
      });
      outputTokens += Math.ceil(b.text.length / 4);
    } else {
      // `{cwd}` in a scripted tool input stands for the CLI's working directory (Claude's file tools want
      // absolute paths, and a run's worktree path is only known once the run has made it).
      const json = JSON.stringify(b.input).replaceAll('{cwd}', jsonEscape(cwdOf(request)));
      sse(res, 'content_block_start', {
        type: 'content_block_start',
        index,
        content_block: { type: 'tool_use', id: `toolu_sim_${counter}_${index}`, name: b.name, input: {} },
      });
      sse(res, 'content_block_delta', {
        type: 'content_block_delta',
        index,
        delta: { type: 'input_json_delta', partial_json: json },
      });
      outputTokens += Math.ceil(json.length / 4);
    }
    sse(res, 'content_block_stop', { type: 'content_block_stop', index });
  });
  const stop = blocks.some((b) => b.type === 'tool_use') ? 'tool_use' : 'end_turn';
  sse(res, 'message_delta', {
    type: 'message_delta',
    delta: { stop_reason: stop, stop_sequence: null },
    usage: { output_tokens: Math.max(1, outputTokens) },
  });
  sse(res, 'message_stop', { type: 'message_stop' });
  res.end();
}

/** The working directory Claude Code states in its system prompt ("Primary working directory: /path"). */
function cwdOf(request: unknown): string {
  return /Primary working directory: ([^\n"\\]+)/.exec(JSON.stringify(request ?? ''))?.[1]?.trim() ?? '.';
}

function jsonEscape(s: string): string {
  return JSON.stringify(s).slice(1, -1);
}
