import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { createServer } from '../../mcp/server.js';

/**
 * `duo mcp`: the MCP server over stdio (register it with `claude mcp add duo -- duo mcp` or
 * `codex mcp add duo -- duo mcp`, or `duo init --mcp`). stdout belongs to the protocol; nothing else is printed there.
 * It serves until the client closes stdin.
 */
export async function mcpCommand(): Promise<number> {
  const server = createServer(process.cwd());
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
    process.stdin.once('end', () => resolve());
  });
  await server.connect(transport);
  await closed;
  await server.close();
  return 0;
}
