import { expect } from 'chai';
import { serviceLimits, serviceSpecFor } from '../../../src/runtime/swarm/service-spec.js';
import { restartsOf } from '../../../src/runtime/swarm/task-info.js';
import type { ChildSpec } from '../../../src/runtime/runtime.js';

const host = { cpus: 2, memoryBytes: 1000 * 1024 * 1024 };
const none = { cpuPercent: null, memoryBytes: null, memoryPercent: null };
const spec: ChildSpec = {
  name: 'mcp-forge-a',
  image: '127.0.0.1:5000/repo@sha256:' + 'a'.repeat(64),
  labels: { 'io.mcp-forge.server-id': 'mcp-1' },
  env: { PORT: '8080' },
  containerPort: 8080,
  hostIp: '127.0.0.1',
  hostPort: 19001,
  restartPolicy: 'on-failure',
  stopTimeoutS: 2,
  limits: { ...none, cpuPercent: 50 },
  network: 'net-a',
  hardening: { user: '1000:1000', pidsLimit: 128, tmpSizeBytes: 64 * 1024 * 1024 },
  logRotation: { maxSize: '10m', maxFiles: 3 },
  mounts: [{ type: 'bind', source: '/srv/data', target: '/data', readOnly: true }],
};

describe('swarm service spec', () => {
  it('is a service of one replica, created at 0, with the labels on the service and its task containers', () => {
    const s = serviceSpecFor(spec, host, ['node.role==manager']);
    expect(s.Mode).to.deep.equal({ Replicated: { Replicas: 0 } });
    expect(s.Labels).to.deep.equal(spec.labels);
    expect(s.TaskTemplate.ContainerSpec.Labels).to.deep.equal(spec.labels);
    expect(s.TaskTemplate.Placement.Constraints).to.deep.equal(['node.role==manager']);
  });

  it('carries the hardening Swarm has and maps the restart policy', () => {
    const c = serviceSpecFor(spec, host, []).TaskTemplate;
    expect(c.ContainerSpec).to.include({ User: '1000:1000', ReadOnly: true, Init: true, StopGracePeriod: 2e9 });
    expect(c.ContainerSpec.CapabilityDrop).to.deep.equal(['ALL']);
    expect(c.ContainerSpec.Mounts).to.deep.equal([
      { Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: 64 * 1024 * 1024, Mode: 0o1777 } },
      { Type: 'bind', Source: '/srv/data', Target: '/data', ReadOnly: true },
    ]);
    expect(c.RestartPolicy).to.include({ Condition: 'on-failure', MaxAttempts: 5 });
    expect(serviceSpecFor({ ...spec, restartPolicy: 'unless-stopped' }, host, []).TaskTemplate.RestartPolicy.Condition).to.equal('any');
    expect(serviceSpecFor({ ...spec, restartPolicy: 'no' }, host, []).TaskTemplate.RestartPolicy.Condition).to.equal('none');
    expect(c.LogDriver).to.deep.equal({ Name: 'json-file', Options: { 'max-size': '10m', 'max-file': '3' } });
  });

  it('publishes in host mode unless publish is false, and passes cmd as Args (the image keeps its entrypoint)', () => {
    expect(serviceSpecFor(spec, host, []).EndpointSpec.Ports).to.deep.equal([{ Protocol: 'tcp', TargetPort: 8080, PublishedPort: 19001, PublishMode: 'host' }]);
    expect(serviceSpecFor({ ...spec, publish: false }, host, []).EndpointSpec.Ports).to.deep.equal([]);
    expect(serviceSpecFor(spec, host, []).EndpointSpec.Mode, 'no VIP: one task, no IPVS needed').to.equal('dnsrr');
    expect(serviceSpecFor({ ...spec, cmd: ['--port', '9000'] }, host, []).TaskTemplate.ContainerSpec).to.deep.include({ Args: ['--port', '9000'] });
  });

  it('limits: NanoCPUs capped at the node, memory the lower of the two, pids always; lifted ones absent', () => {
    expect(serviceLimits({ ...none, cpuPercent: 400, memoryPercent: 10 }, host, 64)).to.deep.equal({ NanoCPUs: 2e9, MemoryBytes: 100 * 1024 * 1024, Pids: 64 });
    expect(serviceLimits(none, host, 64)).to.deep.equal({ Pids: 64 });
  });

  it('counts restarts as tasks created after the last change, besides the first', () => {
    const service = { UpdatedAt: '2026-01-01T00:00:10Z' };
    const task = (at: string) => ({ CreatedAt: at });
    expect(restartsOf(service, [])).to.equal(0);
    expect(restartsOf(service, [task('2026-01-01T00:00:11Z')])).to.equal(0);
    expect(restartsOf(service, [task('2026-01-01T00:00:13Z'), task('2026-01-01T00:00:11Z'), task('2026-01-01T00:00:01Z')])).to.equal(1);
  });
});
