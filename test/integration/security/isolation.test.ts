import { expect } from 'chai';
import { nodeIn } from '../../support/node-in.js';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';
import { childNetwork } from '../../../src/servers/child-spec.js';

/** Prints REACHED <status> or BLOCKED <reason> for a GET of `url` from inside a child. */
const probe = (url: string) =>
  `fetch(${JSON.stringify(url)}, { signal: AbortSignal.timeout(3000) }).then((r) => console.log('REACHED', r.status), (e) => console.log('BLOCKED', e.cause?.code ?? e.name))`;

/** Container defaults as strict as Docker's MCP gateway: one core by default, no traffic between children. */
describe('child isolation defaults', function () {
  let h: ForgeHandle;
  let a: any;
  let b: any;

  before(async function () {
    h = await startForge();
    a = (await h.call('create_server', { name: 'iso-a', capabilities: ['echo'] })).server;
    b = (await h.call('create_server', { name: 'iso-b', capabilities: ['echo'] })).server;
    expect(a?.id && b?.id, 'both servers created').to.be.a('string');
  });
  after(async () => h?.stop());

  it('limits a new child to one core unless told otherwise', async () => {
    const info = await docker.getContainer(a.container_id).inspect();
    expect(info.HostConfig.NanoCpus).to.equal(1e9);
    expect((await h.call('get_resource_limits', { server_id: a.id })).limits.cpu_percent).to.equal(100);
  });

  it("creates the forge's own child network with inter-container traffic off", async () => {
    const network = await docker.getNetwork(childNetwork(h.config, h.forge.registry.instanceId)).inspect();
    expect(network.Options?.['com.docker.network.bridge.enable_icc']).to.equal('false');
    const containers = Object.values(network.Containers ?? {}).map((c: any) => c.Name);
    expect(containers).to.include.members([a.container_name, b.container_name]);
  });

  it("a child cannot reach another child's port, by its address on the network or through the host", async () => {
    const network = await docker.getNetwork(childNetwork(h.config, h.forge.registry.instanceId)).inspect();
    const ipOfB = (network.Containers as Record<string, any>)[b.container_id].IPv4Address.split('/')[0];
    const gateway = network.IPAM!.Config![0]!.Gateway;
    // The child can run the probe at all: it reaches itself.
    expect(await nodeIn(a.container_id, probe(`http://127.0.0.1:${h.config.children.container_port}/healthz`))).to.contain('REACHED 200');
    expect(await nodeIn(a.container_id, probe(`http://${ipOfB}:${h.config.children.container_port}/healthz`))).to.match(/^BLOCKED/);
    expect(await nodeIn(a.container_id, probe(`http://${gateway}:${b.port}/healthz`))).to.match(/^BLOCKED/);
  });

  it('the forge still reaches both children', async () => {
    for (const server of [a, b]) {
      const client = await connect(`http://127.0.0.1:${server.port}`);
      expect(await call(client, 'echo', { message: server.name })).to.deep.equal({ message: server.name });
      await client.close();
    }
    expect((await h.call('restart_server', { server_id: b.id })).status).to.equal('success');
  });
});
