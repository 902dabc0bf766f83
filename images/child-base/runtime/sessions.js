// @ts-check
/**
 * HTTP routing and MCP sessions of a child: Streamable HTTP at /mcp (one transport per
 * session id), legacy SSE at /sse + /messages, and /healthz, which reports the open session
 * count the forge shows as `connections`. Every path checks Host and Origin first; the MCP
 * paths then need a forge-issued token or the units' credentials (auth). Sessions of both
 * transports are reaped when idle and capped in number (503 above the cap, nothing open is dropped).
 */
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { createMcpServer } from './mcp-server.js';
import { log } from './log.js';

const MCP_PATHS = new Set(['/mcp', '/sse', '/messages']);

/**
 * @typedef {{ status: number, headers?: Record<string, string>, message: string }} Refusal
 * `connect` wires a new session's transport to its MCP server: by default a fresh server over
 * the tool table; a bridged child (stdio-bridge.js) passes its shared server instead.
 * @param {{ identity: any, tools?: any, idleMs: number, maxSessions: number,
 *   guard: ReturnType<typeof import('./guard.js').createGuard>,
 *   units: { guarded: boolean, authorize: (req: import('node:http').IncomingMessage) => Promise<Refusal | null> },
 *   connect?: (transport: any) => Promise<void> }} deps
 */
export function createSessions({ identity, tools, idleMs, maxSessions, guard, units, connect = (t) => createMcpServer(identity, tools).connect(t) }) {
  /** @type {Map<string, { transport: any, lastSeen: number }>} */
  const streamable = new Map();
  /** @type {Map<string, { transport: any, lastSeen: number }>} */
  const sse = new Map();
  /** Sessions being set up (initialize in flight): counted against the cap. */
  let opening = 0;
  /** Ids of the sessions the forge itself holds (gateway, readiness): not the clients'. */
  const forgeSessions = new Set();
  const clientSessions = () => streamable.size + sse.size - forgeSessions.size;
  const open = () => clientSessions() + opening;

  const reaper = setInterval(() => {
    const cutoff = Date.now() - idleMs;
    for (const sessions of [streamable, sse]) {
      for (const [id, s] of sessions) {
        if (s.lastSeen >= cutoff) continue;
        sessions.delete(id);
        forgeSessions.delete(id);
        s.transport.close().catch(() => {});
      }
    }
  }, Math.min(60_000, Math.max(1000, idleMs / 4)));
  reaper.unref();

  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const rpcError = (res, status, message, code = -32000, headers = {}) =>
    json(res, status, { jsonrpc: '2.0', error: { code, message }, id: null }, headers);
  const full = (res) => rpcError(res, 503, `Too many sessions: this server allows ${maxSessions} at once; close one or retry later`, -32000, { 'retry-after': '5' });

  /** @returns {Promise<Refusal | null>} */
  async function authorize(req) {
    if (guard.hasValidToken(req)) return null;
    if (guard.requireToken && !units.guarded) {
      const message = req.headers.authorization ? 'invalid token' : 'authentication required';
      return { status: 401, headers: { 'www-authenticate': `Bearer realm="mcp-forge ${identity.name}"` }, message };
    }
    return units.authorize(req);
  }

  async function handleMcp(req, res) {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const s = streamable.get(sid);
      if (!s) return rpcError(res, 404, 'Session not found');
      s.lastSeen = Date.now();
      return s.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return rpcError(res, 400, 'Bad Request: no session id');
    const own = guard.isForge(req);
    if (!own && open() >= maxSessions) return full(res);
    let counted = !own;
    if (counted) opening++;
    const settle = () => counted && ((counted = false), opening--);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        settle();
        streamable.set(id, { transport, lastSeen: Date.now() });
        if (own) forgeSessions.add(id);
      },
    });
    transport.onclose = () => {
      if (!transport.sessionId) return;
      streamable.delete(transport.sessionId);
      forgeSessions.delete(transport.sessionId);
    };
    try {
      await connect(transport);
      return await transport.handleRequest(req, res);
    } finally {
      settle();
    }
  }

  async function handleSse(req, res) {
    const own = guard.isForge(req);
    if (!own && open() >= maxSessions) return full(res);
    const transport = new SSEServerTransport('/messages', res);
    sse.set(transport.sessionId, { transport, lastSeen: Date.now() });
    if (own) forgeSessions.add(transport.sessionId);
    res.on('close', () => {
      sse.delete(transport.sessionId);
      forgeSessions.delete(transport.sessionId);
    });
    await connect(transport);
  }

  async function handleMessages(req, res, url) {
    const s = sse.get(url.searchParams.get('sessionId') ?? '');
    if (!s) return rpcError(res, 404, 'Session not found');
    s.lastSeen = Date.now();
    return s.transport.handlePostMessage(req, res);
  }

  return {
    /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
    async route(req, res) {
      const forbidden = guard.checkOrigin(req);
      if (forbidden) return rpcError(res, forbidden.status, forbidden.message);
      const url = new URL(req.url ?? '/', 'http://child');
      if (MCP_PATHS.has(url.pathname)) {
        const refusal = await authorize(req);
        if (refusal) return rpcError(res, refusal.status, refusal.message, -32001, refusal.headers);
      }
      if (url.pathname === '/mcp') return handleMcp(req, res);
      if (url.pathname === '/sse' && req.method === 'GET') return handleSse(req, res);
      if (url.pathname === '/messages' && req.method === 'POST') return handleMessages(req, res, url);
      if (url.pathname === '/healthz') {
        return json(res, 200, {
          status: 'ok',
          server_id: identity.id,
          uptime: (Date.now() - identity.startedAt) / 1000,
          connections: clientSessions(),
        });
      }
      json(res, 404, { error: 'not found' });
    },
    closeAll() {
      for (const s of streamable.values()) s.transport.close().catch(() => {});
      for (const s of sse.values()) s.transport.close().catch(() => {});
      log.info('sessions closed', { count: streamable.size + sse.size });
    },
  };
}
