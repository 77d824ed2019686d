import { describe, expect, it } from 'vitest';
import { toolResult } from '../../../src/mcp/duo-call.js';

const text = (r: ReturnType<typeof toolResult>) => (r.content[0] as { text: string }).text;

/** A command's output as an MCP tool result: its JSON through the schema the server reads, next steps in MCP terms. */
describe('toolResult', () => {
  it("passes the command's fields through, adds the exit code and says each next step as the tool that takes it", () => {
    const stdout = JSON.stringify({
      runId: 'r-1',
      status: 'running',
      findings: [{ id: 'R1' }],
      progress: { phase: 'review', next: '`duo wait r-1` follows it' },
    });
    const r = toolResult({ exitCode: 4, stdout, stderr: '' }, { next: '`duo status r-1` says where it is' });
    expect(r.isError).toBeUndefined();
    expect(JSON.parse(text(r))).toEqual({
      exitCode: 4,
      runId: 'r-1',
      status: 'running',
      findings: [{ id: 'R1' }],
      progress: { phase: 'review', next: '`wait` with {"runId": "r-1"} follows it' },
      next: '`status` with {"runId": "r-1"} says where it is',
    });
  });

  it('keeps a null next and a report that is not JSON as they are; a usage error or no output is an error', () => {
    expect(JSON.parse(text(toolResult({ exitCode: 0, stdout: '{"next": null}', stderr: '' })))).toEqual({
      exitCode: 0,
      next: null,
    });
    expect(text(toolResult({ exitCode: 0, stdout: '# duo r-1\n\nGREEN\n', stderr: '' }))).toBe('# duo r-1\n\nGREEN');
    // JSON that is not an object (a schema the server does not read) is passed on as text, not spread into keys.
    expect(text(toolResult({ exitCode: 0, stdout: '"just text"', stderr: '' }))).toBe('"just text"');
    expect(toolResult({ exitCode: 2, stdout: '', stderr: 'duo: no run "x"\n' })).toEqual({
      isError: true,
      content: [{ type: 'text', text: 'duo: no run "x"' }],
    });
    expect(toolResult({ exitCode: 1, stdout: ' ', stderr: '' }).isError).toBe(true);
  });
});
