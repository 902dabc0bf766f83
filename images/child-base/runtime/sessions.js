// @ts-check
/**
 * HTTP routing and MCP sessions of a child: Streamable HTTP at /mcp (one transport
 * per session id, idle sessions reaped), legacy SSE at /sse + /messages, and /healthz,
 * which reports the open session count the forge shows as `connections`. The MCP paths
 * pass the units' guards first (auth); /healthz does not.
 */
import { randomUUID } from 'node:crypto';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { createMcpServer } from './mcp-server.js';
import { log } from './log.js';

const MCP_PATHS = new Set(['/mcp', '/sse', '/messages']);

/**
 * `connect` wires a new session's transport to its MCP server: by default a fresh server over
 * the tool table; a bridged child (stdio-bridge.js) passes its shared server instead.
 * @param {{ identity: any, tools?: any, idleMs: number,
 *   authorize: (req: import('node:http').IncomingMessage) => Promise<{ status: number, headers?: Record<string, string>, message: string } | null>,
 *   connect?: (transport: any) => Promise<void> }} deps
 */
export function createSessions({ identity, tools, idleMs, authorize, connect = (t) => createMcpServer(identity, tools).connect(t) }) {
  /** @type {Map<string, { transport: any, lastSeen: number }>} */
  const streamable = new Map();
  /** @type {Map<string, any>} */
  const sse = new Map();

  const reaper = setInterval(() => {
    const cutoff = Date.now() - idleMs;
    for (const [id, s] of streamable) {
      if (s.lastSeen < cutoff) {
        streamable.delete(id);
        s.transport.close().catch(() => {});
      }
    }
  }, Math.min(60_000, Math.max(1000, idleMs / 4)));
  reaper.unref();

  const json = (res, status, body, headers = {}) => {
    res.writeHead(status, { ...headers, 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const rpcError = (res, status, message) =>
    json(res, status, { jsonrpc: '2.0', error: { code: -32000, message }, id: null });

  async function handleMcp(req, res) {
    const sid = req.headers['mcp-session-id'];
    if (typeof sid === 'string') {
      const s = streamable.get(sid);
      if (!s) return rpcError(res, 404, 'Session not found');
      s.lastSeen = Date.now();
      return s.transport.handleRequest(req, res);
    }
    if (req.method !== 'POST') return rpcError(res, 400, 'Bad Request: no session id');
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => streamable.set(id, { transport, lastSeen: Date.now() }),
    });
    transport.onclose = () => {
      if (transport.sessionId) streamable.delete(transport.sessionId);
    };
    await connect(transport);
    return transport.handleRequest(req, res);
  }

  async function handleSse(req, res) {
    const transport = new SSEServerTransport('/messages', res);
    sse.set(transport.sessionId, transport);
    res.on('close', () => sse.delete(transport.sessionId));
    await connect(transport);
  }

  async function handleMessages(req, res, url) {
    const transport = sse.get(url.searchParams.get('sessionId') ?? '');
    if (!transport) return rpcError(res, 404, 'Session not found');
    return transport.handlePostMessage(req, res);
  }

  return {
    /** @param {import('node:http').IncomingMessage} req @param {import('node:http').ServerResponse} res */
    async route(req, res) {
      const url = new URL(req.url ?? '/', 'http://child');
      if (MCP_PATHS.has(url.pathname)) {
        const refusal = await authorize(req);
        if (refusal) {
          return json(res, refusal.status, { jsonrpc: '2.0', error: { code: -32001, message: refusal.message }, id: null }, refusal.headers);
        }
      }
      if (url.pathname === '/mcp') return handleMcp(req, res);
      if (url.pathname === '/sse' && req.method === 'GET') return handleSse(req, res);
      if (url.pathname === '/messages' && req.method === 'POST') return handleMessages(req, res, url);
      if (url.pathname === '/healthz') {
        return json(res, 200, {
          status: 'ok',
          server_id: identity.id,
          uptime: (Date.now() - identity.startedAt) / 1000,
          connections: streamable.size + sse.size,
        });
      }
      json(res, 404, { error: 'not found' });
    },
    closeAll() {
      for (const s of streamable.values()) s.transport.close().catch(() => {});
      for (const t of sse.values()) t.close().catch(() => {});
      log.info('sessions closed', { count: streamable.size + sse.size });
    },
  };
}
