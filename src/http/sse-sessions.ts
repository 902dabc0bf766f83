import type { Context } from 'koa';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';

/** Legacy HTTP+SSE: GET /sse opens a stream and names its POST endpoint, /messages?sessionId=…. */
export class SseSessions {
  private readonly sessions = new Map<string, SSEServerTransport>();

  constructor(private readonly newServer: () => Server) {}

  get size(): number {
    return this.sessions.size;
  }

  async open(ctx: Context): Promise<void> {
    ctx.respond = false;
    const transport = new SSEServerTransport('/messages', ctx.res);
    this.sessions.set(transport.sessionId, transport);
    ctx.res.on('close', () => this.sessions.delete(transport.sessionId));
    await this.newServer().connect(transport);
  }

  async post(ctx: Context): Promise<void> {
    const transport = this.sessions.get(String(ctx.query.sessionId ?? ''));
    if (!transport) {
      ctx.status = 404;
      ctx.body = { jsonrpc: '2.0', error: { code: -32000, message: 'Session not found' }, id: null };
      return;
    }
    ctx.respond = false;
    await transport.handlePostMessage(ctx.req, ctx.res);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((t) => t.close().catch(() => undefined)));
  }
}
