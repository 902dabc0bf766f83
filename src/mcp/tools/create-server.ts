import { toCreateRequest, type CreateArgs } from '../../servers/create-request.js';
import type { ForgeTool } from '../forge-tool.js';

/** create_server: render, build (or reuse), run, wait for MCP, register. */
export const createServerTool: ForgeTool<CreateArgs> = {
  name: 'create_server',
  title: 'Create an MCP server',
  description:
    'Creates a new MCP server in its own Docker container and returns once it answers MCP. ' +
    'Connect to http://<host>:<server.port>/mcp (Streamable HTTP) or /sse (legacy SSE).',
  inputSchema: {
    type: 'object',
    properties: {
      name: {
        type: 'string',
        minLength: 3,
        maxLength: 64,
        pattern: '^[A-Za-z0-9_-]+$',
        description: 'Unique name: at least 3 letters, digits, hyphens or underscores. Defaults to the generated id.',
      },
      description: { type: 'string', minLength: 5, maxLength: 2000, description: 'What the server is for. Defaults to "MCP Server".' },
      capabilities: {
        type: 'array',
        items: { type: 'string', minLength: 1, maxLength: 64 },
        uniqueItems: true,
        minItems: 1,
        maxItems: 32,
        description: 'Capabilities to include. Defaults to ["echo", "time", "uptime"].',
      },
      handlers: {
        type: 'array',
        items: { type: 'string', minLength: 1, maxLength: 64 },
        uniqueItems: true,
        maxItems: 32,
        description: 'Additional handlers to include.',
      },
      options: { type: 'object', description: 'Server options known to the template system.' },
    },
    additionalProperties: false,
  },
  annotations: { destructiveHint: false, idempotentHint: false, openWorldHint: false },
  async handler(args, { services, caller, progress }) {
    const request = toCreateRequest(args, services.catalog);
    services.quotas.admitCreate(caller);
    progress('preparing image');
    const record = await services.provisioner.create(request, caller.name, (line) => progress(line));
    const server = await services.queries.info(record);
    return {
      status: 'success',
      message: `Server ${server.name} created and running on port ${server.port}`,
      server,
    };
  },
};
