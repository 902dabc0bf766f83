import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { RUN_ID } from '../support/test-env.js';

/**
 * A stopped child whose network was removed and made again under the same name (Compose down and
 * up does this to a named network): Docker refuses to start the container, which keeps the old
 * network's id. The docker runtime reconnects it itself, so start_server (and the reconciler)
 * need no knowledge of it.
 */
describe('docker runtime: a child whose network was re-created starts again', function () {
  const network = `mcp-forge-test-net-${RUN_ID.slice(-8)}`;
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ children: { network } });
  });
  after(async () => {
    await h?.stop();
    await docker.getNetwork(network).remove().catch(() => undefined);
  });

  it('start_server succeeds and the child answers, on the new network', async () => {
    const created = await h.call('create_server', { name: `net-${RUN_ID.slice(-8)}` });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    const id = created.server.id;
    expect((await h.call('stop_server', { server_id: id })).status).to.equal('success');

    const old = await docker.getNetwork(network).inspect();
    await docker.getNetwork(network).remove();
    const made = await docker.createNetwork({ Name: network, Driver: 'bridge', Labels: old.Labels, CheckDuplicate: true });
    // Docker itself refuses: the container still names the removed network's id.
    const refused = await docker.getContainer(created.server.container_id).start().then(() => null, (err: Error) => err.message);
    expect(refused).to.match(/network .* not found/i);

    const started = await h.call('start_server', { server_id: id });
    expect(started, JSON.stringify(started)).to.include({ status: 'success' });
    const info = await docker.getContainer(created.server.container_id).inspect();
    expect(info.State.Running).to.equal(true);
    expect(info.NetworkSettings.Networks[network]?.NetworkID).to.equal(made.id);
    const listed = (await h.call('list_servers')).servers.find((s: { id: string }) => s.id === id);
    expect(listed.status).to.equal('running');
  });
});
