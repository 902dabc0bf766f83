import { expect } from 'chai';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig } from '../../../src/config/load-config.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import type { Runtime } from '../../../src/runtime/runtime.js';
import { learnChildAddress } from '../../../src/servers/child-addresses.js';
import { childUrl } from '../../../src/servers/child-spec.js';

/** A runtime that knows no container named after this host: the forge runs on the host. */
const onHost = { children: { inspect: async () => null } } as unknown as Runtime;

describe('where a forge on the host reaches a child over the network', () => {
  const record = { id: 'srv-addr', container_name: `mcp-forge-addr-${process.pid}`, port: 9005 } as unknown as ServerRecord;
  const data = () => ({ storage: { data_dir: mkdtempSync(path.join(os.tmpdir(), 'addr-')) } });

  it('uses the address learned from the engine, by name until then and again once it has none', async () => {
    const c = loadConfig({ overrides: { children: { publish_ports: false, connect_via: 'network', network: 'kids' }, ...data() } });
    expect(childUrl(record, c)).to.equal(`http://${record.container_name}:8080`);
    await learnChildAddress(onHost, { name: record.container_name, networkAddress: '172.30.0.7' });
    expect(childUrl(record, c)).to.equal('http://172.30.0.7:8080');
    await learnChildAddress(onHost, { name: record.container_name, networkAddress: 'fd00::7' });
    expect(childUrl(record, c)).to.equal('http://[fd00::7]:8080');
    await learnChildAddress(onHost, { name: record.container_name, networkAddress: null });
    expect(childUrl(record, c)).to.equal(`http://${record.container_name}:8080`);
  });

  it('a published child is reached at its host port whatever was learned', async () => {
    await learnChildAddress(onHost, { name: record.container_name, networkAddress: '172.30.0.8' });
    expect(childUrl(record, loadConfig({ overrides: data() }))).to.equal('http://127.0.0.1:9005');
    await learnChildAddress(onHost, { name: record.container_name, networkAddress: null });
  });
});
