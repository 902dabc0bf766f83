import { expect } from 'chai';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { BaseImages } from '../../src/images/base-images.js';
import { stageForgeNpm } from '../../src/images/forge-npm.js';
import { createLogger } from '../../src/logging/logger.js';
import { DockerRuntime } from '../../src/runtime/docker/docker-runtime.js';
import { call, connect } from '../support/forge-fixture.js';
import { ComposeProject, findCompose } from '../support/compose.js';
import { docker } from '../support/docker-leaks.js';
import { buildDist, freePort, portIsFree } from '../support/host.js';
import { until } from '../support/poll.js';
import { RUN_ID, TEST_LABEL, testConfig } from '../support/test-env.js';

/**
 * `docker compose up` as a user runs it, offline: the forge image is built from the checkout
 * FROM the Node base `npm run images` found or made, the forge creates a child through its
 * published port, the child answers on its own host port, and a forge restart, `down` and
 * `up` keep it registered and reachable. Everything carries the run's test label and goes.
 */
const TOKEN = `compose-token-${RUN_ID}`;
/** Version verified with `npm view @modelcontextprotocol/server-memory versions`. */
const MEMORY = '@modelcontextprotocol/server-memory@2026.8.31';

/** The host npm's own registry and CA bundle: what makes installs work on this machine, handed to the composed forge. */
async function hostNpmSettings(): Promise<Record<string, string>> {
  const get = async (key: string) => (await promisify(execFile)('npm', ['config', 'get', key])).stdout.trim();
  const [registry, cafile] = await Promise.all([get('registry'), get('cafile')]);
  return {
    ...(registry && registry !== 'undefined' ? { FORGE_NPM_REGISTRY: registry } : {}),
    ...(cafile && cafile !== 'null' && cafile !== 'undefined' ? { FORGE_NPM_CA_BUNDLE: cafile, FORGE_NPM_CA_FILE: '/etc/mcp-forge/npm-ca.pem' } : {}),
  };
}

