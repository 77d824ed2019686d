import { describe, expect, it } from 'vitest';
import { parseCodexLine } from '../../../src/agents/codex-events.js';

/** Lines in the shapes `codex exec --json` prints (codex-cli 0.169.0). */
const line = (o: unknown) => JSON.stringify(o);
const THREAD = '0199a213-81c0-7800-8aa1-bbab2a035a53';
const completed = (item: unknown) => line({ type: 'item.completed', item });

describe('parseCodexLine: thread and turn events', () => {
  it('starts the session on thread.started and returns the thread id', () => {
    expect(parseCodexLine(line({ type: 'thread.started', thread_id: THREAD }))).toEqual({
      events: [{ type: 'started', sessionId: THREAD }],
      threadId: THREAD,
    });
  });

  it('emits nothing for turn.started', () => {
    expect(parseCodexLine(line({ type: 'turn.started' }))).toEqual({ events: [] });
  });

  it('ends the turn ok on turn.completed and hands back the thread’s running usage totals', () => {
    const usage = { input_tokens: 24763, cached_input_tokens: 24448, output_tokens: 122, reasoning_output_tokens: 64 };
    expect(parseCodexLine(line({ type: 'turn.completed', usage }))).toEqual({
      events: [{ type: 'result', ok: true }],
      totals: usage,
      signal: { progress: true },
    });
  });

  it('reports turn.failed as a fatal error and says why it failed', () => {
    const msg =
      'stream disconnected before completion: error sending request for url (http://127.0.0.1:9/v1/responses)';
    expect(parseCodexLine(line({ type: 'turn.failed', error: { message: msg } }))).toEqual({
      events: [{ type: 'error', message: msg, fatal: true }],
      failed: msg,
    });
  });

  it('reports a top-level error (retry notice or fatal) as non-fatal, leaving the verdict to turn.failed', () => {
    const msg = 'Reconnecting... 1/5 (stream disconnected before completion)';
    expect(parseCodexLine(line({ type: 'error', message: msg }))).toEqual({
      events: [{ type: 'error', message: msg, fatal: false }],
      errorMessage: msg,
      signal: { trouble: msg, network: false },
    });
  });

  it('tells the stall watch a reconnect is network trouble (the model is not answering)', () => {
    const msg = 'Reconnecting... waiting for network (Connection failed: error sending request)';
    expect(parseCodexLine(line({ type: 'error', message: msg })).signal).toEqual({ trouble: msg, network: true });
  });
});

describe('parseCodexLine: items', () => {
  it('takes a completed agent_message as a message and as the final message so far', () => {
    const text = '{"verdict":"approve","summary":"ok","findings":[],"rechecks":[]}';
    expect(parseCodexLine(completed({ id: 'item_3', type: 'agent_message', text }))).toEqual({
      events: [{ type: 'message', text }],
      finalMessage: text,
      signal: { progress: true },
    });
  });

  it('keeps reasoning as unknown so it is logged but never taken for the answer', () => {
    const item = { id: 'item_0', type: 'reasoning', text: '**Planning the change**' };
    const out = parseCodexLine(completed(item));
    expect(out).toEqual({ events: [{ type: 'unknown', raw: item }], signal: { progress: true } });
    expect(out.finalMessage).toBeUndefined();
  });

  it('reports a command execution with its exit code, output and status', () => {
    const item = {
      id: 'item_1',
      type: 'command_execution',
      command: "bash -lc 'npm test'",
      aggregated_output: '# tests 1\n# pass 1\n',
      exit_code: 0,
      status: 'completed',
    };
    expect(parseCodexLine(completed(item)).events).toEqual([
      {
        type: 'command',
        command: "bash -lc 'npm test'",
        exitCode: 0,
        output: '# tests 1\n# pass 1\n',
        status: 'completed',
      },
    ]);
  });

  it('keeps only the last 4000 characters of a command’s output, and a null exit code when there is none', () => {
    const item = {
      id: 'item_1',
      type: 'command_execution',
      command: 'yes',
      aggregated_output: `${'a'.repeat(5000)}END`,
      exit_code: null,
      status: 'declined',
    };
    const [ev] = parseCodexLine(completed(item)).events;
    expect(ev?.type).toBe('command');
    if (ev?.type !== 'command') return;
    expect(ev.output).toHaveLength(4000);
    expect(ev.output?.endsWith('END')).toBe(true);
    expect(ev.exitCode).toBeNull();
    expect(ev.status).toBe('declined');
  });

  it('reports one file change per changed path', () => {
    const item = {
      id: 'item_2',
      type: 'file_change',
      changes: [
        { path: '/tmp/wt/src/x.js', kind: 'update' },
        { path: '/tmp/wt/test/x.test.js', kind: 'add' },
      ],
      status: 'completed',
    };
    expect(parseCodexLine(completed(item)).events).toEqual([
      { type: 'file_change', path: '/tmp/wt/src/x.js', kind: 'update' },
      { type: 'file_change', path: '/tmp/wt/test/x.test.js', kind: 'add' },
    ]);
    expect(parseCodexLine(completed({ id: 'item_2', type: 'file_change', status: 'failed' })).events).toEqual([]);
  });

  it('reports an error item (a warning) as non-fatal', () => {
    expect(parseCodexLine(completed({ id: 'item_4', type: 'error', message: 'model not in catalog' })).events).toEqual([
      { type: 'error', message: 'model not in catalog', fatal: false },
    ]);
  });

  it.each([
    { id: 'item_5', type: 'mcp_tool_call', server: 's', tool: 't', status: 'completed' },
    { id: 'item_6', type: 'web_search', query: 'zod 4 looseObject' },
    { id: 'item_7', type: 'todo_list', items: [{ text: 'write test', completed: false }] },
  ])('keeps a $type item as unknown', (item) => {
    expect(parseCodexLine(completed(item))).toEqual({
      events: [{ type: 'unknown', raw: item }],
      signal: { progress: true },
    });
  });

  it('shows a command as it starts (live activity); an update only counts as model progress', () => {
    const item = {
      id: 'item_1',
      type: 'command_execution',
      command: 'ls',
      aggregated_output: '',
      status: 'in_progress',
    };
    expect(parseCodexLine(line({ type: 'item.started', item }))).toEqual({
      events: [{ type: 'command', command: 'ls', exitCode: null, output: '', status: 'in_progress' }],
      signal: { progress: true },
    });
    expect(parseCodexLine(line({ type: 'item.updated', item }))).toEqual({ events: [], signal: { progress: true } });
    const message = { id: 'item_2', type: 'agent_message', text: 'partial' };
    expect(parseCodexLine(line({ type: 'item.started', item: message }))).toEqual({
      events: [],
      signal: { progress: true },
    });
  });
});

describe('parseCodexLine: anything else is kept, never a crash', () => {
  it('keeps a line that is not JSON as unknown with the raw text', () => {
    const warning = 'WARNING: Refusing to create helper binaries under temporary dir';
    expect(parseCodexLine(warning)).toEqual({ events: [{ type: 'unknown', raw: warning }] });
  });

  it.each([
    { type: 'session.configured', model: 'gpt-5.5' },
    { type: 'thread.started' },
    { type: 'turn.completed', usage: { input_tokens: 'many' } },
    { type: 'item.completed', item: { id: 'item_1' } },
  ])('keeps an unknown or malformed event as unknown: %j', (raw) => {
    expect(parseCodexLine(line(raw))).toEqual({ events: [{ type: 'unknown', raw }] });
  });
});
