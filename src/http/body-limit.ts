import type { Middleware } from 'koa';

/**
 * Refuses bodies larger than the limit with 413 before anything reads them. Bodies without a
 * Content-Length (chunked) are capped by the SDK transports' own 4 MB limit.
 */
export function bodyLimit(maxBytes: () => number): Middleware {
  return async (ctx, next) => {
    const length = Number(ctx.get('content-length') || 0);
    if (length > maxBytes()) {
      ctx.status = 413;
      ctx.body = { status: 'error', error: { code: 'invalid_request', message: `request body of ${length} bytes exceeds the limit of ${maxBytes()}` } };
      return;
    }
    await next();
  };
}
