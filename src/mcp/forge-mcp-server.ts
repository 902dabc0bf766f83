import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  ErrorCode,
  ListResourcesRequestSchema,
  ListResourceTemplatesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
  type CallToolResult,
} from '@modelcontextprotocol/sdk/types.js';
import { toErrorBody } from '../errors/forge-error.js';
import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { callerOf, type Caller } from '../security/caller.js';
import type { ForgeServices } from './forge-tool.js';
import type { ResourceTable } from './resource-table.js';
import { callTool } from './tool-call.js';
import type { ToolTable } from './tool-table.js';
import type { Gateway } from '../gateway/gateway.js';
import { FORGE_VERSION } from '../version.js';

const INSTRUCTIONS =
  'MCP-Forge creates MCP servers on demand, each in its own container with a published port (a Docker container, or a one-replica swarm service). ' +
  'Use create_server, then connect to http://<host>:<port>/mcp (or /sse) of the new server.';

/** Every result carries the API's JSON twice: as text content and as structuredContent. */
export function toToolResult(body: Record<string, unknown>): CallToolResult {
  return {
    content: [{ type: 'text', text: JSON.stringify(body, null, 2) }],
    structuredContent: body,
    isError: body.status === 'error',
  };
}

/** Resource listings fail as JSON-RPC errors for a request without auth info. */
function authenticated(authInfo: AuthInfo | undefined): void {
  try {
    callerOf(authInfo);
  } catch (err) {
    throw new McpError(ErrorCode.InvalidRequest, (err as Error).message, toErrorBody(err));
  }
}

/** One MCP server per transport connection (the SDK allows one connect per server). */
export function createForgeMcpServer(table: ToolTable, resources: ResourceTable, services: ForgeServices, gateway?: Gateway): Server {
  const server = new Server(
    { name: 'mcp-forge', version: FORGE_VERSION },
    { capabilities: { tools: gateway ? { listChanged: true } : {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  // gateway.include_children: the children's tools too, announced by list_changed as they change.
  const children = gateway?.attach(server, false);
  if (children) server.onclose = children.detach;
  const childTools = async () => (gateway && services.config.gateway.include_children ? (await gateway.settled()).tools : []);
  server.setRequestHandler(ListResourcesRequestSchema, async (_request, extra) => {
    authenticated(extra.authInfo);
    return { resources: await resources.list(services) };
  });
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async (_request, extra) => {
    authenticated(extra.authInfo);
    return { resourceTemplates: resources.listTemplates() };
  });
  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    try {
      callerOf(extra.authInfo);
      return { contents: [await resources.read(request.params.uri, services)] };
    } catch (err) {
      // Resource reads fail as JSON-RPC errors; `data` carries the API's error body.
      const body = toErrorBody(err);
      const code = body.error.code === 'server_error' ? ErrorCode.InternalError : body.error.code === 'not_found' ? -32002 : ErrorCode.InvalidParams;
      throw new McpError(code, body.error.message, body);
    }
  });
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: [
      ...table.list().map((t) => ({
        name: t.name,
        title: t.title,
        description: t.description,
        inputSchema: t.inputSchema,
        ...(t.annotations ? { annotations: t.annotations } : {}),
      })),
      ...(await childTools()),
    ],
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request, extra) => {
    const progressToken = request.params._meta?.progressToken;
    let step = 0;
    const progress = (message: string) => {
      if (progressToken === undefined) return;
      extra
        .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: ++step, message } })
        .catch(() => undefined);
    };
    let caller: Caller;
    try {
      caller = callerOf(extra.authInfo);
    } catch (err) {
      return toToolResult(toErrorBody(err) as unknown as Record<string, unknown>);
    }
    if (gateway && services.config.gateway.include_children && !table.has(request.params.name) && (await gateway.knowsTool(request.params.name))) {
      return gateway.callTool(request.params, extra, caller, children?.session);
    }
    return toToolResult(await callTool(table, services, caller, request.params.name, request.params.arguments, { progress }));
  });
  return server;
}
