import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { expect } from 'chai';
import { nodeIn } from '../../support/node-in.js';
import { attach, call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { until } from '../../support/poll.js';
import { Forge } from '../../../src/forge.js';
import { docker } from '../../support/docker-leaks.js';
import { RUN_ID } from '../../support/test-env.js';
import { childNetwork, internalNetwork } from '../../../src/servers/child-spec.js';
import { DockerRuntime } from '../../../src/runtime/docker/docker-runtime.js';
import { RuntimeError } from '../../../src/runtime/runtime.js';

const ADMIN = `admin-${RUN_ID}`;
/** A port on the outside address that nothing serves: a route out shows as a refused connection. */
const PROBE_PORT = 9;

/** The host's default gateway (from /proc/net/route): an address beyond the host, one hop out. */
function defaultGateway(): string | null {
  for (const line of readFileSync('/proc/net/route', 'utf8').split('\n').slice(1)) {
    const [, destination, gateway] = line.trim().split(/\s+/);
    if (destination === '00000000' && gateway && gateway !== '00000000') {
      return (Buffer.from(gateway, 'hex').reverse() as Buffer).join('.');
    }
  }
  return null;
}

/**
 * Prints ROUTE <how> when a TCP connect to host:port gets any answer (accepted or refused: a
 * packet came back), NOROUTE <why> when it is dropped or has nowhere to go.
 */
const probe = (host: string, port: number) => `
  const s = require('net').connect({ host: ${JSON.stringify(host)}, port: ${port}, timeout: 3000 });
  s.on('connect', () => { console.log('ROUTE connected'); s.destroy(); });
  s.on('timeout', () => { console.log('NOROUTE timeout'); s.destroy(); });
  s.on('error', (e) => console.log((['ECONNREFUSED', 'ECONNRESET'].includes(e.code) ? 'ROUTE ' : 'NOROUTE ') + e.code));`;

/** The names of the networks a container is attached to. */
const networksOf = async (id: string) => Object.keys((await docker.getContainer(id).inspect()).NetworkSettings.Networks);

/** Runs a Node script (CommonJS) in the test process's own node, on the host. */
async function probeFromHost(host: string, port: number): Promise<string> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => execFile(process.execPath, ['-e', probe(host, port)], (_err, stdout) => resolve(stdout.trim())));
}

/**
 * Issue 11, item 9: no route out for a child whose units need no network. With children reached
 * through the forge (publish_ports false, connect_via network), an echo-only child is on an
 * internal network; an http_request child keeps its route out. The forge here runs on the host
 * and reaches both at their addresses on their networks (internal bridges are routable from the host).
 */
