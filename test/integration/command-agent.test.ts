import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CommandAgent } from '../../src/agents/command.js';
import { AgentError } from '../../src/agents/failure.js';
import { AgentConfig } from '../../src/config/schema.js';

/**
 * The command adapter drives an arbitrary CLI. Here that CLI is a small Node script that behaves like one:
 * it records its argv, stdin, cwd and environment, then prints what the test told it to print.
 */
function fakeCli(behaviour: string): { bin: string; seen: string } {
  const dir = mkdtempSync(join(tmpdir(), 'duo-cmd-'));
  const seen = join(dir, 'seen.jsonl');
  const bin = join(dir, 'fake-agent');
  writeFileSync(
    bin,
    `#!/usr/bin/env node
const fs = require('node:fs');
let input = '';
try { input = fs.readFileSync(0, 'utf8'); } catch {}
const n = fs.existsSync(${JSON.stringify(seen)}) ? fs.readFileSync(${JSON.stringify(seen)}, 'utf8').split('\\n').filter(Boolean).length : 0;
fs.appendFileSync(${JSON.stringify(seen)}, JSON.stringify({ argv: process.argv.slice(2), input, cwd: process.cwd(), env: process.env }) + '\\n');
${behaviour}
`,
  );
  chmodSync(bin, 0o755);
  return { bin, seen };
}

const calls = (seen: string) =>
  readFileSync(seen, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { argv: string[]; input: string; cwd: string; env: Record<string, string> });

function agent(cfg: Record<string, unknown>, env: Record<string, string> = {}) {
  const parsed = AgentConfig.parse({ kind: 'command', ...cfg });
  if (parsed.kind !== 'command') throw new Error('unreachable');
  return new CommandAgent('other', parsed, { env });
}

const Verdict = z.object({ verdict: z.enum(['ok', 'no']), note: z.string().optional() });

