/** Where the forge forwards a proxied request: one child's base URL and the headers that admit the forge. */
export interface ProxyTarget {
  serverId: string;
  name: string;
  /** Base URL, e.g. http://127.0.0.1:9003 (the child serves /mcp, /sse and /messages under it). */
  url: string;
  /** The child's credential as the forge presents it (Authorization), never the caller's. */
  headers: Record<string, string>;
}

/** Why a path names no target: the proxy answers it as a JSON-RPC error with this status. */
export class ProxyRefusal extends Error {
  override name = 'ProxyRefusal';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** What the proxy needs to know of the forge's servers and groups (wired in forge.ts). */
export interface ProxyTargets {
  /** A running server by name or id; throws ProxyRefusal (404 unknown, 409 not running). */
  server(ref: string): ProxyTarget;
  /** Running members of a group that may take new work; throws ProxyRefusal (404 unknown group). */
  members(group: string): ProxyTarget[];
}
