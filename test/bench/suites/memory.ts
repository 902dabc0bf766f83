import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { call, connect } from '../../support/forge-fixture.js';
import { buildDist } from '../../support/host.js';
import { testConfig } from '../../support/test-env.js';
import { row, type BenchRow } from '../support/bench-row.js';
import { FORGE_PORTS } from '../support/bench-forge.js';
import { startForgeProcess } from '../support/forge-process.js';
import { rawBareNode, removeContainers } from '../support/raw-docker.js';
import { containerNodeRssMiB, rssMiB } from '../support/rss.js';
import { inBatches, median } from '../support/stats.js';

export const title = 'memory: forge RSS idle and with 50 children; children RSS';

const CHILDREN = 50;

/** RSS of a bare Node HTTP server on the host: the floor any Node service starts from. */
async function bareNodeRss(): Promise<number> {
  const proc = spawn(process.execPath, ['-e', "require('http').createServer((q, s) => s.end()).listen(0, '127.0.0.1', () => console.log('up'))"], { stdio: ['ignore', 'pipe', 'inherit'] });
  try {
    await once(proc.stdout!, 'data');
    return await rssMiB(proc.pid!);
  } finally {
    proc.kill();
  }
}

/**
 * The forge runs as its own process from dist/ (what the compose image runs). RSS is read
 * from /proc on the host, for the forge and for the Node process inside each child.
 */
export async function run(): Promise<BenchRow[]> {
  await buildDist();
  const config = testConfig({ children: { port_range_start: FORGE_PORTS.start, port_range_end: FORGE_PORTS.end } });
  const forge = await startForgeProcess(config);
  const client = await connect(forge.url);
  try {
    const idle = await rssMiB(forge.pid);
    const bare = await bareNodeRss();

    const created = await inBatches(
      Array.from({ length: CHILDREN }, (_, i) => () => call(client, 'create_server', { name: `bench-mem-${i}` })),
      5,
    );
    const servers = created.filter((r) => r?.status === 'success').map((r) => r.server);
    await call(client, 'list_servers', { include_details: true });
    const loaded = await rssMiB(forge.pid);

    const childRss = await Promise.all(servers.map((s) => containerNodeRssMiB(s.container_id)));
    const image = servers[0]?.image ?? config.images.child_base;
    const bareChild = await rawBareNode(image);
    const bareChildRss = await containerNodeRssMiB(bareChild);
    await removeContainers([bareChild]);

    return [
      row('forge RSS, idle', idle, bare, 'MiB', 'node dist/cli/forge.js; baseline: a bare Node HTTP server'),
      row(`forge RSS with ${servers.length} children`, loaded, idle, 'MiB', `after creating them (${CHILDREN - servers.length} failed) and a detailed list_servers; baseline: forge idle`),
      row('child RSS, median', median(childRss), bareChildRss, 'MiB', `over ${childRss.length} children; baseline: bare Node HTTP server in the same image`),
      row('child RSS, max', Math.max(...childRss), bareChildRss, 'MiB', `over ${childRss.length} children`),
    ];
  } finally {
    const left = (await call(client, 'list_servers')).servers as Array<{ id: string }>;
    await inBatches(left.map((s) => () => call(client, 'delete_server', { server_id: s.id })), 5);
    await client.close();
    await forge.stop();
  }
}
