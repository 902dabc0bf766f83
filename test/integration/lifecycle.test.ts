import { expect } from 'chai';
import { call, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { connectChild } from '../support/child-client.js';
import { docker } from '../support/docker-leaks.js';
import { until } from '../support/poll.js';
import { childContainerId, inspectChild, inspectService } from '../support/child-container.js';
import { runtimeKind } from '../support/test-env.js';

const inspect = inspectChild;
/** Docker: the child is a container. Swarm: a service whose one task's container runs it. */
const asService = runtimeKind() === 'swarm';

describe('server lifecycle against real containers', function () {
  let h: ForgeHandle;
  let server: any;
  let created: any;

  before(async function () {
    h = await startForge();
    created = await h.call('create_server', { name: 'life-1', description: 'Lifecycle test server' });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
  });
  after(async () => h?.stop());

  it('create_server answers with the API shape, a running container, its labels and published port', async () => {
    expect(server).to.include({ name: 'life-1', description: 'Lifecycle test server', status: 'running', error: null, restart_count: 0 });
    expect(server.id).to.match(/^mcp-\d{8}-[a-z0-9]{6}$/);
    expect(server.capabilities).to.deep.equal(['echo', 'time', 'uptime']);
    expect(server.latest_logs).to.have.keys('stdout', 'stderr');
    const info = await inspect(server.container_id);
    expect(info.State.Running).to.equal(true);
    const labels = {
      'io.mcp-forge.managed': 'true',
      'io.mcp-forge.server-id': server.id,
      'io.mcp-forge.name': 'life-1',
      'io.mcp-forge.instance': h.forge.registry.instanceId,
    };
    expect(info.Config.Labels).to.include(labels);
    if (!asService) {
      expect(info.Name).to.equal('/mcp-forge-life-1');
      expect(info.HostConfig.PortBindings['8080/tcp']).to.deep.equal([{ HostIp: '127.0.0.1', HostPort: String(server.port) }]);
      expect(info.HostConfig.RestartPolicy?.Name).to.equal('unless-stopped');
      return;
    }
    // Swarm publishes in host mode on every address of the task's node, and restarts "any" exit.
    const service = await inspectService(server.container_id);
    expect(service.Spec.Name).to.equal('mcp-forge-life-1');
    expect(service.Spec.Labels).to.include(labels);
    expect(service.Endpoint.Ports).to.deep.equal([{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: server.port, PublishMode: 'host' }]);
    expect(service.Spec.TaskTemplate.RestartPolicy.Condition).to.equal('any');
  });

  for (const transport of ['streamable', 'sse'] as const) {
    it(`the child answers its tools over ${transport}`, async () => {
      const child = await connectChild(created, transport);
      try {
        const tools = (await child.listTools()).tools.map((t) => t.name);
        expect(tools).to.have.members(['echo', 'time', 'uptime']);
        expect(await call(child, 'echo', { message: 'hello forge' })).to.deep.equal({ message: 'hello forge' });
        const time = await call(child, 'time');
        expect(Math.abs(time.unix - Date.now() / 1000)).to.be.below(60);
        expect((await call(child, 'uptime')).server_id).to.equal(server.id);
      } finally {
        await child.close();
      }
    });
  }

  it('list_servers shows the server with live status, and details on request', async () => {
    const list = await h.call('list_servers');
    expect(list).to.deep.include({ status: 'success', count: 1 });
    expect(list.servers[0]).to.deep.equal({ id: server.id, name: 'life-1', description: 'Lifecycle test server', status: 'running', port: server.port });
    const detailed = await h.call('list_servers', { include_details: true });
    expect(detailed.servers[0]).to.include({ id: server.id, status: 'running' });
    expect(detailed.servers[0].uptime).to.be.above(0);
    expect(detailed.servers[0].latest_logs.stdout.join('\n')).to.contain('listening');
  });

  it('stop_server stops the real container and start_server brings it back answering MCP', async () => {
    const stopped = await h.call('stop_server', { server_id: server.id });
    expect(stopped).to.include({ status: 'success', server_id: server.id });
    expect((await inspect(server.container_id)).State.Running).to.equal(false);
    expect((await h.call('list_servers')).servers[0].status).to.equal('stopped');
    expect((await h.call('stop_server', { server_id: server.id })).status).to.equal('warning');

    expect((await h.call('start_server', { server_id: 'life-1' })).status).to.equal('success');
    expect((await inspect(server.container_id)).State.Running).to.equal(true);
    const child = await connectChild(created);
    expect(await call(child, 'echo', { message: 'back' })).to.deep.equal({ message: 'back' });
    await child.close();
    expect((await h.call('start_server', { server_id: server.id })).status).to.equal('warning');
  });

  it('restart_server restarts the container (new start time, restart counted)', async () => {
    const before = (await inspect(server.container_id)).State.StartedAt;
    const restarted = await h.call("restart_server", { server_id: server.id });
    expect(restarted.status, JSON.stringify(restarted)).to.equal("success");
    const after = await inspect(server.container_id);
    expect(after.State.Running).to.equal(true);
    expect(after.State.StartedAt).to.not.equal(before);
    const details = await h.call('list_servers', { include_details: true });
    expect(details.servers[0].restart_count).to.equal(1);
  });

  it('delete_server stops the server gracefully first (SIGTERM, exit 0: the shutdown and close hooks ran), then removes the container and the entry', async () => {
    const events: Array<{ Action: string; Actor: { Attributes: Record<string, string> } }> = [];
    const containerId = await childContainerId(server.container_id);
    const stream = (await docker.getEvents({ filters: { container: [containerId], type: ['container'] } })) as NodeJS.ReadableStream;
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.trim()) events.push(JSON.parse(line));
    });
    const deleted = await h.call('delete_server', { server_id: server.id });
    expect(deleted.status).to.equal('success');
    await until('the destroy event', async () => (events.some((e) => e.Action === 'destroy') ? true : undefined), 10_000, 50);
    (stream as unknown as { destroy(): void }).destroy();
    const actions = events.map((e) => e.Action);
    const kills = events.filter((e) => e.Action === 'kill').map((e) => e.Actor.Attributes.signal);
    expect(kills, JSON.stringify(actions)).to.deep.equal(['15']);
    const die = events.find((e) => e.Action === 'die');
    // The child's SIGTERM handler logs "shutting down", closes its sessions and runs the units' close hooks, then exits 0.
    expect(die?.Actor.Attributes.exitCode, JSON.stringify(actions)).to.equal('0');
    expect(actions.indexOf('die')).to.be.below(actions.indexOf('destroy'));
    const gone = await inspect(server.container_id).then(() => false, (e) => e.statusCode === 404);
    expect(gone).to.equal(true);
    expect((await h.call('list_servers')).count).to.equal(0);
    expect(await h.call('delete_server', { server_id: server.id })).to.deep.equal({
      status: 'error',
      error: { code: 'not_found', message: `no server with id or name "${server.id}"` },
    });
  });
});
