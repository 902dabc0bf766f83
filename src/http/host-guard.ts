import type { Middleware } from 'koa';

const LOOPBACK = ['localhost', '127.0.0.1', '[::1]', '::1'];

/** The hostname of a Host header, without port, lower-case ("[::1]:9000" gives "[::1]"). */
export function hostnameOf(header: string | undefined): string | null {
  if (!header) return null;
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end > 0 ? h.slice(0, end + 1) : null;
  }
  return h.split(':')[0] || null;
}

/** The names a request may address the forge by: the loopback names, the bound address, `allowed_hosts`. */
export function ourHostnames(boundHost: string, allowedHosts: string[]): Set<string> {
  const allowed = new Set([...LOOPBACK, ...allowedHosts.map((h) => h.toLowerCase())]);
  if (!['0.0.0.0', '::'].includes(boundHost)) allowed.add(boundHost.includes(':') ? `[${boundHost}]` : boundHost.toLowerCase());
  return allowed;
}

/**
 * DNS-rebinding protection: a request whose Host header is not one of ours is refused with
 * 403 before it reaches MCP. Ours: the loopback names, the bound address, `allowed_hosts`.
 */
export function hostGuard(boundHost: string, allowedHosts: string[]): Middleware {
  const allowed = ourHostnames(boundHost, allowedHosts);
  return async (ctx, next) => {
    const host = hostnameOf(ctx.get('host'));
    if (!host || !allowed.has(host)) {
      ctx.status = 403;
      ctx.body = { jsonrpc: '2.0', error: { code: -32000, message: `Host "${ctx.get('host')}" is not allowed` }, id: null };
      return;
    }
    await next();
  };
}
