// @ts-check
/** Builds one low-level MCP Server per session: tools come from the JSON Schema tool table. */
import { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { CallToolRequestSchema, ListToolsRequestSchema } from '@modelcontextprotocol/sdk/types.js';
import { AjvJsonSchemaValidator } from '@modelcontextprotocol/sdk/validation/ajv';
import { log } from './log.js';

/** @type {AjvJsonSchemaValidator | null} */
let ajvProvider = null;
/**
 * One JSON Schema validator for every session, made when first needed (only elicitation asks):
 * by default the SDK builds an ajv instance with its formats in every Server, that is per session.
 */
const sharedValidator = {
  /** @param {any} schema */
  getValidator: (schema) => (ajvProvider ??= new AjvJsonSchemaValidator()).getValidator(schema),
};

/** @param {{ id: string, name: string, description: string }} identity @param {any} tools */
export function createMcpServer(identity, tools) {
  const server = new Server(
    { name: identity.name, version: '1.0.0' },
    { capabilities: { tools: {} }, instructions: identity.description, jsonSchemaValidator: sharedValidator },
  );
  server.setRequestHandler(ListToolsRequestSchema, async () => ({
    tools: tools.list.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
  }));
  server.setRequestHandler(CallToolRequestSchema, async (request) => {
    const tool = tools.get(request.params.name);
    const args = request.params.arguments ?? {};
    if (!tool) return failure(`unknown tool: ${request.params.name}`);
    if (!tool.validate(args)) {
      const detail = (tool.validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('; ');
      return failure(`invalid arguments for ${tool.name}: ${detail}`);
    }
    const started = Date.now();
    try {
      const result = await tool.handler(args, tool.context);
      log.info('tool call', { tool: tool.name, ms: Date.now() - started });
      return result;
    } catch (err) {
      log.error('tool failed', { tool: tool.name, error: String(err?.message ?? err) });
      return failure(`${tool.name} failed: ${String(err?.message ?? err)}`);
    }
  });
  return server;
}

/** @param {string} message */
function failure(message) {
  return { isError: true, content: [{ type: 'text', text: message }] };
}
