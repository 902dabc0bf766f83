import { expect } from 'chai';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { packageRoot } from '../../src/config/paths.js';
import { call, connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { until } from '../support/poll.js';
import { RUN_ID } from '../support/test-env.js';
import { clusterEnv, dockerCli, serviceTasks, stopNodeDaemon, type ClusterNode } from './cluster-env.js';

/**
 * Forges with runtime.kind swarm on the cluster run.sh built: a child placed on each worker
 * answers real MCP through the forge's gateway and directly at that worker's address, its stats
 * are read through runtime.node_engines, and when the worker running a child loses its daemon,
 * Swarm reschedules the task on another worker and the forge follows it (node, address, gateway).
 */
const { nodes, registry } = clusterEnv();
const byHostname = (hostname: string) => nodes.find((n) => n.hostname === hostname);

/** Where the forge says a server runs: its node's hostname and the address its port answers at. */
function placementOf(server: any): { node: string | null; address: string | null } {
  const node = typeof server.node === 'string' ? server.node : (server.node?.name ?? server.node?.hostname ?? null);
  return { node, address: server.host_address ?? server.node?.address ?? server.address ?? null };
}

describe('cluster: forges on the swarm', function () {
  const forges: ForgeHandle[] = [];
  const clients: Client[] = [];

  before(function () {
    if (!existsSync(path.join(packageRoot, 'src/runtime/swarm/swarm-runtime.ts'))) {
      console.log('    (skipped: no swarm runtime in this checkout, src/runtime/swarm/ — merge branch swarm)');
      this.skip();
    }
  });

  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    for (const f of forges) await f.stop().catch((err) => console.log(`    forge stop: ${(err as Error).message}`));
    const left = await dockerCli(null, 'service', 'ls', '--format', '{{.Name}}', '--filter', `label=io.mcp-forge.test=${RUN_ID}`);
    if (left) await dockerCli(null, 'service', 'rm', ...left.split('\n'));
    expect(left, 'services of this run left after the forges deleted their servers (now removed)').to.equal('');
  });

  /** A forge whose children go where `placement` says; every worker's engine named for stats. */
  const forgeFor = async (placement: string[]) => {
    const handle = await startForge({
      runtime: { kind: 'swarm', registry, placement, node_engines: Object.fromEntries(nodes.map((n) => [n.hostname, n.engine])) },
      // Children are reached at their node's address: they must accept it as their Host.
      children: { allowed_hosts: nodes.map((n) => n.address), ready_timeout_s: 120 },
    });
    forges.push(handle);
    return handle;
  };
  /** create_server with room for a first pull on a worker (the SDK's default request timeout is 60 s). */
  const create = async (handle: ForgeHandle, name: string, description: string) => {
    const result = await handle.client.callTool({ name: 'create_server', arguments: { name, description } }, undefined, { timeout: 300_000 });
    const created = result.structuredContent as any;
    expect(created?.status, JSON.stringify(result).slice(0, 2000)).to.equal('success');
    return created;
  };
  const gatewayOf = async (handle: ForgeHandle) => {
    const client = await connect(`${handle.forge.url}/gateway`, 'streamable', handle.config.auth.admin_token ?? undefined);
    clients.push(client);
    return client;
  };
  const detailed = async (handle: ForgeHandle, id: string) =>
    ((await handle.call('list_servers', { include_details: true })).servers as any[]).find((s) => s.id === id);
  const echoAt = async (url: string, token: string | undefined, message: string) => {
    const child = await connect(url, 'streamable', token);
    try {
      return await call(child, 'echo', { message });
    } finally {
      await child.close();
    }
  };
  const gatewayEcho = async (handle: ForgeHandle, name: string, message: string) => {
    const client = await gatewayOf(handle);
    const result = await client.callTool({ name: `${name}__echo`, arguments: { message } });
    return result.structuredContent ?? result.content;
  };

  for (const node of nodes) {
    it(`places a child on ${node.name}: it answers through the gateway and at ${node.address}, stats through node_engines`, async () => {
      const handle = await forgeFor([`node.labels.mcp-forge.node==${node.name}`]);
      const name = `cl-${node.name}-${RUN_ID}`.slice(0, 40);
      const created = await create(handle, name, `placed on ${node.name}`);
      const server = created.server;
      const tasks = await serviceTasks(server.container_name);
      expect(tasks[0]).to.include({ node: node.hostname, desired: 'Running' });
      expect(tasks[0]!.current).to.match(/^Running/);
      expect(await dockerCli(node.engine, 'ps', '-q', '--filter', `label=com.docker.swarm.service.name=${server.container_name}`)).to.not.equal('');

      const seen = placementOf(await detailed(handle, server.id));
      expect(seen).to.deep.equal({ node: node.hostname, address: node.address });
      expect(JSON.stringify(await gatewayEcho(handle, name, 'via gateway'))).to.include('via gateway');
      expect(JSON.stringify(await echoAt(`http://${node.address}:${server.port}`, created.token, 'direct'))).to.include('direct');

      const stats = await handle.call('get_server_process_stats', { server_id: server.id });
      expect(stats.status, JSON.stringify(stats)).to.equal('success');
      expect(stats.process.memory_bytes).to.be.greaterThan(1024 * 1024);
      expect(stats.process.threads).to.be.greaterThan(0);
    });
  }

  it('follows a child whose worker loses its daemon: rescheduled on another worker, it answers again through the forge', async function () {
    if (nodes.length < 2) this.skip();
    const handle = await forgeFor(['node.labels.mcp-forge.pool==workers']);
    const name = `cl-move-${RUN_ID}`.slice(0, 40);
    const created = await create(handle, name, 'rescheduled when its node goes');
    const service = created.server.container_name;
    const first = byHostname((await serviceTasks(service))[0]!.node) as ClusterNode;
    expect(first, 'the task runs on a worker').to.not.equal(undefined);
    expect(JSON.stringify(await gatewayEcho(handle, name, 'before'))).to.include('before');

    const t0 = Date.now();
    await stopNodeDaemon(first);
    await until(`${first.hostname} to be Down`, async () =>
      (await dockerCli(null, 'node', 'inspect', '-f', '{{.Status.State}}', first.id)) === 'down' ? true : undefined, 60_000, 500);
    const downS = (Date.now() - t0) / 1000;
    const moved = await until(`the task of ${service} to run on another worker`, async () => {
      const task = (await serviceTasks(service)).find((t) => t.desired === 'Running' && t.current.startsWith('Running'));
      return task && task.node !== first.hostname ? byHostname(task.node) : undefined;
    }, 240_000, 1000);
    const movedS = (Date.now() - t0) / 1000;
    expect(moved, 'rescheduled on the other worker').to.not.equal(undefined);

    const seen = await until('the forge to report the new node and address', async () => {
      const p = placementOf(await detailed(handle, created.server.id));
      return p.node === moved!.hostname && p.address === moved!.address ? p : undefined;
    }, 60_000, 500);
    expect(seen).to.deep.equal({ node: moved!.hostname, address: moved!.address });
    const answer = await until('the child to answer again through the gateway', async () => {
      const text = JSON.stringify(await gatewayEcho(handle, name, 'after'));
      return text.includes('after') ? text : undefined;
    }, 60_000, 1000);
    expect(answer).to.include('after');
    expect(JSON.stringify(await echoAt(`http://${moved!.address}:${created.server.port}`, created.token, 'direct after'))).to.include('direct after');
    console.log(`    ${first.hostname} Down after ${downS.toFixed(0)} s; task running on ${moved!.hostname} after ${movedS.toFixed(0)} s; forge followed after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  });
});
