import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';

describe('20 concurrent create_server calls', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ children: { ready_timeout_s: 90 } });
  });
  after(async () => h?.stop());

  it('all succeed, each on its own port, and Docker publishes exactly those ports', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => h.call('create_server', { name: `burst-${i}`, capabilities: ['echo'] })),
    );
    const failures = results.filter((r) => r.status !== 'success');
    expect(failures, JSON.stringify(failures)).to.deep.equal([]);
    const ports = results.map((r) => r.server.port);
    expect(new Set(ports).size).to.equal(20);

    const containers = await docker.listContainers({ filters: { label: [`io.mcp-forge.instance=${h.forge.registry.instanceId}`] } });
    expect(containers).to.have.length(20);
    const published = containers.flatMap((c) => c.Ports.filter((p) => p.PublicPort).map((p) => p.PublicPort));
    expect(published.sort()).to.deep.equal([...ports].sort());
    const registryPorts = h.forge.registry.list().map((s) => s.port);
    expect(new Set(registryPorts).size).to.equal(20);
  });
});
