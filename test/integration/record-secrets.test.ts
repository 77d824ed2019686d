import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Config } from '../../src/config/schema.js';
import { createRunState } from '../../src/protocol/engine.js';
import type { EnginePorts } from '../../src/protocol/ports.js';
import type { RunState } from '../../src/protocol/types.js';
import { RunStore } from '../../src/record/store.js';
import { tempDir } from '../support/harness.js';
import { rng } from '../support/rng.js';

/**
 * Property: whatever JSON a run record holds — strings full of quotes, backslashes, control characters and
 * key-shaped text, secrets even in object keys — every record duo writes parses, loads with the full schema,
 * round-trips (modulo the masks), and carries no secret. Same for every events.jsonl line.
 * A small seeded generator instead of a dependency; the seed is in the failure message.
 */
const ENV_SECRET_NAME = 'MY_SERVICE_TOKEN';

class Gen {
  readonly secrets: string[] = [];
  constructor(
    readonly r: () => number,
    readonly envSecret: string,
  ) {}
  int(n: number): number {
    return Math.floor(this.r() * n);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)]!;
  }
  alnum(n: number): string {
    const cs = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    return Array.from({ length: n }, () => this.pick([...cs])).join('');
  }
  /** Characters that break naive text passes over JSON: quotes, backslashes, braces, controls, non-ASCII. */
  filler(): string {
    const cs = [
      '"',
      '\\',
      '\\"',
      '\n',
      '\t',
      '\r',
      '{',
      '}',
      '[',
      ']',
      ',',
      ':',
      '=',
      "'",
      ' ',
      'é',
      '💥',
      '\u0000',
      '\u001b[31m',
      'a',
      'Z',
      '9',
      '/',
      '?',
      '&',
    ];
    return Array.from({ length: this.int(6) }, () => this.pick(cs)).join('');
  }
  /** A key-shaped piece; its secret part is remembered so the test can look for it afterwards. */
  secretPiece(): string {
    const s12 = this.alnum(12 + this.int(8));
    const kinds: (() => [string, string])[] = [
      () => {
        const k = `sk-ant-api03-${this.alnum(24)}`;
        return [k, k];
      },
      () => {
        const k = `sk-proj-${this.alnum(28)}`;
        return [k, k];
      },
      () => {
        const k = `ghp_${this.alnum(36)}`;
        return [k, k];
      },
      () => [`Authorization: Bearer ${s12}`, s12],
      () => [`GET /v1/items?api_key=${s12}`, s12],
      () => [`"openai_api_key": "${s12}"`, s12],
      () => [`PASSWORD=${s12}`, s12],
      () => [`SOME_TOKEN: ${s12}`, s12],
      () => [this.envSecret, this.envSecret],
    ];
    const [text, secret] = this.pick(kinds)();
    this.secrets.push(secret);
    return ` ${text}`;
  }
  string(): string {
    let s = '';
    for (let i = this.int(5); i >= 0; i--) s += this.r() < 0.4 ? this.secretPiece() : this.filler();
    return s + this.filler();
  }
  json(depth = 0): unknown {
    const roll = this.int(depth > 3 ? 4 : 7);
    switch (roll) {
      case 0:
        return this.string();
      case 1:
        return this.r() < 0.5 ? this.int(1e6) - 5e5 : this.r() * 100;
      case 2:
        return this.r() < 0.5;
      case 3:
        return null;
      case 4:
      case 5: {
        const o: Record<string, unknown> = {};
        for (let i = this.int(5); i > 0; i--) o[this.r() < 0.3 ? this.string() : this.alnum(4)] = this.json(depth + 1);
        return o;
      }
      default:
        return Array.from({ length: this.int(5) }, () => this.json(depth + 1));
    }
  }
}

function strings(v: unknown, out: string[] = []): string[] {
  if (typeof v === 'string') out.push(v);
  else if (Array.isArray(v)) for (const x of v) strings(x, out);
  else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) {
      out.push(k);
      strings(x, out);
    }
  return out;
}

const MASK = '[REDACTED]';

