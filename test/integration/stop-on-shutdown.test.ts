import { expect } from 'chai';
import { Forge } from '../../src/forge.js';
import { attach, call, connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { until } from '../support/poll.js';

const running = async (id: string) => (await docker.getContainer(id).inspect()).State.Running;

const startAgain = async (h: ForgeHandle) => attach(await Forge.start(h.config));

/** Stops `h`'s forge without deleting its servers and starts a new forge on the same config and data. */
async function restartForge(h: ForgeHandle): Promise<ForgeHandle> {
  await h.stop({ keepServers: true });
  return startAgain(h);
}

/** The child's echo tool answers on its published port. */
const childEchoes = (port: number) =>
  until(`child on ${port} to answer echo`, async () => {
    const child = await connect(`http://127.0.0.1:${port}`);
    try {
      return await call(child, 'echo', { message: 'still here' });
    } finally {
      await child.close();
    }
  });

// Ports of their own: a stopped child's port is free, and parallel runs on the daemon could take it.
const ports = { children: { port_range_start: 18200, port_range_end: 18299 } };

describe('children across a forge shutdown', function () {
  let h: ForgeHandle | undefined;
  afterEach(async () => {
    await h?.stop();
    h = undefined;
  });

  it('by default the forge leaves its children running when it stops', async () => {
    h = await startForge(ports);
    const { server } = await h.call('create_server', { name: 'keep-run' });
    h = await restartForge(h);
    expect(await running(server.container_id)).to.equal(true);
    expect(h.forge.reconcileReport.started).to.deep.equal([]);
  });

  it('with children.stop_on_shutdown it stops them, keeps them registered, and starts them at the next start-up', async () => {
    h = await startForge({ children: { ...ports.children, stop_on_shutdown: true } });
    const { server } = await h.call('create_server', { name: 'stop-start', description: 'stopped with the forge' });
    await h.stop({ keepServers: true });
    expect(await running(server.container_id)).to.equal(false);
    const stored = h.forge.registry.get(server.id)!;
    expect(stored.desired).to.equal('running');

    h = await startAgain(h);
    expect(h.forge.reconcileReport.started, h.forge.registry.get(server.id)?.error ?? '').to.deep.equal([server.id]);
    expect(await running(server.container_id)).to.equal(true);
    expect(await childEchoes(server.port)).to.deep.equal({ message: 'still here' });
    const list = await h.call('list_servers');
    expect(list.servers).to.deep.equal([{ id: server.id, name: 'stop-start', description: 'stopped with the forge', status: 'running', port: server.port }]);
  });

  it('a server the user stopped stays stopped at the next start-up', async () => {
    h = await startForge({ children: { ...ports.children, stop_on_shutdown: true } });
    const { server } = await h.call('create_server', { name: 'user-stopped' });
    expect((await h.call('stop_server', { server_id: server.id })).status).to.equal('success');
    h = await restartForge(h);
    expect(h.forge.reconcileReport.started).to.deep.equal([]);
    expect(await running(server.container_id)).to.equal(false);
    expect((await h.call('list_servers')).servers[0].status).to.equal('stopped');
  });
});
