import net from 'node:net';
import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';

/** Host ports held by something else: a plain process, or another forge's child on the same daemon. */
describe('host ports taken outside the forge', function () {
  const START = 18700;
  const range = { port_range_start: START, port_range_end: START + 9 };
  let first: ForgeHandle;
  let second: ForgeHandle;
  let squatter: net.Server;

  before(async () => {
    squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(START, '127.0.0.1', resolve));
    first = await startForge({ children: range });
    second = await startForge({ children: range });
  });
  after(async () => {
    await second?.stop();
    await first?.stop();
    await new Promise((resolve) => squatter.close(resolve));
  });

  it('a port a host process holds is refused by Docker at start, and the next one is used', async () => {
    const created = await first.call('create_server', { name: 'port-a', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    expect(created.server.port).to.equal(START + 1);
  });

  it("another forge's children's ports are skipped without a failed start", async () => {
    const created = await second.call('create_server', { name: 'port-b', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    // START is held by the squatter, which only a failed start reveals; START + 1 is published by the first forge.
    expect(created.server.port).to.equal(START + 2);
  });
});
