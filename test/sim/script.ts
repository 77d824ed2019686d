/**
 * What the model simulator answers, one turn per model request, in order, per protocol.
 * Both CLIs run their own tool loop: a turn that calls a tool is followed by the CLI's next request
 * (carrying the tool result), which takes the next turn from the queue.
 */
export type SimTurn =
  /** A plain assistant message. */
  | { kind: 'text'; text: string }
  /** Tool calls: Claude Code's Write/Edit/Bash/...; Codex's exec_command (function) or apply_patch (custom). */
  | { kind: 'tools'; calls: SimToolCall[]; text?: string }
  /** A structured answer: Claude's StructuredOutput tool call; Codex's json_schema message text. */
  | { kind: 'structured'; value: unknown }
  /**
   * An HTTP error status with an error body (429, 500, 401...). `errorType` replaces the body's error type (e.g.
   * Codex's `usage_limit_reached`); `headers` are sent with it (e.g. the rate-limit headers of a reached limit).
   */
  | { kind: 'http-error'; status: number; message?: string; errorType?: string; headers?: Record<string, string> }
  /** The stream starts, then breaks off (connection destroyed mid-stream). */
  | { kind: 'stream-failure' }
  /** Hold the response open this long, then give `answer`. */
  | { kind: 'delay'; ms: number; answer: SimTurn }
  /**
   * A turn built from the request it answers, like a model reading its context: e.g. the run id a tool printed
   * earlier in the conversation. `build` gets the whole request body as sent.
   */
  | { kind: 'dynamic'; build: (request: unknown) => SimTurn };

export interface SimToolCall {
  name: string;
  /** Function-style input (Claude tools, Codex exec_command). */
  input?: Record<string, unknown>;
  /** Freeform input (Codex's custom apply_patch tool). */
  freeform?: string;
  /** Codex: the tool's namespace (an MCP server's tools are `mcp__<server>`, called by their bare name). */
  namespace?: string;
}

export type Protocol = 'anthropic' | 'openai';

export interface SimRequest {
  protocol: Protocol;
  method: string;
  path: string;
  /** Parsed JSON body (undefined for bodiless requests). */
  body: unknown;
  bytes: number;
  at: number;
  /** The turn that answered it, or undefined when the queue was empty (answered 500 with a clear message). */
  turn?: SimTurn;
}
