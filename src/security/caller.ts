import type { AuthInfo } from '@modelcontextprotocol/sdk/server/auth/types.js';

/** Who is calling: a token's name and role; `anonymous` admin when authentication is off. */
export interface Caller {
  name: string;
  /** `use`: also calls children's tools through the gateway. */
  role: 'admin' | 'use' | 'read';
}

export const ANONYMOUS: Caller = { name: 'anonymous', role: 'admin' };

/** The AuthInfo the HTTP layer hands to the SDK transports (request.auth) for a caller. */
export function toAuthInfo(caller: Caller): AuthInfo {
  return { token: '[redacted]', clientId: caller.name, scopes: [caller.role] };
}

/** The caller of an MCP request, from the AuthInfo the transport passed along. */
export function callerOf(authInfo: AuthInfo | undefined): Caller {
  if (!authInfo) return ANONYMOUS;
  return { name: authInfo.clientId, role: authInfo.scopes.includes('admin') ? 'admin' : authInfo.scopes.includes('use') ? 'use' : 'read' };
}
