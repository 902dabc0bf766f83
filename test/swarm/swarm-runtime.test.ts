import { expect } from 'chai';
import { call, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { connectChild } from '../support/child-client.js';
import { childContainerId, inspectService } from '../support/child-container.js';
import { docker } from '../support/docker-leaks.js';
import { RUN_ID } from '../support/test-env.js';

const REGISTRY = process.env.FORGE_RUNTIME_REGISTRY ?? '127.0.0.1:5000';
const MiB = 1024 * 1024;

/** What only the swarm runtime has: a service per child, its task container, the registry digest, host-mode ports. */
describe('swarm runtime: children as services', function () {
  let h: ForgeHandle;
  let created: any;
  let service: any;
  let task: any;

  before(async function () {
    h = await startForge({ runtime: { kind: 'swarm', placement: ['node.role==manager'], registry: REGISTRY }, resources: { default_memory_limit: 256 * MiB } });
    created = await h.call('create_server', { name: `sw-${RUN_ID.slice(-6)}`, capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    service = await inspectService(created.server.container_id);
    task = await docker.getContainer(await childContainerId(created.server.container_id, 'swarm')).inspect();
  });
  after(async () => h?.stop());

  it('runs each child as a replicated service of one replica, placed by runtime.placement', () => {
    expect(service.Spec.Mode).to.deep.equal({ Replicated: { Replicas: 1 } });
    expect(service.Spec.TaskTemplate.Placement.Constraints).to.deep.equal(['node.role==manager']);
  });

  it('puts the same labels on the service and on its task container', () => {
    const labels = { 'io.mcp-forge.server-id': created.server.id, 'io.mcp-forge.instance': h.forge.registry.instanceId, 'io.mcp-forge.kind': 'child', 'io.mcp-forge.test': RUN_ID };
    expect(service.Spec.Labels).to.include(labels);
    expect(task.Config.Labels).to.include(labels);
    expect(task.Config.Labels['com.docker.swarm.service.id']).to.equal(service.ID);
  });

  it('deploys the image by digest from runtime.registry, which really holds it', async () => {
    const image: string = service.Spec.TaskTemplate.ContainerSpec.Image;
    const match = new RegExp(`^${REGISTRY.replace(/\./g, '\\.')}/(.+)@(sha256:[0-9a-f]{64})$`).exec(image);
    expect(match, image).to.not.equal(null);
    const answer = await fetch(`http://${REGISTRY}/v2/${match![1]}/manifests/${match![2]}`, { method: 'HEAD', headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    expect(answer.status).to.equal(200);
    expect(answer.headers.get('docker-content-digest')).to.equal(match![2]);
  });

  it('hardens the task container as far as Swarm can: user, read-only root, no capabilities, init, pids and memory limits, tmpfs /tmp', () => {
    expect(task.Config.User).to.equal(`${h.config.children.uid}:${h.config.children.uid}`);
    expect(task.HostConfig.ReadonlyRootfs).to.equal(true);
    expect(task.HostConfig.CapDrop).to.include('ALL');
    expect(task.HostConfig.Init).to.equal(true);
    expect(task.HostConfig.PidsLimit).to.equal(h.config.children.pids_limit);
    expect(task.HostConfig.Memory).to.equal(256 * MiB);
    expect(task.HostConfig.LogConfig).to.deep.include({ Type: 'json-file' });
    const tmp = (task.Mounts as Array<{ Type: string; Destination: string }>).find((m) => m.Destination === '/tmp');
    expect(tmp?.Type).to.equal('tmpfs');
  });

  it('cannot set no-new-privileges on Docker 20.10: the task container lacks it (docs/runtime-swarm.md)', () => {
    expect(task.HostConfig.SecurityOpt ?? []).to.not.include('no-new-privileges:true');
    expect(task.HostConfig.SecurityOpt ?? []).to.not.include('no-new-privileges');
  });

  it('publishes the port in host mode on the task node and answers MCP there', async () => {
    expect(service.Endpoint.Ports).to.deep.equal([{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: created.server.port, PublishMode: 'host' }]);
    expect(task.NetworkSettings.Ports['8080/tcp']?.[0]?.HostPort).to.equal(String(created.server.port));
    const child = await connectChild(created);
    try {
      expect(await call(child, 'echo', { message: 'swarm' })).to.deep.equal({ message: 'swarm' });
    } finally {
      await child.close();
    }
  });

  it('reports the node the task runs on and reaches it on loopback (the forge runs on that node)', async () => {
    const info = await h.forge.services.runtime.children.inspect(created.server.container_id);
    const self = (await docker.info()) as { Swarm: { NodeID: string } };
    expect(info?.node?.id).to.equal(self.Swarm.NodeID);
    expect(info?.hostAddress).to.equal('127.0.0.1');
    expect(info?.pid).to.equal(task.State.Pid);
  });

  it('changes limits by a service update: a new task, reported as restarted', async () => {
    const result = await h.call('set_resource_limit', { server_id: created.server.id, limit_name: 'memory_bytes', limit_value: 300 * MiB });
    expect(result.status, JSON.stringify(result)).to.equal('success');
    const direct = await h.forge.services.runtime.children.updateLimits(created.server.container_id, { cpuPercent: null, memoryBytes: 320 * MiB, memoryPercent: null });
    expect(direct).to.deep.equal({ restarted: true });
    const replaced = await docker.getContainer(await childContainerId(created.server.container_id, 'swarm')).inspect();
    expect(replaced.Id).to.not.equal(task.Id);
    expect(replaced.HostConfig.Memory).to.equal(320 * MiB);
  });
});
