import { describe, expect, it } from 'vitest';
import { parseClaudeLine, type ResultEvent, usageOf } from '../../../src/agents/claude-stream.js';

/** Lines in the shapes `claude -p --output-format stream-json --verbose` prints (Claude Code 2.1.330). */
const line = (o: unknown) => JSON.stringify(o);
const SESSION = '5f3c1f0e-8a7b-4c1d-9e2f-0a1b2c3d4e5f';

const INIT = {
  type: 'system',
  subtype: 'init',
  cwd: '/tmp/wt',
  session_id: SESSION,
  tools: ['Task', 'Bash', 'Glob', 'Grep', 'Read', 'Edit', 'Write', 'StructuredOutput'],
  mcp_servers: [],
  model: 'claude-sonnet-4-5',
  permissionMode: 'plan',
  slash_commands: [],
  apiKeySource: 'ANTHROPIC_API_KEY',
  output_style: 'default',
  uuid: 'u-1',
};

const assistant = (...content: unknown[]) =>
  line({
    type: 'assistant',
    message: {
      id: 'msg_01',
      type: 'message',
      role: 'assistant',
      model: 'claude-sonnet-4-5',
      content,
      stop_reason: null,
      usage: { input_tokens: 10, output_tokens: 5 },
    },
    parent_tool_use_id: null,
    session_id: SESSION,
    uuid: 'u-2',
  });
const toolUse = (name: string, input: unknown) => ({ type: 'tool_use', id: 'toolu_01', name, input });

const RESULT = {
  type: 'result',
  subtype: 'success',
  is_error: false,
  duration_ms: 2310,
  duration_api_ms: 2100,
  num_turns: 3,
  result: 'Done: x now returns 2.',
  session_id: SESSION,
  total_cost_usd: 0.0421,
  usage: { input_tokens: 120, cache_creation_input_tokens: 30, cache_read_input_tokens: 900, output_tokens: 64 },
  modelUsage: { 'claude-sonnet-4-5': { inputTokens: 150, outputTokens: 64, costUSD: 0.0421 } },
  permission_denials: [],
  uuid: 'u-9',
};

describe('parseClaudeLine: system init', () => {
  it('starts the session with its model and permission mode', () => {
    expect(parseClaudeLine(line(INIT))).toEqual({
      events: [{ type: 'started', sessionId: SESSION, model: 'claude-sonnet-4-5', detail: 'permission mode plan' }],
      sessionId: SESSION,
      model: 'claude-sonnet-4-5',
    });
  });

  it('leaves model and detail out when the line has neither', () => {
    const { model: _m, permissionMode: _p, ...bare } = INIT;
    expect(parseClaudeLine(line(bare)).events).toEqual([{ type: 'started', sessionId: SESSION }]);
  });

  it('reports a permission_denied notice as a non-fatal error', () => {
    const denied = { type: 'system', subtype: 'permission_denied', tool_name: 'Write' };
    expect(parseClaudeLine(line(denied)).events).toEqual([
      { type: 'error', message: 'Write was denied', fatal: false },
    ]);
    expect(parseClaudeLine(line({ ...denied, message: 'Write is not allowed in plan mode' })).events).toEqual([
      { type: 'error', message: 'Write is not allowed in plan mode', fatal: false },
    ]);
  });
});

describe('parseClaudeLine: assistant messages', () => {
  it('turns each content block into one event, in order', () => {
    const out = parseClaudeLine(
      assistant(
        { type: 'text', text: 'Reading the file first.' },
        toolUse('Write', { file_path: '/tmp/wt/src/x.js', content: 'x' }),
        toolUse('Edit', { file_path: '/tmp/wt/src/y.js', old_string: 'a', new_string: 'b' }),
        toolUse('MultiEdit', { file_path: '/tmp/wt/src/z.js', edits: [] }),
        toolUse('Bash', { command: 'npm test', description: 'run tests' }),
      ),
    );
    expect(out.events).toEqual([
      { type: 'message', text: 'Reading the file first.' },
      { type: 'file_change', path: '/tmp/wt/src/x.js', kind: 'write' },
      { type: 'file_change', path: '/tmp/wt/src/y.js', kind: 'edit' },
      { type: 'file_change', path: '/tmp/wt/src/z.js', kind: 'edit' },
      { type: 'command', command: 'npm test' },
    ]);
    expect(out.sessionId).toBeUndefined();
    expect(out.result).toBeUndefined();
  });

  it('takes a StructuredOutput call as the final message, its input as JSON text', () => {
    const answer = { verdict: 'approve', summary: 'ok', findings: [], rechecks: [] };
    expect(parseClaudeLine(assistant(toolUse('StructuredOutput', answer))).events).toEqual([
      { type: 'message', text: JSON.stringify(answer), final: true },
    ]);
  });

  it('shows any other tool as a command with its input, cut to 200 characters', () => {
    const [ev] = parseClaudeLine(assistant(toolUse('Read', { file_path: 'a'.repeat(500) }))).events;
    expect(ev?.type).toBe('command');
    const command = ev?.type === 'command' ? ev.command : '';
    expect(command.startsWith('Read {"file_path":"aaa')).toBe(true);
    expect(command).toHaveLength('Read '.length + 200);
  });

  it('does not take a Write without a file_path for a file change', () => {
    expect(parseClaudeLine(assistant(toolUse('Write', { content: 'x' }))).events).toEqual([
      { type: 'command', command: 'Write {"content":"x"}' },
    ]);
  });

  it('keeps a block of an unknown type as unknown', () => {
    const thinking = { type: 'thinking', thinking: 'hmm', signature: 'sig' };
    expect(parseClaudeLine(assistant(thinking)).events).toEqual([{ type: 'unknown', raw: thinking }]);
  });
});

