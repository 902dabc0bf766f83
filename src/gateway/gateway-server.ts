import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import {
  CallToolRequestSchema,
  GetPromptRequestSchema,
  ListPromptsRequestSchema,
  ListResourcesRequestSchema,
  ListToolsRequestSchema,
  McpError,
  ReadResourceRequestSchema,
} from '@modelcontextprotocol/sdk/types.js';
import { callerOf } from '../security/caller.js';
import { FORGE_VERSION } from '../version.js';
import type { Gateway } from './gateway.js';

const INSTRUCTIONS =
  "MCP-Forge's gateway: the tools of every running server as <server_name>__<tool> (an auto-scaling group once, as " +
  '<group_name>__<tool>, its calls balanced over the members). The list follows servers as they come and go (list_changed).';

/** Not found, as resources/read and prompts/get report it. */
const notFound = (what: string) => new McpError(-32002, `${what} not found (its server may have stopped; list again)`);

/** One MCP server per gateway session (/gateway/mcp, /gateway/sse), attached to the gateway for list_changed. */
export function createGatewayServer(gateway: Gateway): Server {
  const server = new Server(
    { name: 'mcp-forge-gateway', version: FORGE_VERSION },
    { capabilities: { tools: { listChanged: true }, resources: { listChanged: true }, prompts: { listChanged: true } }, instructions: INSTRUCTIONS },
  );
  const { session, detach } = gateway.attach(server, true);
  server.onclose = detach;
  server.setRequestHandler(ListToolsRequestSchema, async () => ({ tools: (await gateway.settled()).tools }));
  server.setRequestHandler(ListResourcesRequestSchema, async () => ({ resources: (await gateway.settled()).resources }));
  server.setRequestHandler(ListPromptsRequestSchema, async () => ({ prompts: (await gateway.settled()).prompts }));
  server.setRequestHandler(CallToolRequestSchema, (request, extra) => gateway.callTool(request.params, extra, callerOf(extra.authInfo), session));
  server.setRequestHandler(ReadResourceRequestSchema, async (request, extra) => {
    const result = await gateway.readResource(request.params.uri, extra.signal);
    if (!result) throw notFound(`resource ${request.params.uri}`);
    return result;
  });
  server.setRequestHandler(GetPromptRequestSchema, async (request, extra) => {
    const result = await gateway.getPrompt(request.params.name, request.params.arguments, extra.signal);
    if (!result) throw notFound(`prompt ${request.params.name}`);
    return result;
  });
  return server;
}