describe('command agent (any CLI from the config)', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'duo-cmd-cwd-'));
  /** A read-only critique call whose answer must match Verdict. */
  const critique = () => ({
    purpose: 'critique' as const,
    prompt: 'p',
    cwd,
    access: 'read-only' as const,
    schema: Verdict,
  });

  it('sends the prompt on stdin by default and returns the text it printed', async () => {
    const { bin, seen } = fakeCli(`process.stdout.write('answer to: ' + input.trim());`);
    const res = await agent({ argv: [bin, '--quiet'] }).run({
      purpose: 'answer',
      prompt: 'why?',
      cwd,
      access: 'read-only',
    });
    expect(res.answer).toBe('answer to: why?');
    const [c] = calls(seen);
    expect(c?.argv).toEqual(['--quiet']);
    expect(c?.input).toBe('why?');
  });

  it('substitutes {prompt} and {cwd} as arguments and adds the read-only or write arguments', async () => {
    const { bin, seen } = fakeCli(`process.stdout.write('done');`);
    const a = agent({
      argv: [bin, '-p', '{prompt}', '--dir={cwd}'],
      promptVia: 'argument',
      readOnlyArgs: ['--sandbox'],
      writeArgs: ['--yolo'],
    });
    await a.run({ purpose: 'critique', prompt: 'look', cwd, access: 'read-only' });
    await a.run({ purpose: 'implement', prompt: 'write', cwd, access: 'write' });
    const [ro, rw] = calls(seen);
    expect(ro?.argv).toEqual(['-p', 'look', `--dir=${cwd}`, '--sandbox']);
    expect(ro?.input).toBe('');
    expect(rw?.argv).toEqual(['-p', 'write', `--dir=${cwd}`, '--yolo']);
    expect(rw?.cwd).toBe(cwd);
  });

  it('validates a structured answer taken out of prose or a code fence', async () => {
    const { bin, seen } = fakeCli('process.stdout.write(\'Sure!\\n```json\\n{"verdict":"ok"}\\n```\\n\');');
    const res = await agent({ argv: [bin] }).run(critique());
    expect(res.answer).toEqual({ verdict: 'ok' });
    // The JSON Schema the answer must match is in the prompt it was given.
    expect(calls(seen)[0]?.input).toContain('"verdict"');
  });

  it('takes an answer out of coloured output with invalid UTF-8, keeping neither in the text', async () => {
    const { bin } = fakeCli(
      'process.stdout.write(Buffer.concat([Buffer.from(\'\\x1b[32mdone\\x1b[0m \\x1b[2K\'), Buffer.from([0xff, 0xfe]), Buffer.from(\'\\n{"verdict":"ok","note":"\\x1b[1mbold\\x1b[0m"}\\n\')]));',
    );
    const res = await agent({ argv: [bin] }).run(critique());
    expect(res.answer).toEqual({ verdict: 'ok', note: 'bold' });
    expect(res.text).not.toContain('\x1b');
    expect(res.text).toContain('done \uFFFD\uFFFD');
  });

  it('asks once for a repair carrying the validation errors, then accepts the corrected answer', async () => {
    const { bin, seen } = fakeCli(
      `process.stdout.write(n === 0 ? '{"verdict":"maybe"}' : '{"verdict":"no","note":"fixed"}');`,
    );
    const res = await agent({ argv: [bin] }).run(critique());
    expect(res.answer).toEqual({ verdict: 'no', note: 'fixed' });
    const [, repair] = calls(seen);
    expect(repair?.input).toContain('does not match the schema');
    expect(repair?.input).toContain('verdict');
  });

  it('fails with a schema error after the one repair', async () => {
    const { bin, seen } = fakeCli(`process.stdout.write('no json here');`);
    const err = await agent({ argv: [bin] })
      .run({ purpose: 'critique', prompt: 'p', cwd, access: 'read-only', schema: Verdict })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AgentError);
    expect((err as AgentError).failure).toBe('schema');
    expect(calls(seen)).toHaveLength(2);
  });

  it('reads a JSON output through answerField', async () => {
    const { bin } = fakeCli(`process.stdout.write(JSON.stringify({ response: '{"verdict":"ok"}', stats: {} }));`);
    const res = await agent({ argv: [bin], output: 'json', answerField: 'response' }).run(critique());
    expect(res.answer).toEqual({ verdict: 'ok' });
  });

  it('classifies failures into what a user can act on, with secrets redacted', async () => {
    const cases: [string, string][] = [
      [`console.error('Error 429: rate limit exceeded'); process.exit(1);`, 'rate-limited'],
      [
        `console.error('401 Unauthorized: bad key sk-ant-api03-abcdefghijklmnopqrstuvwx'); process.exit(1);`,
        'not-logged-in',
      ],
      [`console.error('segfault'); process.exit(139);`, 'crashed'],
    ];
    for (const [behaviour, failure] of cases) {
      const { bin } = fakeCli(behaviour);
      const err = (await agent({ argv: [bin] })
        .run({ purpose: 'plan', prompt: 'p', cwd, access: 'read-only' })
        .catch((e: unknown) => e)) as AgentError;
      expect(err.failure).toBe(failure);
      expect(err.detail ?? '').not.toContain('abcdefghijklmnop');
    }
    const missing = (await agent({ argv: [join(cwd, 'no-such-cli')] })
      .run({ purpose: 'plan', prompt: 'p', cwd, access: 'read-only' })
      .catch((e: unknown) => e)) as AgentError;
    expect(missing.failure).toBe('not-installed');
  });

  it('stops a hung CLI with the timeout', async () => {
    const { bin } = fakeCli(`setTimeout(() => {}, 60_000);`);
    const err = (await agent({ argv: [bin] })
      .run({ purpose: 'plan', prompt: 'p', cwd, access: 'read-only', timeoutMs: 300 })
      .catch((e: unknown) => e)) as AgentError;
    expect(err.failure).toBe('timeout');
  });

  it('passes only the environment it needs: basics, passEnv names and configured values', async () => {
    const { bin, seen } = fakeCli(`process.stdout.write('ok');`);
    process.env.DUO_TEST_OTHER_SECRET = 'should-not-pass';
    process.env.GEMINI_API_KEY = 'gemini-key-value';
    try {
      await agent({ argv: [bin], passEnv: ['GEMINI_API_KEY'], env: { MY_FLAG: '1' } }).run({
        purpose: 'plan',
        prompt: 'p',
        cwd,
        access: 'read-only',
      });
    } finally {
      delete process.env.DUO_TEST_OTHER_SECRET;
      delete process.env.GEMINI_API_KEY;
    }
    const env = calls(seen)[0]?.env ?? {};
    expect(env.GEMINI_API_KEY).toBe('gemini-key-value');
    expect(env.MY_FLAG).toBe('1');
    expect(env.DUO_TEST_OTHER_SECRET).toBeUndefined();
    expect(env.PATH).toBeTruthy();
  });

  it('probe finds the CLI and reads its version without a model call', async () => {
    const { bin } = fakeCli(`if (process.argv.includes('--version')) process.stdout.write('fake-agent 1.2.3\\n');`);
    const p = await agent({ argv: [bin] }).probe();
    expect(p.found).toBe(true);
    expect(p.version).toBe('fake-agent 1.2.3');
    const gone = await agent({ argv: ['duo-no-such-cli-xyz'] }).probe();
    expect(gone.found).toBe(false);
    expect(gone.problems.join(' ')).toContain('not found');
  });
});
