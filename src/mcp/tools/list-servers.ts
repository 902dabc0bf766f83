import type { ForgeTool } from '../forge-tool.js';

/** list_servers: every server of this forge, with live status from the engine. */
export const listServersTool: ForgeTool<{ include_details?: boolean }> = {
  name: 'list_servers',
  title: 'List MCP servers',
  description: 'Lists all managed servers with their live status. include_details adds uptime, capabilities, errors, restarts and recent logs.',
  inputSchema: {
    type: 'object',
    properties: { include_details: { type: 'boolean', default: false, description: 'Include detailed information.' } },
    additionalProperties: false,
  },
  annotations: { readOnlyHint: true },
  async handler({ include_details = false }, { services }) {
    const servers = include_details ? await services.queries.listDetailed() : await services.queries.list();
    return { status: 'success', count: servers.length, servers };
  },
};
