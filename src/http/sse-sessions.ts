import type { Context } from 'koa';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';

/** Legacy HTTP+SSE: GET /sse opens a stream and names its POST endpoint, /messages?sessionId=… (or `messagesPath`). */
export class SseSessions {
  private readonly sessions = new Map<string, { transport: SSEServerTransport; owner: string }>();

  constructor(
    private readonly newServer: () => Server,
    private readonly messagesPath = '/messages',
  ) {}

  get size(): number {
    return this.sessions.size;
  }

  async open(ctx: Context): Promise<void> {
    ctx.respond = false;
    const transport = new SSEServerTransport(this.messagesPath, ctx.res);
    this.sessions.set(transport.sessionId, { transport, owner: ctx.state.caller?.name ?? 'anonymous' });
    ctx.res.on('close', () => this.sessions.delete(transport.sessionId));
    await this.newServer().connect(transport);
  }

  async post(ctx: Context): Promise<void> {
    const session = this.sessions.get(String(ctx.query.sessionId ?? ''));
    // A session answers only the token that opened it.
    if (!session || session.owner !== (ctx.state.caller?.name ?? 'anonymous')) {
      ctx.status = 404;
      ctx.body = { jsonrpc: '2.0', error: { code: -32000, message: 'Session not found' }, id: null };
      return;
    }
    ctx.respond = false;
    await session.transport.handlePostMessage(ctx.req, ctx.res);
  }

  async closeAll(): Promise<void> {
    const all = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(all.map((s) => s.transport.close().catch(() => undefined)));
  }
}
