import type { ServerResponse } from 'node:http';
import type { SimTurn } from './script.js';
import { sse } from './server.js';

/**
 * The OpenAI Responses streaming protocol, as much as Codex needs: response.created / in_progress, one output
 * item per message or tool call (function calls stream their arguments, custom tools like apply_patch their
 * freeform input), then response.completed with usage. A `structured` turn is a message whose text is the JSON
 * (Codex asks for it with text.format json_schema).
 */
let counter = 0;

type Item =
  | { type: 'message'; text: string }
  | { type: 'function_call'; name: string; args: string; namespace?: string }
  | { type: 'custom_tool_call'; name: string; input: string };

export function openaiWriter(turn: SimTurn, request: unknown, res: ServerResponse): void {
  const model = (request as { model?: string } | undefined)?.model ?? 'gpt-sim';
  const items: Item[] = [];
  if (turn.kind === 'text') items.push({ type: 'message', text: turn.text });
  else if (turn.kind === 'structured') items.push({ type: 'message', text: JSON.stringify(turn.value) });
  else if (turn.kind === 'tools') {
    if (turn.text) items.push({ type: 'message', text: turn.text });
    for (const c of turn.calls) {
      if (c.freeform !== undefined) items.push({ type: 'custom_tool_call', name: c.name, input: c.freeform });
      else
        items.push({
          type: 'function_call',
          name: c.name,
          args: JSON.stringify(c.input ?? {}),
          ...(c.namespace ? { namespace: c.namespace } : {}),
        });
    }
  }
  const id = `resp_sim_${++counter}`;
  let seq = 0;
  const send = (type: string, data: Record<string, unknown>) =>
    sse(res, type, { type, sequence_number: seq++, ...data });
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  const base = { id, object: 'response', created_at: Math.floor(Date.now() / 1000), model, output: [] as unknown[] };
  send('response.created', { response: { ...base, status: 'in_progress' } });
  send('response.in_progress', { response: { ...base, status: 'in_progress' } });
  const output: unknown[] = [];
  items.forEach((item, output_index) => {
    const item_id = `item_${counter}_${output_index}`;
    if (item.type === 'message') {
      const done = {
        id: item_id,
        type: 'message',
        role: 'assistant',
        status: 'completed',
        content: [{ type: 'output_text', text: item.text, annotations: [] }],
      };
      send('response.output_item.added', { output_index, item: { ...done, status: 'in_progress', content: [] } });
      send('response.content_part.added', {
        item_id,
        output_index,
        content_index: 0,
        part: { type: 'output_text', text: '', annotations: [] },
      });
      send('response.output_text.delta', { item_id, output_index, content_index: 0, delta: item.text });
      send('response.output_text.done', { item_id, output_index, content_index: 0, text: item.text });
      send('response.content_part.done', {
        item_id,
        output_index,
        content_index: 0,
        part: { type: 'output_text', text: item.text, annotations: [] },
      });
      send('response.output_item.done', { output_index, item: done });
      output.push(done);
    } else if (item.type === 'function_call') {
      const call_id = `call_${counter}_${output_index}`;
      const done = {
        id: item_id,
        type: 'function_call',
        status: 'completed',
        call_id,
        name: item.name,
        ...(item.namespace ? { namespace: item.namespace } : {}),
        arguments: item.args,
      };
      send('response.output_item.added', { output_index, item: { ...done, status: 'in_progress', arguments: '' } });
      send('response.function_call_arguments.delta', { item_id, output_index, delta: item.args });
      send('response.function_call_arguments.done', { item_id, output_index, arguments: item.args });
      send('response.output_item.done', { output_index, item: done });
      output.push(done);
    } else {
      const call_id = `call_${counter}_${output_index}`;
      const done = {
        id: item_id,
        type: 'custom_tool_call',
        status: 'completed',
        call_id,
        name: item.name,
        input: item.input,
      };
      send('response.output_item.added', { output_index, item: { ...done, status: 'in_progress', input: '' } });
      send('response.custom_tool_call_input.delta', { item_id, output_index, delta: item.input });
      send('response.custom_tool_call_input.done', { item_id, output_index, input: item.input });
      send('response.output_item.done', { output_index, item: done });
      output.push(done);
    }
  });
  const input_tokens = Math.ceil(JSON.stringify(request ?? '').length / 4);
  const output_tokens = Math.max(1, Math.ceil(JSON.stringify(output).length / 4));
  send('response.completed', {
    response: {
      ...base,
      status: 'completed',
      output,
      usage: {
        input_tokens,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens,
        output_tokens_details: { reasoning_tokens: 0 },
        total_tokens: input_tokens + output_tokens,
      },
    },
  });
  res.end();
}
