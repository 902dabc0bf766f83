// @ts-check
/**
 * The child runtime proper: reads the server's identity from the environment (data, never
 * code), builds the tool table from the rendered manifest and the capability modules, checks
 * Host, Origin and tokens (guard.js), and serves MCP over Streamable HTTP (/mcp) and legacy SSE
 * (/sse). What it imports statically (the SDK's Server and schemas, ajv) is evaluated into the
 * V8 startup snapshot; node:http and the transports (sessions.js) are loaded when a server
 * starts, since a snapshot cannot hold them.
 */
import { buildToolTable } from './tool-table.js';
import { createGuard } from './guard.js';
import { startUnits } from './units.js';
import { log } from './log.js';
// Evaluated here, that is into the snapshot (sessions.js, loaded at start, needs node:http): the SDK's Server and its schemas.
import './mcp-server.js';

/** The child's identity, port, session limits and request guard from the environment. @param {NodeJS.ProcessEnv} env */
export function childSettings(env) {
  const port = Number(env.PORT ?? 8080);
  return {
    identity: {
      id: env.FORGE_SERVER_ID ?? 'unknown',
      name: env.FORGE_SERVER_NAME ?? 'mcp-child',
      description: env.FORGE_SERVER_DESCRIPTION ?? 'MCP Server',
      startedAt: Date.now(),
    },
    port,
    idleMs: Number(env.FORGE_SESSION_IDLE_S ?? 1800) * 1000,
    maxSessions: Number(env.FORGE_MAX_SESSIONS ?? 100),
    guard: createGuard(env, port),
  };
}

/**
 * @param {{ manifest: any, modules: Record<string, Record<string, Function>> }} spec
 */
export async function startChild(spec) {
  const env = process.env;
  const { identity, port, idleMs, maxSessions, guard } = childSettings(env);
  const server = listenEarly(port);
  const { createSessions } = await import('./sessions.js');
  const units = await startUnits(spec.manifest, spec.modules, identity, env.FORGE_UNIT_SETTINGS);
  const tools = buildToolTable(spec.manifest, spec.modules, units.contexts);
  const sessions = createSessions({ identity, tools, idleMs, maxSessions, guard, units });

  server.serve(sessions, { identity, onClose: () => units.close(), tools: tools.list.map((t) => t.name) });
}

/**
 * The child's HTTP server, bound at once, before the transports load and the units start: a
 * client that connects meanwhile (the forge's readiness check) waits and is answered the moment
 * the sessions are served, instead of being refused and polling again. `serve` hands it the
 * sessions and installs the shutdown on SIGTERM/SIGINT; the "listening" line is logged then.
 * @param {number} port
 */
export function listenEarly(port) {
  const http = /** @type {typeof import('node:http')} */ (process.getBuiltinModule('node:http'));
  /** @typedef {ReturnType<typeof import('./sessions.js').createSessions>} Sessions */
  /** @type {Sessions | null} */
  let current = null;
  /** @type {(sessions: Sessions) => void} */
  let served = () => {};
  /** @type {Promise<Sessions>} */
  const whenServed = new Promise((resolve) => (served = resolve));
  const route = (/** @type {Sessions} */ sessions, /** @type {import('node:http').IncomingMessage} */ req, /** @type {import('node:http').ServerResponse} */ res) => {
    sessions.route(req, res).catch((err) => {
      log.error('request failed', { error: String(err?.stack ?? err) });
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ jsonrpc: '2.0', error: { code: -32603, message: 'Internal error' }, id: null }));
    });
  };
  const server = http.createServer((req, res) => (current ? route(current, req, res) : whenServed.then((s) => route(s, req, res))));
  server.listen(port, '0.0.0.0');

  return {
    server,
    /**
     * @param {Sessions} ready
     * @param {{ identity: { id: string }, onClose: () => void } & Record<string, unknown>} options extra fields go to the start-up log line
     */
    serve(ready, { identity, onClose, ...logged }) {
      current = ready;
      served(ready);
      const announce = () => log.info('listening', { port, server_id: identity.id, ...logged });
      if (server.listening) announce();
      else server.once('listening', announce);
      const shutdown = (/** @type {string} */ signal) => {
        log.info('shutting down', { signal });
        ready.closeAll();
        onClose();
        server.closeAllConnections();
        server.close(() => process.exit(0));
        setTimeout(() => process.exit(0), 2000).unref();
      };
      process.on('SIGTERM', () => shutdown('SIGTERM'));
      process.on('SIGINT', () => shutdown('SIGINT'));
    },
  };
}
