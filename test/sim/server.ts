import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Protocol, SimRequest, SimTurn } from './script.js';

/**
 * A model simulator on 127.0.0.1 that speaks just enough of the Anthropic Messages and OpenAI Responses
 * streaming protocols for the real `claude` and `codex` CLIs to run against it. It answers from per-protocol
 * queues of turns and records every request, so tests can assert on what duo (through the CLIs) sent.
 */
export type FrameWriter = (turn: SimTurn, request: unknown, res: ServerResponse) => void;

export interface Simulator {
  url: string;
  port: number;
  requests: SimRequest[];
  push(protocol: Protocol, ...turns: SimTurn[]): void;
  /**
   * Response headers sent with every model response of a protocol from now on, as the real APIs send their plan's
   * rate-limit figures (Anthropic's `anthropic-ratelimit-unified-*`, Codex's `x-codex-primary-*`/`secondary-*`).
   */
  setHeaders(protocol: Protocol, headers: Record<string, string>): void;
  /** Turns not yet served, per protocol. */
  pending(protocol: Protocol): number;
  close(): Promise<void>;
}

export interface SimulatorHandlers {
  anthropic?: FrameWriter;
  openai?: FrameWriter;
}

export async function startSimulator(handlers: SimulatorHandlers): Promise<Simulator> {
  const queues: Record<Protocol, SimTurn[]> = { anthropic: [], openai: [] };
  const headers: Record<Protocol, Record<string, string>> = { anthropic: {}, openai: {} };
  const requests: SimRequest[] = [];
  const server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const raw = await readBody(req);
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const protocol: Protocol | undefined = path.endsWith('/messages')
      ? 'anthropic'
      : path.endsWith('/responses')
        ? 'openai'
        : undefined;
    let body: unknown;
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      body = raw.toString('utf8');
    }
    if (req.method !== 'POST' || !protocol) {
      // Claude Code's HEAD /api/hello and any other probe: answer OK with nothing.
      requests.push({
        protocol: protocol ?? 'anthropic',
        method: req.method ?? '',
        path,
        body,
        bytes: raw.length,
        at: Date.now(),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      return;
    }
    const turn = queues[protocol].shift();
    requests.push({
      protocol,
      method: req.method,
      path,
      body,
      bytes: raw.length,
      at: Date.now(),
      ...(turn ? { turn } : {}),
    });
    if (!turn) {
      sendError(res, 500, `model simulator: no scripted ${protocol} turn left for request #${requests.length}`);
      return;
    }
    for (const [k, v] of Object.entries(headers[protocol])) res.setHeader(k, v);
    await serve(turn, body, res, protocol);
  }

  async function serve(turn: SimTurn, body: unknown, res: ServerResponse, protocol: Protocol): Promise<void> {
    if (turn.kind === 'delay') {
      await new Promise((r) => setTimeout(r, turn.ms));
      if (res.destroyed) return;
      return serve(turn.answer, body, res, protocol);
    }
    if (turn.kind === 'dynamic') return serve(turn.build(body), body, res, protocol);
    if (turn.kind === 'http-error') {
      for (const [k, v] of Object.entries(turn.headers ?? {})) res.setHeader(k, v);
      sendError(res, turn.status, turn.message ?? `simulated ${turn.status}`, protocol, turn.errorType);
      return;
    }
    if (turn.kind === 'stream-failure') {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': simulated stream failure\n\n');
      setTimeout(() => res.destroy(), 20);
      return;
    }
    const writer = handlers[protocol];
    if (!writer) {
      sendError(res, 500, `model simulator: no ${protocol} protocol handler installed`);
      return;
    }
    writer(turn, body, res);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    requests,
    push: (protocol, ...turns) => {
      queues[protocol].push(...turns);
    },
    setHeaders: (protocol, h) => {
      headers[protocol] = { ...h };
    },
    pending: (protocol) => queues[protocol].length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sendError(res: ServerResponse, status: number, message: string, protocol?: Protocol, type?: string): void {
  const body =
    protocol === 'openai'
      ? { error: { message, type: type ?? (status === 429 ? 'rate_limit_exceeded' : 'server_error'), code: null } }
      : { type: 'error', error: { type: type ?? (status === 429 ? 'rate_limit_error' : 'api_error'), message } };
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** SSE frame helper shared by both protocol writers. */
export function sse(res: ServerResponse, event: string, data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}
