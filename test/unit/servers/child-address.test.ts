import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load-config.js';
import { Registry } from '../../../src/registry/registry.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import { followHostAddress } from '../../../src/servers/child-address.js';
import { childUrl } from '../../../src/servers/child-spec.js';

const ID = 'mcp-20260101-aaaaaa';
/** A record as registries wrote them before host_address existed (no such key). */
const oldRecord = {
  id: ID, name: 'alpha', description: 'd', capabilities: [], handlers: [], options: {}, volume: null, credentials: null, port: 9001,
  container_name: 'mcp-forge-alpha', container_id: 'c1', image: 'img', phase: 'ready', desired: 'running', status: 'running',
  error: null, limits: { cpu_percent: null, memory_bytes: null, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: null },
  manual_restarts: 0, owner: 'admin', created_at: '', updated_at: '',
} as unknown as ServerRecord;

describe('where the forge reaches a child (host_address)', () => {
  it('childUrl uses the address the engine reported, else children.host_ip (a wildcard through loopback)', () => {
    const c = loadConfig();
    expect(childUrl(oldRecord, c)).to.equal('http://127.0.0.1:9001');
    expect(childUrl({ ...oldRecord, host_address: null }, c)).to.equal('http://127.0.0.1:9001');
    expect(childUrl({ ...oldRecord, host_address: '10.0.0.7' }, c)).to.equal('http://10.0.0.7:9001');
    expect(childUrl({ ...oldRecord, host_address: 'fd00::7' }, c)).to.equal('http://[fd00::7]:9001');
    const wildcard = loadConfig({ overrides: { children: { host_ip: '0.0.0.0' } } });
    expect(childUrl(oldRecord, wildcard)).to.equal('http://127.0.0.1:9001');
    expect(childUrl({ ...oldRecord, host_address: '10.0.0.8' }, wildcard)).to.equal('http://10.0.0.8:9001');
    // Over the shared network the child's name is its address, wherever it runs.
    const network = loadConfig({ overrides: { children: { connect_via: 'network', network: 'shared' } } });
    expect(childUrl({ ...oldRecord, host_address: '10.0.0.7' }, network)).to.equal('http://mcp-forge-alpha:8080');
  });

  describe('followHostAddress', () => {
    let dir: string;
    let registry: Registry;
    beforeEach(async () => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-address-'));
      // A registry file written before host_address existed still loads.
      writeFileSync(path.join(dir, 'registry.json'), JSON.stringify({ version: 1, instance_id: 'unit', servers: [oldRecord] }));
      registry = await Registry.open(dir, 'unit');
    });
    afterEach(() => rmSync(dir, { recursive: true, force: true }));

    it('records a running child that moved, and leaves the record alone otherwise', async () => {
      expect(registry.get(ID)!.host_address).to.equal(undefined);
      // docker: no address, as before: nothing written.
      expect(await followHostAddress(registry, ID, { running: true, hostAddress: null })).to.equal(false);
      expect(registry.get(ID)).to.not.have.property('host_address');
      expect(await followHostAddress(registry, ID, { running: true, hostAddress: '10.0.0.7' })).to.equal(true);
      expect(registry.get(ID)!.host_address).to.equal('10.0.0.7');
      expect(await followHostAddress(registry, ID, { running: true, hostAddress: '10.0.0.7' })).to.equal(false);
      // Not running (no task) says nothing about where it runs next.
      expect(await followHostAddress(registry, ID, { running: false, hostAddress: null })).to.equal(false);
      expect(await followHostAddress(registry, ID, null)).to.equal(false);
      expect(registry.get(ID)!.host_address).to.equal('10.0.0.7');
      expect(await followHostAddress(registry, ID, { running: true, hostAddress: '10.0.0.9' })).to.equal(true);
      expect(childUrl(registry.get(ID)!, loadConfig())).to.equal('http://10.0.0.9:9001');
      expect(await followHostAddress(registry, 'mcp-20260101-gone00', { running: true, hostAddress: '10.0.0.9' })).to.equal(false);
    });
  });
});
