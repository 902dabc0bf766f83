// @ts-check
/**
 * The child runtime proper: reads the server's identity from the environment (data, never
 * code), builds the tool table from the rendered manifest and the capability modules, and
 * serves MCP over Streamable HTTP (/mcp) and legacy SSE (/sse). What it imports statically
 * (the SDK's Server and schemas, ajv) is evaluated into the V8 startup snapshot; node:http and
 * the transports are loaded when startChild runs, since a snapshot cannot hold them.
 */
import { buildToolTable } from './tool-table.js';
import { startUnits } from './units.js';
import { log } from './log.js';

/**
 * @param {{ manifest: any, modules: Record<string, Record<string, Function>> }} spec
 */
export async function startChild(spec) {
  const env = process.env;
  const identity = {
    id: env.FORGE_SERVER_ID ?? 'unknown',
    name: env.FORGE_SERVER_NAME ?? 'mcp-child',
    description: env.FORGE_SERVER_DESCRIPTION ?? 'MCP Server',
    startedAt: Date.now(),
  };
  const port = Number(env.PORT ?? 8080);
  const idleMs = Number(env.FORGE_SESSION_IDLE_S ?? 1800) * 1000;
  const http = /** @type {typeof import('node:http')} */ (process.getBuiltinModule('node:http'));
  const { createSessions } = await import('./sessions.js');
  const units = await startUnits(spec.manifest, spec.modules, identity, env.FORGE_UNIT_SETTINGS);
  const tools = buildToolTable(spec.manifest, spec.modules, units.contexts);
  const sessions = createSessions({ identity, tools, idleMs, authorize: units.authorize });

  const server = http.createServer((req, res) => {
    sessions.route(req, res).catch((err) => {
      log.error('request failed', { error: String(err?.stack ?? err) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
    });
  });
  server.listen(port, '0.0.0.0', () => {
    log.info('listening', { port, server_id: identity.id, tools: tools.list.map((t) => t.name) });
  });

  const shutdown = (/** @type {string} */ signal) => {
    log.info('shutting down', { signal });
    sessions.closeAll();
    units.close();
    server.closeAllConnections();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
}
