import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { ForgeConfig } from '../../src/config/forge-config.js';
import type { DeepPartial } from '../../src/config/load-config.js';
import { Forge } from '../../src/forge.js';
import { docker } from './docker-leaks.js';
import { TEST_LABEL_FILTER, testConfig } from './test-env.js';

export type Transport = 'streamable' | 'sse';

/** An MCP client (the official SDK) on a forge or child base URL. */
export async function connect(baseUrl: string, transport: Transport = 'streamable'): Promise<Client> {
  const client = new Client({ name: 'mcp-forge-tests', version: '1.0.0' });
  await client.connect(
    transport === 'sse'
      ? new SSEClientTransport(new URL(`${baseUrl}/sse`))
      : new StreamableHTTPClientTransport(new URL(`${baseUrl}/mcp`)),
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

export async function startForge(overrides: DeepPartial<ForgeConfig> = {}, transport: Transport = 'streamable'): Promise<ForgeHandle> {
  return startForgeWith(testConfig(overrides), transport);
}

/** A forge on an exact config: the same data directory and instance id again is a forge restart. */
export async function startForgeWith(config: ForgeConfig, transport: Transport = 'streamable'): Promise<ForgeHandle> {
  const forge = await Forge.start(config);
  const client = await connect(forge.url, transport);
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
    },
  };
}

/** Removes the images test forges built: they carry the run's label (and live in the run's own repository). */
export async function removeTestImages(): Promise<void> {
  const images = await docker.listImages({ filters: { label: [TEST_LABEL_FILTER] } });
  for (const image of images) await docker.getImage(image.Id).remove({ force: true });
}
