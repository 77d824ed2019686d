import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { textResult, toolResult } from '../../../src/mcp/duo-call.js';

const text = (r: ReturnType<typeof toolResult>) => (r.content[0] as { text: string }).text;

/** A stand-in for a command's wire schema (src/wire): closed, with the next steps the server rewrites. */
const Waiting = z.strictObject({
  runId: z.string(),
  status: z.string(),
  findings: z.array(z.object({ id: z.string() })),
  progress: z.strictObject({ phase: z.string(), next: z.string() }),
  next: z.string().nullable().optional(),
});

/**
 * A command's output as an MCP tool result: its JSON checked against the command's own schema, next steps in MCP
 * terms; output that does not match is an error that says so, never raw text passed on as if it were the result.
 */
describe('toolResult', () => {
  it("passes the command's fields through, adds the exit code and says each next step as the tool that takes it", () => {
    const stdout = JSON.stringify({
      runId: 'r-1',
      status: 'running',
      findings: [{ id: 'R1', claim: 'kept: the schema checks, it does not rewrite' }],
      progress: { phase: 'review', next: '`duo wait r-1` follows it' },
    });
    const r = toolResult({ exitCode: 4, stdout, stderr: '' }, 'wait', Waiting, {
      next: '`duo status r-1` says where it is',
    });
    expect(r.isError).toBeUndefined();
    expect(JSON.parse(text(r))).toEqual({
      exitCode: 4,
      runId: 'r-1',
      status: 'running',
      findings: [{ id: 'R1', claim: 'kept: the schema checks, it does not rewrite' }],
      progress: { phase: 'review', next: '`wait` with {"runId": "r-1"} follows it' },
      next: '`status` with {"runId": "r-1"} says where it is',
    });
  });

  it('output that does not match the schema is an error naming the command and the field, with the text', () => {
    const base = { runId: 'r-1', status: 'running', findings: [], progress: { phase: 'review', next: 'x' } };
    const extra = toolResult(
      { exitCode: 0, stdout: JSON.stringify({ ...base, surprise: 1 }), stderr: '' },
      'wait',
      Waiting,
    );
    expect(extra.isError).toBe(true);
    expect(text(extra)).toContain('the output of `duo wait --json` does not match its declared schema (exit code 0)');
    expect(text(extra)).toContain('surprise');
    expect(text(extra)).toContain('"runId":"r-1"');
    const renamed = toolResult(
      { exitCode: 0, stdout: JSON.stringify({ ...base, runId: undefined, id: 'r-1' }), stderr: '' },
      'wait',
      Waiting,
    );
    expect(renamed.isError).toBe(true);
    expect(text(renamed)).toContain('runId');
    const report = toolResult({ exitCode: 0, stdout: '# duo r-1\n\nGREEN\n', stderr: '' }, 'wait', Waiting);
    expect(report.isError).toBe(true);
    expect(text(report)).toContain('it is not JSON');
    expect(text(report)).toContain('# duo r-1');
    const notAnObject = toolResult({ exitCode: 0, stdout: '"just text"', stderr: '' }, 'wait', Waiting);
    expect(notAnObject.isError).toBe(true);
  });

  it("a command's error JSON passes with any schema; a usage error or no output is an error; a null next stays", () => {
    const failed = { error: { message: 'no run "x"', hint: null }, exitCode: 1 };
    expect(
      JSON.parse(text(toolResult({ exitCode: 1, stdout: JSON.stringify(failed), stderr: '' }, 'wait', Waiting))),
    ).toEqual({ ...failed, exitCode: 1 });
    const nullNext = { runId: 'r', status: 'green', findings: [], progress: { phase: 'done', next: 'x' }, next: null };
    expect(
      JSON.parse(text(toolResult({ exitCode: 0, stdout: JSON.stringify(nullNext), stderr: '' }, 'wait', Waiting))).next,
    ).toBeNull();
    expect(toolResult({ exitCode: 2, stdout: '', stderr: 'duo: no run "x"\n' }, 'wait', Waiting)).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'duo: no run "x"' }],
    });
    expect(toolResult({ exitCode: 1, stdout: ' ', stderr: '' }, 'wait', Waiting).isError).toBe(true);
  });
});

describe('textResult', () => {
  it('keeps a report as it is; a usage error or no output is an error', () => {
    expect(text(textResult({ exitCode: 0, stdout: '# duo r-1\n\nGREEN\n', stderr: '' }))).toBe('# duo r-1\n\nGREEN');
    expect(textResult({ exitCode: 2, stdout: '', stderr: 'duo: no run "x"\n' }).isError).toBe(true);
    expect(textResult({ exitCode: 1, stdout: '', stderr: '' }).isError).toBe(true);
  });
});