describe('parseClaudeLine: user (tool results)', () => {
  const user = (content: unknown) =>
    line({ type: 'user', message: { role: 'user', content }, session_id: SESSION, parent_tool_use_id: null });

  it('reports a failed tool result as a non-fatal error, whatever form its content takes', () => {
    expect(
      parseClaudeLine(
        user([{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'File has not been read yet' }]),
      ).events,
    ).toEqual([{ type: 'error', message: 'File has not been read yet', fatal: false }]);
    expect(
      parseClaudeLine(
        user([
          {
            type: 'tool_result',
            tool_use_id: 't2',
            is_error: true,
            content: [
              { type: 'text', text: 'Exit code 1' },
              { type: 'text', text: 'npm ERR! missing script' },
            ],
          },
        ]),
      ).events,
    ).toEqual([{ type: 'error', message: 'Exit code 1\nnpm ERR! missing script', fatal: false }]);
  });

  it('cuts a long tool error to 2000 characters', () => {
    const [ev] = parseClaudeLine(
      user([{ type: 'tool_result', tool_use_id: 't1', is_error: true, content: 'e'.repeat(5000) }]),
    ).events;
    expect(ev?.type === 'error' && ev.message.length).toBe(2000);
  });

  it('emits nothing for successful tool results or plain user text', () => {
    expect(
      parseClaudeLine(user([{ type: 'tool_result', tool_use_id: 't1', is_error: false, content: 'ok' }])).events,
    ).toEqual([]);
    expect(parseClaudeLine(user([{ type: 'tool_result', tool_use_id: 't1', content: 'ok' }])).events).toEqual([]);
    expect(parseClaudeLine(user('the prompt')).events).toEqual([]);
  });
});

describe('parseClaudeLine: result', () => {
  it('gives the usage, then the result, and keeps the whole result object', () => {
    const out = parseClaudeLine(line(RESULT));
    expect(out.events).toEqual([
      { type: 'usage', usage: { inputTokens: 150, outputTokens: 64, cachedInputTokens: 900, costUsd: 0.0421 } },
      { type: 'result', ok: true, text: 'Done: x now returns 2.', detail: 'success' },
    ]);
    expect(out.sessionId).toBe(SESSION);
    expect(out.result?.num_turns).toBe(3);
    expect(out.result?.permission_denials).toEqual([]);
  });

  it('is not ok when is_error is set, even with subtype success (an API error)', () => {
    const apiError = {
      ...RESULT,
      is_error: true,
      result: 'API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}',
      api_error_status: 500,
      terminal_reason: 'api_error',
    };
    const out = parseClaudeLine(line(apiError));
    expect(out.events[1]).toEqual({ type: 'result', ok: false, text: apiError.result, detail: 'success' });
    expect(out.result?.api_error_status).toBe(500);
    expect(out.result?.terminal_reason).toBe('api_error');
  });

  it('carries the failure subtype and has no text when the CLI gave none', () => {
    const { result: _r, ...rest } = RESULT;
    const out = parseClaudeLine(line({ ...rest, subtype: 'error_max_turns', is_error: true }));
    expect(out.events[1]).toEqual({ type: 'result', ok: false, detail: 'error_max_turns' });
  });

  it('keeps the structured output and the permission denials for the adapter', () => {
    const structured = { summary: 'done', filesChanged: ['src/x.js'], claims: [], contradiction: null };
    const denials = [{ tool_name: 'Write', tool_use_id: 'toolu_9', tool_input: { file_path: '/etc/hosts' } }];
    const out = parseClaudeLine(
      line({
        ...RESULT,
        structured_output: structured,
        result: JSON.stringify(structured),
        permission_denials: denials,
      }),
    );
    expect(out.result?.structured_output).toEqual(structured);
    expect(out.result?.permission_denials).toEqual(denials);
  });

  it('takes a line missing is_error for unknown, not for a result', () => {
    const { is_error: _e, ...rest } = RESULT;
    const raw = { ...rest };
    expect(parseClaudeLine(line(raw))).toEqual({ events: [{ type: 'unknown', raw }] });
  });
});

