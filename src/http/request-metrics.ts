import type { Context, Middleware } from 'koa';

/** Where request counts and latencies go (ForgeMetrics). */
export interface RequestObserver {
  observeRequest(method: string, route: string, status: number, seconds: number): void;
}

/**
 * Counts every request with its route pattern (not the raw path, which would make a label per
 * session id or probe) and its latency. MCP routes answer on the raw response (`respond = false`),
 * so their status is read there.
 */
export function requestMetrics(observer: RequestObserver): Middleware {
  return async (ctx: Context, next) => {
    const started = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const route = typeof ctx._matchedRoute === 'string' ? ctx._matchedRoute : 'unmatched';
      const status = ctx.respond === false ? ctx.res.statusCode : ctx.status;
      observer.observeRequest(ctx.method, route, status, Number(process.hrtime.bigint() - started) / 1e9);
    }
  };
}
