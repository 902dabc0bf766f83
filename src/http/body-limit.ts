import type { Context, Middleware } from 'koa';

/**
 * Reads a POST body up to the limit, counting the bytes as they stream (Content-Length may be
 * absent, chunked, or wrong), and hands it on parsed as `ctx.state.body` for the MCP
 * transports, and as read as `ctx.state.rawBody` (the proxy sends those bytes on to a child:
 * the request stream is spent). Over the limit: 413 at once.
 */
export function bodyLimit(maxBytes: () => number): Middleware {
  return async (ctx, next) => {
    const max = maxBytes();
    const declared = Number(ctx.get('content-length') || 0);
    // Declared too big: refused unread (Node discards the body after the answer, as for any unread body).
    if (declared > max) return tooLarge(ctx, `request body of ${declared} bytes exceeds the limit of ${max}`);
    if (ctx.method !== 'POST') return next();
    const body = await readBounded(ctx, max);
    if (body === null) {
      // A stream that does not say its size may not end: the connection goes after the answer.
      ctx.set('Connection', 'close');
      return tooLarge(ctx, `request body exceeds the limit of ${max} bytes`);
    }
    ctx.state.rawBody = body;
    try {
      ctx.state.body = JSON.parse(body.toString('utf8'));
    } catch {
      ctx.status = 400;
      ctx.body = { jsonrpc: '2.0', error: { code: -32700, message: 'Parse error: the body is not JSON' }, id: null };
      return;
    }
    await next();
  };
}

/** The body, or null as soon as it passes `max` bytes (the rest is discarded unread). */
function readBounded(ctx: Context, max: number): Promise<Buffer | null> {
  const req = ctx.req;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    const onData = (chunk: Buffer) => {
      total += chunk.length;
      if (total <= max) return void chunks.push(chunk);
      req.off('data', onData).off('end', onEnd).off('error', reject);
      req.resume();
      resolve(null);
    };
    const onEnd = () => resolve(Buffer.concat(chunks));
    req.on('data', onData).once('end', onEnd).once('error', reject);
  });
}

function tooLarge(ctx: Context, message: string) {
  ctx.status = 413;
  ctx.body = { status: 'error', error: { code: 'invalid_request', message } };
}