describe('no route out for children whose units need no network', function () {
  this.timeout(180_000);
  let h: ForgeHandle;
  let gateway: string;
  let quiet: any;
  let talker: any;

  before(async function () {
    const found = defaultGateway();
    // The check needs an address beyond the host that answers: without one nothing can tell a route from none.
    if (!found || !(await probeFromHost(found, PROBE_PORT)).startsWith('ROUTE')) this.skip();
    gateway = found;
    h = await startForge({
      auth: { admin_token: ADMIN },
      children: { stop_on_shutdown: true, publish_ports: false, connect_via: 'network', network: `mcp-forge-egress-${RUN_ID}-${randomBytes(2).toString('hex')}` },
    });
    quiet = (await h.call('create_server', { name: 'egress-quiet', capabilities: ['echo'] })).server;
    talker = (await h.call('create_server', { name: 'egress-talker', capabilities: ['echo'], handlers: ['http_request'], options: { http_request: { allowed_hosts: ['example.com'] } } })).server;
    expect(quiet?.id && talker?.id, 'both servers created').to.be.a('string');
  });
  after(async () => h?.stop());

  it('attaches the echo-only child to an internal network only, the http_request child to the normal one', async () => {
    const internal = internalNetwork(h.config, h.forge.registry.instanceId)!;
    expect(await networksOf(quiet.container_id)).to.deep.equal([internal]);
    expect(await networksOf(talker.container_id)).to.deep.equal([childNetwork(h.config, h.forge.registry.instanceId)]);
    const network = await docker.getNetwork(internal).inspect();
    expect(network.Internal).to.equal(true);
    expect(network.Labels).to.include({ 'io.mcp-forge.test': RUN_ID });
  });

  it('the echo-only child cannot reach an address beyond the host; the http_request child can', async () => {
    expect(await nodeIn(talker.container_id, probe(gateway, PROBE_PORT))).to.match(/^ROUTE/);
    expect(await nodeIn(quiet.container_id, probe(gateway, PROBE_PORT))).to.match(/^NOROUTE/);
  });

  it('both still answer MCP through the forge (per-server path), also after a restart', async () => {
    for (const server of [quiet, talker]) {
      const client = await connect(`${h.forge.url}/servers/${server.name}`, 'streamable', ADMIN);
      expect(await call(client, 'echo', { message: server.name })).to.deep.equal({ message: server.name });
      await client.close();
    }
    expect((await h.call('restart_server', { server_id: quiet.id })).status).to.equal('success');
    const client = await connect(`${h.forge.url}/servers/${quiet.name}`, 'streamable', ADMIN);
    expect(await call(client, 'echo', { message: 'again' })).to.deep.equal({ message: 'again' });
    await client.close();
  });

  it('the gateway lists and calls the echo-only child', async () => {
    const client = await connect(`${h.forge.url}/gateway`, 'streamable', ADMIN);
    const { tools } = await client.listTools();
    const echo = tools.find((t) => t.name.startsWith(quiet.name) && t.name.endsWith('echo'));
    expect(echo, tools.map((t) => t.name).join(', ')).to.not.equal(undefined);
    expect(await call(client, echo!.name, { message: 'via gateway' })).to.deep.equal({ message: 'via gateway' });
    await client.close();
  });

  it('a forge restart starts the stopped children on their own networks again, still reached through it', async () => {
    await h.stop({ keepServers: true });
    h = await attach(await Forge.start(h.config));
    expect(h.forge.reconcileReport.started).to.have.members([quiet.id, talker.id]);
    expect(await networksOf(quiet.container_id)).to.deep.equal([internalNetwork(h.config, h.forge.registry.instanceId)]);
    expect(await networksOf(talker.container_id)).to.deep.equal([childNetwork(h.config, h.forge.registry.instanceId)]);
    const echoed = await until('the echo-only child to answer through the restarted forge', async () => {
      const client = await connect(`${h.forge.url}/servers/${quiet.name}`, 'streamable', ADMIN);
      try {
        return await call(client, 'echo', { message: 'after restart' });
      } finally {
        await client.close();
      }
    });
    expect(echoed).to.deep.equal({ message: 'after restart' });
    expect(await nodeIn(quiet.container_id, probe(gateway, PROBE_PORT))).to.match(/^NOROUTE/);
  });
});

describe('the internal network is never one with a route out', () => {
  const name = `mcp-forge-egress-clash-${RUN_ID}-${randomBytes(2).toString('hex')}`;
  after(async () => docker.getNetwork(name).remove().catch(() => undefined));

  it('ensure({ internal: true }) refuses an existing network of that name that is not internal', async () => {
    const labels = { 'io.mcp-forge.test': RUN_ID };
    await docker.createNetwork({ Name: name, Driver: 'bridge', Labels: labels });
    const runtime = new DockerRuntime('/var/run/docker.sock');
    const refused = await runtime.networks.ensure(name, labels, { internal: true }).then(() => null, (err: unknown) => err);
    expect(refused).to.be.instanceOf(RuntimeError);
    expect(refused).to.include({ reason: 'conflict' });
    expect((refused as Error).message).to.match(/not an internal network/);
    expect((await docker.getNetwork(name).inspect()).Internal).to.equal(false);
  });
});
