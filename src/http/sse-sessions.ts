import type { Context } from 'koa';
import type { Server } from '@modelcontextprotocol/sdk/server/index.js';
import { SSEServerTransport } from '@modelcontextprotocol/sdk/server/sse.js';
import { refusalBody, type SessionTable } from './session-table.js';

/**
 * Legacy HTTP+SSE: GET /sse opens a stream and names its POST endpoint, /messages?sessionId=… (or `messagesPath`).
 * Sessions live in the forge's session table: capped, owner-checked, idle-reaped (a POST counts as use).
 */
export class SseSessions {
  constructor(
    private readonly newServer: () => Server,
    private readonly table: SessionTable,
    /** Where the stream tells the client to POST (the gateway's SSE uses its own). */
    private readonly messagesPath = '/messages',
  ) {}

  get size(): number {
    return this.table.count('sse');
  }

  async open(ctx: Context): Promise<void> {
    const slot = this.table.reserve(ctx.state.caller.name, 'sse');
    if ('status' in slot) {
      ctx.status = slot.status;
      ctx.body = refusalBody(slot.message);
      return;
    }
    ctx.respond = false;
    const transport = new SSEServerTransport(this.messagesPath, ctx.res);
    ctx.res.on('close', () => (slot.release(), this.table.remove(transport.sessionId)));
    try {
      await this.newServer().connect(transport);
    } catch (err) {
      slot.release();
      throw err;
    }
    // Before any I/O callback: the client cannot have POSTed to the endpoint yet.
    if (ctx.res.destroyed) return slot.release();
    slot.open(transport.sessionId, transport, () => transport.close());
  }

  async post(ctx: Context): Promise<void> {
    const transport = this.table.use<SSEServerTransport>(String(ctx.query.sessionId ?? ''), ctx.state.caller.name, 'sse');
    if (!transport) {
      ctx.status = 404;
      ctx.body = refusalBody('Session not found');
      return;
    }
    ctx.respond = false;
    await transport.handlePostMessage(ctx.req, ctx.res, ctx.state.body);
  }
}
