import { describe, expect, it } from 'vitest';
import { mcpNext } from '../../../src/mcp/server.js';

/** A next step the CLI words for a terminal, said to an MCP client as the tool call that takes it. */
describe('mcpNext', () => {
  it('turns each `duo <command>` into its MCP tool with the arguments it needs', () => {
    expect(mcpNext('`duo resume r-1` continues from the last completed step.')).toBe(
      '`resume` with {"runId": "r-1"} continues from the last completed step.',
    );
    expect(mcpNext('Review the branch `duo/r-1`, then `duo apply r-1` to bring it into your working tree.')).toBe(
      'Review the branch `duo/r-1`, then `apply` with {"runId": "r-1"} to bring it into your working tree.',
    );
    expect(mcpNext('Not applied. Inspect `duo/r-1`; `duo apply r-1 --force` applies it anyway.')).toContain(
      '`apply` with {"runId": "r-1", "force": true}',
    );
    expect(mcpNext('`duo decide r-1 card-R1 --pick driver|skeptic|"<your decision>"`, then `duo resume r-1`.')).toBe(
      '`decide` with {"runId": "r-1", "cardId": "card-R1", "pick": "driver" | "skeptic" | "<the user\'s own decision>"}, ' +
        'then `resume` with {"runId": "r-1"}.',
    );
    expect(mcpNext('`duo wait r-1` follows it to the end; `duo cancel r-1` stops it (resumable).')).toBe(
      '`wait` with {"runId": "r-1"} follows it to the end; `cancel` with {"runId": "r-1"} stops it (resumable).',
    );
    expect(mcpNext('Address the findings below, then `duo review` again.')).toBe(
      'Address the findings below, then `review` again.',
    );
    // A command with no MCP tool stays as it is, and so does plain text.
    expect(mcpNext('(`duo budget` shows the figures)')).toBe('(`duo budget` shows the figures)');
    expect(mcpNext('nothing to do')).toBe('nothing to do');
  });
});
