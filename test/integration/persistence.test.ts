import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { attempt } from '../support/tool-call.js';

const volumeExists = (name: string) => docker.getVolume(name).inspect().then(() => true, (e) => (e.statusCode === 404 ? false : Promise.reject(e)));

describe('option persistence "sqlite" against a real child', function () {
  let h: ForgeHandle;
  let server: any;
  let message: string;
  const child = async <T>(fn: (c: Client) => Promise<T>) => {
    const c = await connect(`http://127.0.0.1:${server.port}`);
    try {
      return await fn(c);
    } finally {
      await c.close();
    }
  };
  const get = (key: string) => child(async (c) => (await attempt(c, 'kv_get', { key })).data);

  before(async function () {
    h = await startForge();
    const created = await h.call('create_server', { name: 'kv-1', capabilities: ['echo'], options: { persistence: 'sqlite' } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
    message = created.message;
  });
  after(async () => h?.stop());

  it('keeps its data on a labelled named volume and says so', async () => {
    expect(server.volume).to.equal(`mcp-forge-data-${server.id}`);
    expect(message).to.contain(`volume ${server.volume}, which survives restarts and is removed only by delete_server`);
    const volume = await docker.getVolume(server.volume).inspect();
    expect(volume.Labels).to.include({ 'io.mcp-forge.server-id': server.id, 'io.mcp-forge.kind': 'volume', 'io.mcp-forge.instance': h.forge.registry.instanceId });
    const info = await docker.getContainer(server.container_id).inspect();
    expect(info.Mounts.find((m: any) => m.Destination === '/data')).to.include({ Type: 'volume', Name: server.volume, RW: true });
  });

  it('gets, sets, lists and deletes keys', async () => {
    await child(async (c) => {
      expect((await c.listTools()).tools.map((t) => t.name)).to.have.members(['echo', 'kv_get', 'kv_set', 'kv_list', 'kv_delete']);
      expect((await attempt(c, 'kv_set', { key: 'user:1', value: { name: 'Ada', langs: ['en'] } })).data).to.deep.equal({ key: 'user:1', stored: true, replaced: false });
      expect((await attempt(c, 'kv_set', { key: 'user:2', value: 'Grace' })).data.replaced).to.equal(false);
      expect((await attempt(c, 'kv_set', { key: 'user:2', value: 'Grace H.' })).data.replaced).to.equal(true);
      await attempt(c, 'kv_set', { key: 'user_%', value: 3 });
      await attempt(c, 'kv_set', { key: 'other', value: null });
      expect((await attempt(c, 'kv_get', { key: 'user:1' })).data).to.deep.include({ found: true, value: { name: 'Ada', langs: ['en'] } });
      expect((await attempt(c, 'kv_get', { key: 'nope' })).data).to.deep.equal({ key: 'nope', found: false, value: null });
      expect((await attempt(c, 'kv_list', {})).data.keys).to.deep.equal(['other', 'user:1', 'user:2', 'user_%']);
      expect((await attempt(c, 'kv_list', { prefix: 'user:' })).data.keys).to.deep.equal(['user:1', 'user:2']);
      expect((await attempt(c, 'kv_list', { prefix: 'user_%' })).data.keys).to.deep.equal(['user_%']);
      expect((await attempt(c, 'kv_list', { limit: 1 })).data.keys).to.deep.equal(['other']);
      expect((await attempt(c, 'kv_delete', { key: 'other' })).data).to.deep.equal({ key: 'other', deleted: true });
      expect((await attempt(c, 'kv_delete', { key: 'other' })).data.deleted).to.equal(false);
    });
  });

  it('survives restart_server', async () => {
    expect((await h.call('restart_server', { server_id: server.id })).status).to.equal('success');
    expect((await get('user:2')).value).to.equal('Grace H.');
  });

  it('survives its container being re-created', async () => {
    await docker.getContainer(server.container_id).remove({ force: true });
    const started = await h.call('start_server', { server_id: server.id });
    expect(started.message).to.contain('re-created');
    expect((await get('user:1')).value).to.deep.equal({ name: 'Ada', langs: ['en'] });
  });

  it('survives a forge restart (a new forge on the same data directory)', async () => {
    await h.stop({ keepServers: true });
    h = await startForge({ server: { instance_id: h.config.server.instance_id }, storage: { data_dir: h.config.storage.data_dir } });
    expect((await h.call('restart_server', { server_id: 'kv-1' })).status).to.equal('success');
    expect((await get('user:2')).value).to.equal('Grace H.');
  });

  it('is removed by delete_server, which says so', async () => {
    const deleted = await h.call('delete_server', { server_id: server.id });
    expect(deleted.status).to.equal('success');
    expect(deleted.message).to.contain(`data volume ${server.volume} and the data on it were removed`);
    expect(await volumeExists(server.volume)).to.equal(false);
  });

  it('rejects unknown options and values, listing the known ones', async () => {
    const unknown = await h.call('create_server', { options: { persistance: 'sqlite' } });
    expect(unknown.error).to.deep.equal({
      code: 'invalid_request',
      message: 'unknown option: persistance; known options: auth, file_reader, http_request, persistence',
    });
    const value = await h.call('create_server', { options: { persistence: 'postgres' } });
    expect(value.error.message).to.equal('invalid option: options.persistence must be equal to one of the allowed values: "sqlite"');
    expect((await h.call('list_servers')).count).to.equal(0);
  });
});

describe('option persistence: the store has a quota', function () {
  let h: ForgeHandle;
  let c: Client;
  before(async () => {
    h = await startForge({ children: { store_max_keys: 3, store_max_bytes: 2048 } });
    const created = await h.call('create_server', { name: 'kv-quota', capabilities: ['echo'], options: { persistence: 'sqlite' } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    c = await connect(`http://127.0.0.1:${created.server.port}`);
  });
  after(async () => {
    await c?.close();
    await h?.stop();
  });

  it('refuses a key past children.store_max_keys with a clear error; replacing and deleting still work', async () => {
    for (const key of ['a', 'b', 'c']) expect((await attempt(c, 'kv_set', { key, value: 1 })).data.stored).to.equal(true);
    const over = await attempt(c, 'kv_set', { key: 'd', value: 1 });
    expect(over.isError).to.equal(true);
    expect(over.text).to.match(/store is full: it holds 3 keys, the most this server may keep \(children\.store_max_keys\); delete keys first/);
    expect((await attempt(c, 'kv_get', { key: 'd' })).data.found).to.equal(false);
    expect((await attempt(c, 'kv_set', { key: 'a', value: 2 })).data.replaced).to.equal(true);
    expect((await attempt(c, 'kv_delete', { key: 'c' })).data.deleted).to.equal(true);
    expect((await attempt(c, 'kv_set', { key: 'd', value: 1 })).data.stored).to.equal(true);
  });

  it('refuses a value that would take the store past children.store_max_bytes', async () => {
    const big = await attempt(c, 'kv_set', { key: 'a', value: 'x'.repeat(3000) });
    expect(big.isError).to.equal(true);
    expect(big.text).to.match(/would take the store to \d+ bytes, above this server's quota of 2048 bytes \(children\.store_max_bytes\)/);
    expect((await attempt(c, 'kv_get', { key: 'a' })).data.value).to.equal(2);
    expect((await attempt(c, 'kv_set', { key: 'a', value: 'x'.repeat(1500) })).data.stored).to.equal(true);
  });
});
