import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../../src/config/load-config.js';
import { hostConfigFor } from '../../../src/runtime/docker/host-config.js';
import { containerSpecFor, internalNetwork } from '../../../src/servers/child-spec.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';

const record = { id: 'srv-1', name: 'one', description: 'd', capabilities: ['echo'], handlers: [], options: {}, container_name: 'mcp-forge-one', port: 9005, image: 'img', limits: { cpu_percent: 100, memory_bytes: null, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: null } } as unknown as ServerRecord;
const units = { env: {}, mounts: [], egress: true };

describe('child guard configuration', () => {
  it('defaults: no child token on loopback, session cap, one core, ports published', () => {
    const c = loadConfig();
    expect(c.children).to.include({ require_token: false, max_sessions: 100, publish_ports: true });
    expect(c.children.allowed_hosts).to.deep.equal([]);
    expect(c.resources.default_cpu_limit).to.equal(100);
  });

  it('forces children.require_token on when children.host_ip is not a loopback address', () => {
    for (const host_ip of ['0.0.0.0', '192.168.1.5', '::']) {
      expect(loadConfig({ overrides: { children: { host_ip, require_token: false } } }).children.require_token, host_ip).to.equal(true);
    }
    expect(loadConfig({ env: { FORGE_CHILD_HOST_IP: '0.0.0.0' } }).children.require_token).to.equal(true);
    expect(loadConfig({ overrides: { children: { host_ip: '127.0.0.1' } } }).children.require_token).to.equal(false);
  });

  it('reads the new keys from FORGE_* variables', () => {
    const c = loadConfig({ env: { FORGE_CHILD_REQUIRE_TOKEN: 'true', FORGE_CHILD_MAX_SESSIONS: '7', FORGE_CHILD_ALLOWED_HOSTS: 'a.test,b.test:9005' } });
    expect(c.children).to.include({ require_token: true, max_sessions: 7 });
    expect(c.children.allowed_hosts).to.deep.equal(['a.test', 'b.test:9005']);
  });

  it("hands the child its allowed Host names and session cap as environment data", () => {
    const c = loadConfig({ overrides: { children: { allowed_hosts: ['kids.test'], max_sessions: 9 }, storage: { data_dir: mkdtempSync(path.join(os.tmpdir(), 'guard-')) } } });
    const env = containerSpecFor(record, c, 'inst', units).env;
    expect(JSON.parse(env.FORGE_ALLOWED_HOSTS!)).to.include.members(['127.0.0.1:9005', 'localhost:9005', 'mcp-forge-one:8080', 'kids.test']);
    expect(env.FORGE_MAX_SESSIONS).to.equal('9');
    expect(env.FORGE_TOKEN_HASHES).to.match(/^[0-9a-f]{64}$/);
    expect(env).to.not.have.property('FORGE_REQUIRE_TOKEN');
    const guarded = containerSpecFor({ ...record, token_hash: `sha256:${'ab'.repeat(32)}` }, c, 'inst', units).env;
    expect(guarded.FORGE_TOKEN_HASHES!.split(',')).to.have.length(2).and.include('ab'.repeat(32));
    expect(guarded.FORGE_REQUIRE_TOKEN).to.equal('1');
  });

  it('children.publish_ports false publishes nothing, and needs children reached over the network', () => {
    expect(() => loadConfig({ overrides: { children: { publish_ports: false } } })).to.throw(ConfigError, /publish_ports false needs children.connect_via "network"/);
    const c = loadConfig({ overrides: { children: { publish_ports: false, connect_via: 'network', network: 'kids' }, storage: { data_dir: mkdtempSync(path.join(os.tmpdir(), 'guard-')) } } });
    const spec = containerSpecFor(record, c, 'inst', units);
    expect(hostConfigFor(spec, { cpus: 2, memoryBytes: 2 ** 30 }).PortBindings).to.deep.equal({});
    expect(JSON.parse(spec.env.FORGE_ALLOWED_HOSTS!)).to.deep.equal(['mcp-forge-one:8080']);
    // Nothing published: a child that needs no route out is on the internal network, one that does on children.network.
    expect(internalNetwork(c, 'inst')).to.equal('kids-internal');
    expect(containerSpecFor(record, c, 'inst', { ...units, egress: false }).network).to.equal('kids-internal');
    expect(spec.network).to.equal('kids');
    const publishing = loadConfig({ overrides: { storage: { data_dir: c.storage.data_dir } } });
    const published = containerSpecFor(record, publishing, 'inst', units);
    // Published ports: Docker publishes nothing from an internal network, so every child keeps the routable one.
    expect(internalNetwork(publishing, 'inst')).to.equal(null);
    expect(containerSpecFor(record, publishing, 'inst', { ...units, egress: false }).network).to.equal('mcp-forge-inst');
    expect(hostConfigFor(published, { cpus: 2, memoryBytes: 2 ** 30 }).PortBindings).to.deep.equal({ '8080/tcp': [{ HostIp: '127.0.0.1', HostPort: '9005' }] });
  });
});
