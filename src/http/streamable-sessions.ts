import { randomUUID } from 'node:crypto';
import type { Context } from 'koa';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { refusalBody, type SessionTable } from './session-table.js';

/** Streamable HTTP at /mcp: one transport and one MCP server per session id, kept in the forge's session table. */
export class StreamableSessions {
  constructor(
    private readonly newServer: () => Server,
    private readonly table: SessionTable,
  ) {}

  get size(): number {
    return this.table.count('streamable');
  }

  async handle(ctx: Context): Promise<void> {
    const sid = ctx.get('mcp-session-id');
    const owner: string = ctx.state.caller.name;
    if (sid) {
      const transport = this.table.use<StreamableHTTPServerTransport>(sid, owner, 'streamable');
      if (!transport) return reject(ctx, 404, 'Session not found');
      ctx.respond = false;
      return transport.handleRequest(ctx.req, ctx.res, ctx.state.body);
    }
    if (ctx.method !== 'POST') return reject(ctx, 400, 'Bad Request: Mcp-Session-Id header is required');
    const slot = this.table.reserve(owner, 'streamable');
    if ('status' in slot) return reject(ctx, slot.status, slot.message);
    // A POST without a session must be an initialize; the transport itself refuses anything else.
    const transport: StreamableHTTPServerTransport = new StreamableHTTPServerTransport({
      sessionIdGenerator: () => randomUUID(),
      onsessioninitialized: (id) => slot.open(id, transport, () => transport.close()),
    });
    transport.onclose = () => transport.sessionId && this.table.remove(transport.sessionId);
    try {
      await this.newServer().connect(transport);
      ctx.respond = false;
      await transport.handleRequest(ctx.req, ctx.res, ctx.state.body);
    } finally {
      slot.release();
    }
  }
}

function reject(ctx: Context, status: number, message: string) {
  ctx.status = status;
  ctx.body = refusalBody(message);
}