/** `stored` is `original` with some non-empty stretches replaced by the mask, and nothing else changed. */
function maskedFrom(original: string, stored: string): boolean {
  const parts = stored.split(MASK).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('[\\s\\S]+?')}$`).test(original);
}

/** Same shape, same numbers/booleans/nulls, every string (keys too) the original modulo masks. */
function roundTrips(original: unknown, stored: unknown, path = '$'): string | null {
  if (typeof original === 'string')
    return typeof stored === 'string' && maskedFrom(original, stored) ? null : `${path}: ${JSON.stringify(stored)}`;
  if (Array.isArray(original)) {
    if (!Array.isArray(stored) || stored.length !== original.length) return `${path}: array changed`;
    for (const [i, x] of original.entries()) {
      const bad = roundTrips(x, stored[i], `${path}[${i}]`);
      if (bad) return bad;
    }
    return null;
  }
  if (original && typeof original === 'object') {
    if (!stored || typeof stored !== 'object') return `${path}: object changed`;
    const a = Object.entries(original).filter(([, x]) => x !== undefined);
    const b = Object.entries(stored);
    if (a.length !== b.length) return `${path}: keys changed`;
    for (const [i, [k, x]] of a.entries()) {
      const [k2, y] = b[i]!;
      if (!maskedFrom(k, k2)) return `${path}: key ${JSON.stringify(k2)}`;
      const bad = roundTrips(x, y, `${path}.${k2}`);
      if (bad) return bad;
    }
    return null;
  }
  return Object.is(original, stored) ? null : `${path}: ${String(stored)}`;
}

function baseState(repo: string): RunState {
  const ports = { config: Config.parse({}), store: new RunStore(repo) } as unknown as EnginePorts;
  return createRunState(
    ports,
    { task: 'x', mode: 'pair', options: { verify: [], includeUncommitted: false, apply: false } },
    repo,
  );
}

describe('the run record with secrets in any JSON (property, seeded)', () => {
  it('a verify command with a key in a query string is masked and the record still loads (issue 9.1)', () => {
    const repo = tempDir('duo-prop-');
    const store = new RunStore(repo);
    const state = baseState(repo);
    state.options.verify = ['echo "GET /v1/items?api_key=abcd1234"'];
    store.save(state);
    const loaded = store.load(state.runId);
    expect(loaded.options.verify).toEqual(['echo "GET /v1/items?api_key=[REDACTED]"']);
  });

  it('every state.json and events.jsonl line duo writes parses, loads, round-trips modulo masks, and leaks nothing', () => {
    const repo = tempDir('duo-prop-');
    const store = new RunStore(repo);
    const runs = 300;
    for (let seed = 1; seed <= runs; seed++) {
      const r = rng(seed);
      const envSecret = `s3cr"et\\${new Gen(r, '').alnum(10)}`;
      const g = new Gen(r, envSecret);
      const env = { [ENV_SECRET_NAME]: envSecret };
      const saved = { ...process.env };
      Object.assign(process.env, env);
      try {
        const state = baseState(repo);
        state.runId = `prop-${seed}`;
        state.task = g.string();
        state.notes = [g.string(), g.string()];
        state.options.verify = [`echo "${g.string()}"`];
        state.steps = { [`step/${g.alnum(3)}`]: { at: state.createdAt, durationMs: 1, result: g.json() } };
        state.error = { message: g.string(), hint: null };
        store.save(state);
        store.appendEvent(state.runId, {
          type: 'agent-error',
          step: g.string(),
          agent: 'claude',
          event: { type: 'command', command: g.string(), output: g.string() },
        });

        const dir = store.dir(state.runId);
        const text = readFileSync(join(dir, 'state.json'), 'utf8');
        const why = `seed ${seed}`;
        let raw: unknown;
        expect(() => {
          raw = JSON.parse(text);
        }, why).not.toThrow();
        const loaded = store.load(state.runId);
        // Round trip: what is on disk is the state with stretches masked, nothing else changed.
        expect(roundTrips(JSON.parse(JSON.stringify(state)), raw), why).toBeNull();
        expect(roundTrips(JSON.parse(JSON.stringify(state.steps)), loaded.steps), why).toBeNull();
        expect(roundTrips(state.task, loaded.task), why).toBeNull();
        for (const line of readFileSync(join(dir, 'events.jsonl'), 'utf8').trim().split('\n')) {
          expect(() => JSON.parse(line), `${why}: ${line}`).not.toThrow();
          for (const s of g.secrets)
            expect(line.includes(s) || strings(JSON.parse(line)).some((x) => x.includes(s)), why).toBe(false);
        }
        for (const s of g.secrets) {
          expect(text.includes(s), `${why}: ${s} in state.json`).toBe(false);
          expect(
            strings(raw).some((x) => x.includes(s)),
            `${why}: ${s} in a value`,
          ).toBe(false);
        }
        if (g.secrets.length) expect(text, why).toContain(MASK);
      } finally {
        for (const k of Object.keys(env)) delete process.env[k];
        Object.assign(process.env, saved);
      }
    }
  });
});
