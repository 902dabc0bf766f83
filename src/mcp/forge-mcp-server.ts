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
import { ForgeError, toErrorBody, type ErrorBody } from '../errors/forge-error.js';
import { callerOf } from '../security/caller.js';
import type { ForgeServices } from './forge-tool.js';
import type { ResourceTable } from './resource-table.js';
import type { ToolTable } from './tool-table.js';
import type { Gateway } from '../gateway/gateway.js';
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
export function createForgeMcpServer(table: ToolTable, resources: ResourceTable, services: ForgeServices, gateway?: Gateway): Server {
  const server = new Server(
    { name: 'mcp-forge', version: FORGE_VERSION },
    { capabilities: { tools: gateway ? { listChanged: true } : {}, resources: {} }, instructions: INSTRUCTIONS },
  );
  // gateway.include_children: the children's tools too, announced by list_changed as they change.
  const children = gateway?.attach(server, false);
  if (children) server.onclose = children.detach;
  const childTools = async () => (gateway && services.config.gateway.include_children ? (await gateway.settled()).tools : []);
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: await resources.list(services) }));
  server.setRequestHandler(ListResourceTemplatesRequestSchema, async () => ({ resourceTemplates: resources.listTemplates() }));
  server.setRequestHandler(ReadResourceRequestSchema, async (request) => {
    try {
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
    if (gateway && services.config.gateway.include_children && !table.has(request.params.name) && (await gateway.knowsTool(request.params.name))) {
      return gateway.callTool(request.params, extra, callerOf(extra.authInfo), children?.session);
    }
    const started = Date.now();
    const progressToken = request.params._meta?.progressToken;
    let step = 0;
    const progress = (message: string) => {
      if (progressToken === undefined) return;
      extra
        .sendNotification({ method: 'notifications/progress', params: { progressToken, progress: ++step, message } })
        .catch(() => undefined);
    };
    const caller = callerOf(extra.authInfo);
    const changesState = !table.isReadOnly(request.params.name);
    let body: Record<string, unknown>;
    try {
      // Refused before validation, so a read token learns nothing about arguments it may not use.
      if (changesState && caller.role !== 'admin' && table.has(request.params.name)) {
        throw new ForgeError('forbidden', `token "${caller.name}" has the ${caller.role} role; ${request.params.name} needs admin`);
      }
      const { tool, args } = table.checked(request.params.name, request.params.arguments);
      body = await tool.handler(args, { services, caller, progress });
      services.log.info({ tool: tool.name, caller: caller.name, ms: Date.now() - started }, 'tool call');
    } catch (err) {
      const error = toErrorBody(err);
      const level = error.error.code === 'server_error' ? 'error' : 'info';
      services.log[level]({ tool: request.params.name, caller: caller.name, code: error.error.code, err, ms: Date.now() - started }, 'tool call failed');
      body = error as unknown as Record<string, unknown>;
    }
    if (table.has(request.params.name)) {
      const outcome = body.status === 'error' ? (body as unknown as ErrorBody).error.code : String(body.status ?? 'success');
      services.metrics?.observeToolCall(request.params.name, outcome, (Date.now() - started) / 1000);
    }
    if (changesState) {
      const failed = body.status === 'error' ? (body as unknown as ErrorBody).error : undefined;
      services.audit.record({
        actor: caller.name,
        role: caller.role,
        action: request.params.name,
        arguments: request.params.arguments ?? {},
        status: String(body.status),
        ...(failed ? { code: failed.code, message: failed.message } : {}),
        ms: Date.now() - started,
      });
    }
    return toToolResult(body);
  });
  return server;
}
