import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { Forge } from '../../src/forge.js';
import { call, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { connectChild } from '../support/child-client.js';
import { docker } from '../support/docker-leaks.js';
import { RUN_ID, TEST_LABEL } from '../support/test-env.js';
import { childNames, createStrayChild, removeChildByName } from '../support/child-container.js';

describe('start-up reconciliation with Docker', function () {
  let first: ForgeHandle;
  let second: ForgeHandle | undefined;
  const ids: Record<string, string> = {};
  const tokens: Record<string, string | undefined> = {};

  before(async () => {
    first = await startForge();
    for (const name of ['rec-keep', 'rec-gone', 'rec-stopped', 'rec-deleting']) {
      const r = await first.call('create_server', { name, capabilities: ['echo'] });
      expect(r.status, JSON.stringify(r)).to.equal('success');
      ids[name] = r.server.id;
      tokens[name] = r.token;
    }
    expect((await first.call('stop_server', { server_id: 'rec-stopped' })).status).to.equal('success');
    await first.stop({ keepServers: true });

    // Drift made while the forge was down, as a crash or an operator would leave it.
    await removeChildByName('mcp-forge-rec-gone');
    const file = path.join(first.config.storage.data_dir, 'registry.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    const template = data.servers.find((s: any) => s.name === 'rec-keep');
    data.servers.find((s: any) => s.name === 'rec-deleting').phase = 'deleting';
    data.servers.push({ ...template, id: 'mcp-20990101-crash1', name: 'rec-interrupted', container_name: 'mcp-forge-rec-interrupted', container_id: null, port: template.port + 500, phase: 'creating', status: 'initialized' });
    writeFileSync(file, JSON.stringify(data));
    await createStrayChild(`mcp-forge-orphan-${RUN_ID}`, template.image, {
      [TEST_LABEL]: RUN_ID,
      'io.mcp-forge.managed': 'true',
      'io.mcp-forge.kind': 'child',
      'io.mcp-forge.instance': data.instance_id,
      'io.mcp-forge.server-id': 'mcp-20990101-orphan',
    });

    second = await startForge({ storage: { data_dir: first.config.storage.data_dir }, server: { instance_id: data.instance_id }, children: { remove_orphans: true } });
  });
  after(async () => second?.stop());

  it('reports what it found and did', () => {
    const report = second!.forge.reconcileReport;
    expect(report.missing).to.deep.equal([ids['rec-gone']]);
    expect(report.interrupted).to.deep.equal(['mcp-20990101-crash1']);
    expect(report.deleted).to.deep.equal([ids['rec-deleting']]);
    expect(report.orphans).to.deep.equal([`mcp-forge-orphan-${RUN_ID}`]);
    expect(report.removed_orphans).to.deep.equal([`mcp-forge-orphan-${RUN_ID}`]);
  });

  it('statuses come from Docker; interrupted and missing servers are kept as errors, nothing is lost', async () => {
    const list = await second!.call('list_servers');
    const status = Object.fromEntries(list.servers.map((s: any) => [s.name, s.status]));
    expect(status).to.deep.equal({ 'rec-keep': 'running', 'rec-gone': 'error', 'rec-stopped': 'stopped', 'rec-interrupted': 'error' });
    const info = (await second!.call('list_servers', { include_details: true })).servers.find((s: any) => s.name === 'rec-interrupted');
    expect(info.error).to.contain('creation was interrupted');
  });

  it('finished the interrupted delete and removed the orphan in Docker', async () => {
    const names = await childNames(`${TEST_LABEL}=${RUN_ID}`);
    expect(names).to.include('mcp-forge-rec-keep');
    expect(names).to.not.include('mcp-forge-rec-deleting');
    expect(names).to.not.include(`mcp-forge-orphan-${RUN_ID}`);
  });

  it('start_server re-creates a missing container and an interrupted one', async () => {
    for (const name of ['rec-gone', 'rec-interrupted']) {
      const started = await second!.call('start_server', { server_id: name });
      expect(started.status, JSON.stringify(started)).to.equal('success');
      expect(started.message).to.contain('re-created');
      const server = (await second!.call('list_servers')).servers.find((s: any) => s.name === name);
      expect(server.status).to.equal('running');
      // rec-interrupted is a copy of rec-keep's entry: its token too.
      const child = await connectChild({ server, token: tokens[name === 'rec-interrupted' ? 'rec-keep' : name] });
      expect(await call(child, 'echo', { message: name })).to.deep.equal({ message: name });
      await child.close();
    }
  });

  it('refuses to open a registry file that is not valid JSON, and leaves it untouched', async () => {
    const file = path.join(first.config.storage.data_dir, 'broken', 'registry.json');
    const { mkdirSync } = await import('node:fs');
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, '{"version": 1, "servers": [');
    const config = { ...second!.config, storage: { data_dir: path.dirname(file) }, server: { ...second!.config.server, port: 0 } };
    const failure = await Forge.start(config).then(() => null, (err: Error) => err);
    expect(failure?.message).to.match(/not valid JSON.*left untouched/);
    expect(readFileSync(file, 'utf8')).to.equal('{"version": 1, "servers": [');
  });
});
