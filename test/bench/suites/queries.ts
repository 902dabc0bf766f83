import { readFile, writeFile } from 'node:fs/promises';
import type { RegistryData, ServerRecord } from '../../../src/registry/server-record.js';
import { DockerRuntime } from '../../../src/runtime/docker/docker-runtime.js';
import { instanceFilter } from '../../../src/runtime/labels.js';
import { newServerId } from '../../../src/servers/server-id.js';
import { row, type BenchRow } from '../support/bench-row.js';
import { benchForge } from '../support/bench-forge.js';
import { median, percentile, timed } from '../support/stats.js';
import { call, connect } from '../../support/forge-fixture.js';

export const title = 'list_servers with 500 registry entries; MCP tool-call round trip';

const CALLS = 300;
const ENTRIES = 500;

/** `count` registry entries without containers, shaped like `model` (statuses still come from one listing). */
function syntheticEntries(model: ServerRecord, count: number): ServerRecord[] {
  const ids = new Set<string>();
  return Array.from({ length: count }, (_, i) => {
    const id = newServerId((candidate) => ids.has(candidate));
    ids.add(id);
    const name = `bench-entry-${i}`;
    return { ...model, id, name, port: 30000 + i, container_name: `mcp-forge-${name}`, container_id: null, status: 'error', error: 'bench entry without a container' };
  });
}

async function sample(fn: () => Promise<unknown>): Promise<number[]> {
  const ms: number[] = [];
  for (let i = 0; i < CALLS; i++) ms.push((await timed(fn)).ms);
  return ms;
}

export async function run(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  let forge = await benchForge();
  let serverId: string | undefined;
  try {
    const server = await forge.create({ name: 'bench-roundtrip' });
    serverId = server.id;
    const child = await connect(`http://127.0.0.1:${server.port}`);
    const forgeCall = await sample(() => forge.call('list_servers'));
    const childCall = await sample(() => call(child, 'echo', { message: 'ping' }));
    await child.close();
    rows.push(
      row('forge tool call round trip (list_servers, 1 server), median', median(forgeCall), median(childCall), 'ms', `n=${CALLS}; baseline: the child's echo tool call (same SDK and transport, no Docker)`),
      row('forge tool call round trip (list_servers, 1 server), p99', percentile(forgeCall, 99), percentile(childCall, 99), 'ms', `n=${CALLS}`),
    );

    // Entries written straight into the registry file while the forge is down, then a new start.
    await forge.stop({ keepServers: true });
    const file = forge.forge.registry.file;
    const data = JSON.parse(await readFile(file, 'utf8')) as RegistryData;
    data.servers.push(...syntheticEntries(data.servers[0]!, ENTRIES - data.servers.length));
    await writeFile(file, JSON.stringify(data));
    forge = await benchForge({}, forge.config);

    const listMs = await sample(() => forge.call('list_servers'));
    const count = (await forge.call('list_servers')).count;
    const runtime = new DockerRuntime(forge.config.docker.socket_path);
    const listing = await sample(() => runtime.children.list(instanceFilter(forge.forge.registry.instanceId).label));
    rows.push(
      row(`list_servers with ${count} entries, median`, median(listMs), median(listing), 'ms', `n=${CALLS}; baseline: the one Docker container listing it makes`),
      row(`list_servers with ${count} entries, p99`, percentile(listMs, 99), percentile(listing, 99), 'ms', `n=${CALLS}`),
    );
    return rows;
  } finally {
    if (serverId) await forge.call('delete_server', { server_id: serverId }).catch(() => undefined);
    await forge.stop({ keepServers: true });
  }
}
