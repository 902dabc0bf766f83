import type { Middleware } from 'koa';
import { ourHostnames } from './host-guard.js';

/** The hostname of an Origin header as the Host guard writes names ("http://[::1]:8080" gives "[::1]"), or null. */
function originHostname(origin: string): string | null {
  try {
    const url = new URL(origin);
    return ['http:', 'https:'].includes(url.protocol) && url.hostname ? url.hostname.toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * Browsers send Origin on cross-site requests; the MCP specification asks servers to check it.
 * No Origin (a non-browser client) passes; a present one must name one of the forge's own
 * hosts (loopback, the bound address, `allowed_hosts`), else 403 before authentication.
 */
export function originGuard(boundHost: string, allowedHosts: string[]): Middleware {
  const allowed = ourHostnames(boundHost, allowedHosts);
  return async (ctx, next) => {
    const origin = ctx.get('origin');
    const host = origin ? originHostname(origin) : null;
    if (origin && (!host || !allowed.has(host))) {
      ctx.status = 403;
      ctx.body = { jsonrpc: '2.0', error: { code: -32000, message: `Origin "${origin.slice(0, 200)}" is not allowed` }, id: null };
      return;
    }
    await next();
  };
}
