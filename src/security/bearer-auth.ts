import { timingSafeEqual } from 'node:crypto';
import type { Middleware } from 'koa';
import type { AuthToken } from '../config/forge-config.js';
import { ANONYMOUS, toAuthInfo, type Caller } from './caller.js';
import { digestBytes, presentedDigest } from './secret-digest.js';

/**
 * Finds the token's owner by comparing digests in constant time per token (no early exit).
 * Stored tokens are digests (saved settings) or plain (config file, environment): both compare as digests.
 */
export function matchToken(presented: string, tokens: AuthToken[]): Caller | null {
  const given = presentedDigest(presented);
  let found: Caller | null = null;
  for (const t of tokens) {
    if (timingSafeEqual(given, digestBytes(t.token)) && !found) found = { name: t.name, role: t.role };
  }
  return found;
}

/** All tokens the config grants, the admin token included. */
export function configuredTokens(auth: { admin_token: string | null; tokens: AuthToken[] }): AuthToken[] {
  return [...(auth.admin_token ? [{ name: 'admin', token: auth.admin_token, role: 'admin' as const }] : []), ...auth.tokens];
}

/**
 * Bearer authentication. With no tokens configured (loopback only, enforced by the config)
 * every caller is the anonymous admin. The caller goes to `ctx.state.caller` and, for the
 * MCP transports, to `req.auth`, which the SDK hands to request handlers as `authInfo`.
 */
export function bearerAuth(tokens: () => AuthToken[]): Middleware {
  return async (ctx, next) => {
    const all = tokens();
    let caller: Caller | null = ANONYMOUS;
    if (all.length > 0) {
      const header = ctx.get('authorization');
      const presented = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      caller = presented ? matchToken(presented, all) : null;
      if (!caller) {
        ctx.status = 401;
        ctx.set('WWW-Authenticate', `Bearer realm="mcp-forge"${presented ? ', error="invalid_token"' : ''}`);
        ctx.body = { status: 'error', error: { code: 'unauthorized', message: presented ? 'invalid bearer token' : 'a bearer token is required' } };
        return;
      }
    }
    ctx.state.caller = caller;
    (ctx.req as typeof ctx.req & { auth?: unknown }).auth = toAuthInfo(caller);
    await next();
  };
}
