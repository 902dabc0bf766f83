import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ForgeConfig } from '../../src/config/forge-config.js';
import type { DeepPartial } from '../../src/config/load-config.js';
import { Forge } from '../../src/forge.js';
import { childNetwork, internalNetwork } from '../../src/servers/child-spec.js';
import type { Logger } from '../../src/logging/logger.js';
import { docker } from './docker-leaks.js';
import { TEST_LABEL_FILTER, testConfig } from './test-env.js';

export type Transport = 'streamable' | 'sse';

/**
 * An MCP client (the official SDK) on a forge or child base URL. `auth` is a bearer token, or
 * headers sent with every request (e.g. a Basic Authorization for a child).
 */
export async function connect(baseUrl: string, transport: Transport = 'streamable', auth?: string | Record<string, string>): Promise<Client> {
  const client = new Client({ name: 'mcp-forge-tests', version: '1.0.0' });
  const headers: Record<string, string> = typeof auth === 'string' ? { Authorization: `Bearer ${auth}` } : (auth ?? {});
  await client.connect(
    transport === 'sse'
      ? new SSEClientTransport(new URL(`${baseUrl}/sse`), {
          requestInit: { headers },
          eventSourceInit: { fetch: (url, init) => fetch(url, { ...init, headers: { ...(init?.headers as Record<string, string>), ...headers } }) },
        })
      : new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`), { requestInit: { headers } }),
  );
  return client;
}

/** Calls a tool and returns its structuredContent (the API's JSON). */
export async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<any> {
  const result = await client.callTool({ name, arguments: args });
  return result.structuredContent;
}

/** A started forge with a connected client; `stop` deletes its servers through the API, then closes. */
export interface ForgeHandle {
  forge: Forge;
  config: ForgeConfig;
  client: Client;
  call(name: string, args?: Record<string, unknown>): Promise<any>;
  stop(options?: { keepServers?: boolean }): Promise<void>;
}

export async function startForge(
  overrides: DeepPartial<ForgeConfig> = {},
  transport: Transport = 'streamable',
  options: { log?: Logger } = {},
): Promise<ForgeHandle> {
  return attach(await Forge.start(testConfig(overrides), options), transport);
}

/** A forge on an exact config: the same data directory and instance id again is a forge restart. */
export async function startForgeWith(config: ForgeConfig, transport: Transport = 'streamable'): Promise<ForgeHandle> {
  return attach(await Forge.start(config), transport);
}

/** A handle on a started forge (e.g. one started again on an earlier handle's config and data). */
export async function attach(forge: Forge, transport: Transport = 'streamable'): Promise<ForgeHandle> {
  const config = forge.config;
  const client = await connect(forge.url, transport, config.auth.admin_token ?? config.auth.tokens.find((t) => t.role === 'admin')?.token);
  return {
    forge,
    config,
    client,
    call: (name, args) => call(client, name, args),
    async stop({ keepServers = false } = {}) {
      if (!keepServers) {
        for (const s of forge.registry.list()) await call(client, 'delete_server', { server_id: s.id });
      }
      await client.close();
      await forge.stop();
      // A forge's own children network: Docker has address pools for only ~30 networks, and a
      // test run starts dozens of forges. In use (servers kept), it stays for the final sweep.
      if (!keepServers) {
        for (const name of [childNetwork(config, forge.registry.instanceId), internalNetwork(config, forge.registry.instanceId)]) {
          if (name) await docker.getNetwork(name).remove().catch(() => undefined);
        }
      }
    },
  };
}

/**
 * Removes what test forges leave by design once their servers are deleted: images (shared by
 * content) and the children's networks (kept while a forge is stopped). Both carry the run's label.
 */
export async function removeTestImages(): Promise<void> {
  const filters = { label: [TEST_LABEL_FILTER] };
  // An image other test images were built FROM goes only after them: remove in passes until none is left.
  for (let pass = 0; pass < 5; pass++) {
    const images = await docker.listImages({ filters });
    if (images.length === 0) break;
    const failed: Error[] = [];
    for (const image of images) await docker.getImage(image.Id).remove({ force: true }).catch((err: Error) => failed.push(err));
    if (failed.length === images.length) throw failed[0];
  }
  for (const network of await docker.listNetworks({ filters })) await docker.getNetwork(network.Id).remove();
}