describe('docker compose up runs the forge', function () {
  this.timeout(180_000);
  const project = `mcpforge-${RUN_ID}`;
  const network = `mcp-forge-${RUN_ID}`;
  const projectLabel = `io.mcp-forge.test-compose=${project}`;
  let compose: ComposeProject;
  let dir: string;
  let url: string;
  let forge: Client | undefined;
  let server: any;

  const healthy = () =>
    until('the forge in compose to answer /healthz', async () => {
      const res = await fetch(`${url}/healthz`);
      return res.ok ? ((await res.json()) as { servers: number }) : undefined;
    }, 60_000, 250);
  const childEchoes = (message: string) =>
    until(`child on port ${server.port} to answer echo`, async () => {
      const child = await connect(`http://127.0.0.1:${server.port}`);
      try {
        return await call(child, 'echo', { message });
      } finally {
        await child.close();
      }
    }, 30_000, 200);
  const reconnect = async () => {
    await forge?.close().catch(() => undefined);
    forge = await connect(url, 'streamable', TOKEN);
    return forge;
  };
  /** Everything of this compose run still on the daemon. */
  const leftovers = async () => {
    const byProject = { label: [`com.docker.compose.project=${project}`] };
    const ours = { label: [projectLabel] };
    const [containers, children, networks, volumes] = await Promise.all([
      docker.listContainers({ all: true, filters: byProject }),
      docker.listContainers({ all: true, filters: ours }),
      docker.listNetworks({ filters: byProject }),
      docker.listVolumes({ filters: byProject }),
    ]);
    return [...containers, ...children].map((c) => c.Names[0]).concat(networks.map((n) => n.Name), (volumes.Volumes ?? []).map((v) => v.Name));
  };

  before(async function () {
    const cmd = await findCompose();
    if (!cmd) {
      if (process.env.MCP_FORGE_REQUIRE_COMPOSE) throw new Error('neither `docker compose` nor `docker-compose` is installed');
      this.skip();
    }
    const config = testConfig();
    const [nodeBase, npmSettings] = await Promise.all([
      new BaseImages(new DockerRuntime(config.docker.socket_path), config, createLogger('silent')).ensureNodeBase(),
      hostNpmSettings(),
      buildDist(),
      stageForgeNpm(),
    ]);
    const wanted = Number(process.env.MCP_FORGE_COMPOSE_PORT ?? 9000);
    const port = (await portIsFree(wanted)) ? wanted : await freePort();
    url = `http://127.0.0.1:${port}`;
    dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-compose-'));
    const label = `{ ${TEST_LABEL}: "${RUN_ID}", io.mcp-forge.test-compose: "${project}" }`;
    compose = await ComposeProject.create(cmd!, project, dir, [
      'services:',
      '  forge:',
      `    build: { labels: ${label} }`,
      `    labels: ${label}`,
      'networks:',
      // Compose 1.29 replaces (not merges) a network's definition: the name and the forge's labels are repeated.
      `  forge: { name: "${network}", labels: { ${TEST_LABEL}: "${RUN_ID}", io.mcp-forge.test-compose: "${project}", io.mcp-forge.managed: "true", io.mcp-forge.kind: network } }`,
      'volumes:',
      `  forge-data: { labels: ${label} }`,
      '',
    ].join('\n'), {
      NODE_BASE: nodeBase.ref,
      FORGE_AUTH_TOKEN: TOKEN,
      FORGE_IMAGE: `mcp-forge-test/${RUN_ID}-forge:latest`,
      FORGE_PUBLISH_PORT: String(port),
      FORGE_NETWORK: network,
      // A range of its own, away from the other tests' (19001-19999).
      FORGE_PORT_RANGE_START: '18400',
      FORGE_PORT_RANGE_END: '18499',
      FORGE_CHILD_BASE_IMAGE: config.images.child_base,
      FORGE_CHILD_REPOSITORY: config.images.child_repository,
      FORGE_EXTRA_LABELS: `${TEST_LABEL}=${RUN_ID},${projectLabel}`,
      ...npmSettings,
    });
    await compose.run('up', '-d', '--build');
    await healthy();
  });

  after(async function () {
    await forge?.close().catch(() => undefined);
    if (!compose) return;
    await compose.run('down', '--volumes', '--rmi', 'all').catch(() => undefined);
    for (const c of await docker.listContainers({ all: true, filters: { label: [projectLabel] } })) {
      await docker.getContainer(c.Id).remove({ force: true });
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('serves MCP on the published port; a child it creates answers on its own host port', async () => {
    const created = await call(await reconnect(), 'create_server', { name: `compose-${RUN_ID}`, description: 'made through compose' });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
    expect(server.port).to.be.within(18400, 18499);
    expect(await childEchoes('through compose')).to.deep.equal({ message: 'through compose' });
    const info = await docker.getContainer(server.container_id).inspect();
    expect(Object.keys(info.NetworkSettings.Networks)).to.deep.equal([network]);
    expect(info.HostConfig.PortBindings['8080/tcp']).to.deep.equal([{ HostIp: '127.0.0.1', HostPort: String(server.port) }]);
    expect(info.HostConfig.Binds ?? []).to.deep.equal([]);
  });

  it('installs an npm package in its container (its npm, the mounted CA bundle, the cache on the data volume) and runs it as a child', async function () {
    this.timeout(300_000);
    const forgeClient = await reconnect();
    const result = await forgeClient.callTool({ name: 'create_server', arguments: { name: `compose-mem-${RUN_ID}`, source: { npm: MEMORY, env: { MEMORY_FILE_PATH: '/tmp/memory.jsonl' } } } }, undefined, { timeout: 290_000 });
    const created = result.structuredContent as any;
    expect(created.status, JSON.stringify(created)).to.equal('success');
    expect(created.server.source).to.include({ type: 'npm', version: '2026.8.31' });
    const child = await connect(`http://127.0.0.1:${created.server.port}`);
    try {
      const made = await child.callTool({ name: 'create_entities', arguments: { entities: [{ name: 'composed', entityType: 'thing', observations: ['made through compose'] }] } });
      expect(made.isError, JSON.stringify(made)).to.not.equal(true);
      const graph = await child.callTool({ name: 'read_graph', arguments: {} });
      expect(JSON.stringify(graph.content)).to.include('made through compose');
    } finally {
      await child.close();
    }
    // The package cache and npm's own download cache are on the data volume.
    const [forgeContainer] = await docker.listContainers({ filters: { label: [`com.docker.compose.project=${project}`, 'com.docker.compose.service=forge'] } });
    const cacheList = await docker.getContainer(forgeContainer!.Id).exec({ Cmd: ['node', '-e', "console.log(require('fs').readdirSync('/data/npm-cache').join(' '))"], AttachStdout: true, AttachStderr: true });
    const out = await new Promise<string>((resolve) => cacheList.start({}).then((stream) => {
      let text = '';
      stream.on('data', (d: Buffer) => (text += d.toString('latin1')));
      stream.on('end', () => resolve(text));
    }));
    expect(out).to.include('.npm').and.include('@modelcontextprotocol+server-memory@2026.8.31-');
    expect((await call(forgeClient, 'delete_server', { server_id: created.server.id })).status).to.equal('success');
  });

  it('a restart of the forge container keeps the child registered and reachable', async () => {
    await compose.run('restart', 'forge');
    expect((await healthy()).servers).to.equal(1);
    const list = await call(await reconnect(), 'list_servers');
    expect(list.servers).to.deep.equal([{ id: server.id, name: server.name, description: 'made through compose', status: 'running', port: server.port }]);
    expect(await childEchoes('after restart')).to.deep.equal({ message: 'after restart' });
  });

  it('down stops the child (no child left running); up starts it again on the re-created network', async () => {
    await forge?.close();
    forge = undefined;
    await compose.run('down');
    const stopped = await docker.getContainer(server.container_id).inspect();
    expect(stopped.State.Running).to.equal(false);
    // Docker's name filter matches substrings: compare names exactly.
    expect((await docker.listNetworks()).filter((n) => n.Name === network)).to.deep.equal([]);

    await compose.run('up', '-d');
    await healthy();
    expect(await childEchoes('after down and up')).to.deep.equal({ message: 'after down and up' });
    expect((await call(await reconnect(), 'list_servers')).servers[0].status).to.equal('running');
  });

  it('tearing down leaves no container, network or volume of the project', async () => {
    expect((await call(forge!, 'delete_server', { server_id: server.id })).status).to.equal('success');
    await forge!.close();
    forge = undefined;
    await compose.run('down', '--volumes', '--rmi', 'all');
    expect(await leftovers()).to.deep.equal([]);
    expect(await docker.listImages({ filters: { reference: [`mcp-forge-test/${RUN_ID}-forge`] } })).to.deep.equal([]);
  });
});
