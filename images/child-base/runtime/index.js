// @ts-check
/**
 * Entry point of every MCP-Forge child: reads its identity from the environment
 * (data, never code), builds the tool table from the rendered manifest and the
 * capability modules, checks Host, Origin and tokens (guard.js), and serves MCP over Streamable HTTP (/mcp) and legacy SSE (/sse).
 */
import http from 'node:http';
import { buildToolTable } from './tool-table.js';
import { createSessions } from './sessions.js';
import { createGuard } from './guard.js';
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
  const maxSessions = Number(env.FORGE_MAX_SESSIONS ?? 100);
  const guard = createGuard(env, port);
  const units = await startUnits(spec.manifest, spec.modules, identity, env.FORGE_UNIT_SETTINGS);
  const tools = buildToolTable(spec.manifest, spec.modules, units.contexts);
  const sessions = createSessions({ identity, tools, idleMs, maxSessions, guard, units });

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
