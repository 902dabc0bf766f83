import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { toErrorBody } from '../errors/forge-error.js';
import type { ForgeServices } from './forge-tool.js';
import type { ToolTable } from './tool-table.js';
import { FORGE_VERSION } from '../version.js';

const INSTRUCTIONS =
  'MCP-Forge creates MCP servers on demand, each in its own Docker container with a published port. ' +
  'Use create_server, then connect to http://<host>:<port>/mcp (or /sse) of the new server.';

/** Every result carries the API's JSON twice: as text content and as structuredContent. */
export function toToolResult(body: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(body, null, 2) }],
    structuredContent: body,
    isError: body.status === 'error',
  };
}

/** One MCP server per transport connection (the SDK allows one connect per server). */
export function createForgeMcpServer(table: ToolTable, services: ForgeServices): Server {
  const server = new Server({ name: 'mcp-forge', version: FORGE_VERSION }, { capabilities: { tools: {} }, instructions: INSTRUCTIONS });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: table.list().map((t) => ({
      name: t.name,
      title: t.title,
      description: t.description,
      inputSchema: t.inputSchema,
      ...(t.annotations ? { annotations: t.annotations } : {}),
    })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const started = Date.now();
    const progressToken = request.params._meta?.progressToken;
    let step = 0;
    const progress = (message: string) => {
      if (progressToken === undefined) return;
      extra
        .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: ++step, message } })
        .catch(() => undefined);
    };
    try {
      const { tool, args } = table.checked(request.params.name, request.params.arguments);
      const body = await tool.handler(args, { services, progress });
      services.log.info({ tool: tool.name, ms: Date.now() - started }, 'tool call');
      return toToolResult(body);
    } catch (err) {
      const body = toErrorBody(err);
      const level = body.error.code === 'server_error' ? 'error' : 'info';
      services.log[level]({ tool: request.params.name, code: body.error.code, err, ms: Date.now() - started }, 'tool call failed');
      return toToolResult(body as unknown as Record<string, unknown>);
    }
  });
  return server;
}
