import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';
import { ForgeError } from '../errors/forge-error.js';

/** The roles a token can have (`use`: also calls children's tools through the gateway); AuthInfo carries the role as its one scope. */
export const ROLES = ['admin', 'use', 'read'] as const;
export type Role = (typeof ROLES)[number];

/** Who is calling: a token's name and role; `anonymous` admin when authentication is off. */
export interface Caller {
  name: string;
  role: Role;
}

/** The caller when no token is configured (loopback only): the HTTP layer passes it explicitly. */
export const ANONYMOUS: Caller = { name: 'anonymous', role: 'admin' };

/** Token names the forge uses itself: `admin` (auth.admin_token) and `anonymous` (no authentication). */
export const RESERVED_TOKEN_NAMES: readonly string[] = ['admin', 'anonymous'];

/** The AuthInfo the HTTP layer hands to the SDK transports (request.auth) for a caller. */
export function toAuthInfo(caller: Caller): AuthInfo {
  return { token: '[redacted]', clientId: caller.name, scopes: [caller.role] };
}

/**
 * The caller of an MCP request, from the AuthInfo the transport passed along. Fails closed: a
 * request that reached MCP without auth info (or with a role the forge does not know) is refused.
 */
export function callerOf(authInfo: AuthInfo | undefined): Caller {
  const role = ROLES.find((r) => authInfo?.scopes.includes(r));
  if (!authInfo || !role) throw new ForgeError('unauthorized', 'request without authentication: refused');
  return { name: authInfo.clientId, role };
}
