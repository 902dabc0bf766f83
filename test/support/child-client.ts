import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connect, type Transport } from './forge-fixture.js';

/**
 * An MCP client straight on a child (not through the forge), with the child's token when
 * create_server returned one: children.require_token is forced on where a child's port is
 * reachable beyond loopback (a non-loopback children.host_ip, every swarm).
 */
export function connectChild(created: { server: { port: number }; token?: string | null }, transport: Transport = 'streamable'): Promise<Client> {
  return connect(`http://127.0.0.1:${created.server.port}`, transport, created.token ?? undefined);
}
