import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Registry, RegistryError } from '../../../src/registry/registry.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';

const record = (id: string, name: string): ServerRecord => ({
  id, name, description: 'd', capabilities: [], handlers: [], options: {}, volume: null, credentials: null, port: 9001,
  container_name: `mcp-forge-${name}`, container_id: null, image: null, phase: 'ready', desired: 'running', status: 'running',
  error: null, limits: { cpu_percent: null, memory_bytes: null, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: null },
  manual_restarts: 0, owner: 'admin', created_at: '', updated_at: '',
});

describe('registry: ids and names are one namespace', () => {
  let dir: string;
  let registry: Registry;
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-registry-'));
    registry = await Registry.open(dir, 'unit');
    await registry.insert(record('mcp-20260101-aaaaaa', 'alpha'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("refuses a name equal to another server's id", async () => {
    await registry.insert(record('mcp-20260101-bbbbbb', 'mcp-20260101-aaaaaa')).then(
      () => expect.fail('inserted'),
      (err) => expect(err).to.be.instanceOf(RegistryError),
    );
  });
  it("refuses an id equal to another server's name", async () => {
    await registry.insert(record('alpha', 'beta')).then(
      () => expect.fail('inserted'),
      (err) => expect(err).to.be.instanceOf(RegistryError),
    );
  });
  it('keeps an unnamed server (name = its own id) and distinct names', async () => {
    await registry.insert(record('mcp-20260101-cccccc', 'mcp-20260101-cccccc'));
    await registry.insert(record('mcp-20260101-dddddd', 'delta'));
    expect(registry.list().map((s) => s.name)).to.deep.equal(['alpha', 'mcp-20260101-cccccc', 'delta']);
  });
});
