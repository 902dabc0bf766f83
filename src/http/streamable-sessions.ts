import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { Logger } from '../logging/logger.js';

interface Session {
  transport: StreamableHTTPServerTransport;
  lastSeen: number;
  /** The caller that opened it; another token cannot use it. */
  owner: string;
}

/**
 * Streamable HTTP at /mcp: one transport and one MCP server per session id. Clients rarely
 * send DELETE, so sessions idle longer than `idleMs` are closed by a reaper.
 */
export class StreamableSessions {
  private readonly sessions = new Map<string, Session>();
  private readonly reaper: NodeJS.Timeout;

  constructor(
    private readonly newServer: () => Server,
    private readonly idleMs: number,
    private readonly log: Logger,
  ) {
    this.reaper = setInterval(() => this.reap(), Math.min(60_000, Math.max(1_000, idleMs / 4)));
    this.reaper.unref();
  }

  get size(): number {
    return this.sessions.size;
  }

  async handle(ctx: Context): Promise<void> {
    const sid = ctx.get('mcp-session-id');
    const owner: string = ctx.state.caller?.name ?? 'anonymous';
    if (sid) {
      const session = this.sessions.get(sid);
      if (!session || session.owner !== owner) return reject(ctx, 404, 'Session not found');
      session.lastSeen = Date.now();
      ctx.respond = false;
      return session.transport.handleRequest(ctx.req, ctx.res, ctx.state.body);
    }
    if (ctx.method !== 'POST') return reject(ctx, 400, 'Bad Request: Mcp-Session-Id header is required');
    // A POST without a session must be an initialize; the transport itself refuses anything else.
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => {
        this.sessions.set(id, { transport, lastSeen: Date.now(), owner });
        this.log.debug({ session: id, open: this.sessions.size }, 'session opened');
      },
    });
    transport.onclose = () => {
      if (transport.sessionId && this.sessions.delete(transport.sessionId)) {
        this.log.debug({ session: transport.sessionId, open: this.sessions.size }, 'session closed');
      }
    };
    await this.newServer().connect(transport);
    ctx.respond = false;
    await transport.handleRequest(ctx.req, ctx.res, ctx.state.body);
  }

  reap(now = Date.now()): number {
    let closed = 0;
    for (const [id, session] of this.sessions) {
      if (now - session.lastSeen < this.idleMs) continue;
      this.sessions.delete(id);
      session.transport.close().catch(() => undefined);
      closed++;
    }
    if (closed) this.log.info({ closed, open: this.sessions.size }, 'reaped idle sessions');
    return closed;
  }

  async closeAll(): Promise<void> {
    clearInterval(this.reaper);
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.transport.close().catch(() => undefined)));
  }
}

function reject(ctx: Context, status: number, message: string) {
  ctx.status = status;
  ctx.body = { jsonrpc: '2.0', error: { code: -32000, message }, id: null };
}