describe('parseClaudeLine: anything else is kept, never a crash', () => {
  it("reads the plan's limits from a rate_limit_event (subscription logins): both windows, and a refusal", () => {
    const at = 1795601228;
    const allowed = {
      type: 'rate_limit_event',
      rate_limit_info: {
        status: 'allowed',
        resetsAt: at,
        rateLimitType: 'five_hour',
        isUsingOverage: false,
        unifiedWindows: {
          five_hour: { utilization: 0.83, resetsAt: at, status: 'allowed_warning' },
          seven_day: { utilization: 0.41, resetsAt: at + 86400, status: 'allowed' },
        },
      },
      session_id: SESSION,
    };
    const parsed = parseClaudeLine(line(allowed));
    expect(parsed.limits).toMatchObject({
      source: 'claude',
      fiveHour: { utilization: 0.83, resetsAt: new Date(at * 1000).toISOString(), status: 'allowed_warning' },
      weekly: { utilization: 0.41, resetsAt: new Date((at + 86400) * 1000).toISOString(), status: 'allowed' },
      rejected: null,
    });
    expect(parsed.events).toEqual([{ type: 'limits', limits: parsed.limits }]);
    const refused = {
      ...allowed,
      rate_limit_info: {
        ...allowed.rate_limit_info,
        status: 'rejected',
        unifiedWindows: { five_hour: { utilization: 1, resetsAt: at, status: 'rejected' } },
      },
    };
    expect(parseClaudeLine(line(refused)).limits?.rejected).toEqual({
      window: 'five_hour',
      resetsAt: new Date(at * 1000).toISOString(),
    });
  });

  it('keeps a line of an unknown type as unknown with the parsed object', () => {
    const compact = { type: 'system', subtype: 'compact_boundary' };
    expect(parseClaudeLine(line(compact))).toEqual({ events: [{ type: 'unknown', raw: compact }] });
  });

  it('keeps a line that is not JSON as unknown with the raw text', () => {
    expect(parseClaudeLine('Warning: no stdin data received in 3s')).toEqual({
      events: [{ type: 'unknown', raw: 'Warning: no stdin data received in 3s' }],
    });
  });
});

describe('usageOf', () => {
  const base = RESULT as ResultEvent;

  it('counts cache writes as input and cache reads as cached input', () => {
    expect(usageOf({ ...base, total_cost_usd: undefined })).toEqual({
      inputTokens: 150,
      outputTokens: 64,
      cachedInputTokens: 900,
    });
  });

  it('prices the call from this invocation’s model usage, not the session’s running total', () => {
    const u = usageOf({
      ...base,
      total_cost_usd: 1.5,
      model_usage_since_last_result: { 'claude-sonnet-4-5': { costUSD: 0.02 }, 'claude-haiku-4-5': { costUSD: 0.005 } },
    });
    expect(u.costUsd).toBeCloseTo(0.025, 10);
  });

  it('falls back to total_cost_usd when there is no per-invocation usage, but not for an error result', () => {
    expect(usageOf({ ...base, model_usage_since_last_result: {} }).costUsd).toBe(0.0421);
    expect(usageOf({ ...base, is_error: true }).costUsd).toBeUndefined();
  });

  it('is all zeros without a usage block', () => {
    expect(usageOf({ type: 'result', subtype: 'success', is_error: true })).toEqual({
      inputTokens: 0,
      outputTokens: 0,
      cachedInputTokens: 0,
    });
  });
});

describe('parseClaudeLine: the CLI retrying the API by itself', () => {
  const retry = (o: Record<string, unknown>) =>
    line({ type: 'system', subtype: 'api_retry', attempt: 3, max_retries: 10, retry_delay_ms: 2145, ...o });

  it('a retry with no status is a request that got no response: network trouble for the stall watch', () => {
    expect(parseClaudeLine(retry({ error_status: null, error: 'unknown' }))).toEqual({
      events: [{ type: 'error', message: 'the API request got no response; retry 3 of 10 in 2.1 s', fatal: false }],
      signal: { trouble: 'the API request got no response; retry 3 of 10 in 2.1 s', network: true },
    });
  });

  it('a retry after a status is API trouble, not network trouble', () => {
    const p = parseClaudeLine(retry({ error_status: 529, error: 'overloaded_error' }));
    expect(p.signal).toEqual({
      trouble: 'the API request failed with status 529 (overloaded_error); retry 3 of 10 in 2.1 s',
      network: false,
    });
  });

  it('what the model says or does is progress', () => {
    const assistant = line({ type: 'assistant', message: { content: [{ type: 'text', text: 'hi' }] } });
    expect(parseClaudeLine(assistant).signal).toEqual({ progress: true });
    expect(parseClaudeLine(line(INIT)).signal).toBeUndefined();
  });
});
