import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef0';

describe('quotas and rate limits', function () {
  describe('totals: max_servers and max_running', () => {
    let h: ForgeHandle;
    before(async () => {
      h = await startForge({ quotas: { max_servers: 3, max_running: 2, max_servers_per_token: null, creates_per_minute_per_token: null } });
    });
    after(async () => h?.stop());

    const instanceContainers = async () =>
      (await docker.listContainers({ all: true, filters: { label: [`io.mcp-forge.instance=${h.forge.registry.instanceId}`] } })).length;

    it('refuses what goes over a quota, naming it, and leaves nothing behind', async () => {
      expect((await h.call('create_server', { name: 'q-1', capabilities: ['echo'] })).status).to.equal('success');
      expect((await h.call('create_server', { name: 'q-2', capabilities: ['echo'] })).status).to.equal('success');
      const registryBefore = readFileSync(path.join(h.config.storage.data_dir, 'registry.json'), 'utf8');

      const third = await h.call('create_server', { name: 'q-3', capabilities: ['time'] });
      expect(third.error).to.deep.equal({ code: 'limit_exceeded', message: 'quota max_running (2) reached: 2 servers are meant to be running' });
      expect(await instanceContainers()).to.equal(2);
      expect(readFileSync(path.join(h.config.storage.data_dir, 'registry.json'), 'utf8')).to.equal(registryBefore);
      const timeImages = await docker.listImages({ filters: { label: ['io.mcp-forge.capabilities=time'], reference: [`${h.config.images.child_repository}:*`] } });
      expect(timeImages).to.deep.equal([]);
    });

    it('counts running servers: stopping one makes room, starting it again is refused', async () => {
      expect((await h.call('stop_server', { server_id: 'q-1' })).status).to.equal('success');
      expect((await h.call('create_server', { name: 'q-3', capabilities: ['echo'] })).status).to.equal('success');
      const start = await h.call('start_server', { server_id: 'q-1' });
      expect(start.error.code).to.equal('limit_exceeded');
      expect(start.error.message).to.contain('max_running');
      expect((await h.call('list_servers')).servers.find((s: any) => s.name === 'q-1').status).to.equal('stopped');
    });

    it('refuses a server over max_servers', async () => {
      expect((await h.call('stop_server', { server_id: 'q-2' })).status).to.equal('success');
      const fourth = await h.call('create_server', { name: 'q-4', capabilities: ['echo'] });
      expect(fourth.error).to.deep.equal({ code: 'limit_exceeded', message: 'quota max_servers (3) reached: too many servers' });
      expect(await instanceContainers()).to.equal(3);
    });
  });

  describe('per token: max_servers_per_token and creates_per_minute_per_token', () => {
    let h: ForgeHandle;
    before(async () => {
      h = await startForge({
        auth: { admin_token: null, tokens: [{ name: 'alice', token: ALICE, role: 'admin' }, { name: 'bob', token: BOB, role: 'admin' }] },
        quotas: { max_servers: null, max_running: null, max_servers_per_token: 1, creates_per_minute_per_token: 2 },
      });
    });
    after(async () => h?.stop());

    it('holds each token to its own share and rate', async () => {
      const alice = await connect(h.forge.url, 'streamable', ALICE);
      const bob = await connect(h.forge.url, 'streamable', BOB);
      expect((await call(alice, 'create_server', { name: 'alice-1', capabilities: ['echo'] })).status).to.equal('success');
      const second = await call(alice, 'create_server', { name: 'alice-2', capabilities: ['echo'] });
      expect(second.error.message).to.equal('quota max_servers_per_token (1) reached: token "alice" has 1 servers');
      const third = await call(alice, 'create_server', { name: 'alice-3', capabilities: ['echo'] });
      expect(third.error).to.deep.equal({ code: 'limit_exceeded', message: 'quota creates_per_minute_per_token (2) reached: token "alice" may create 2 servers a minute' });
      expect((await call(bob, 'create_server', { name: 'bob-1', capabilities: ['echo'] })).status).to.equal('success');
      expect((await call(alice, 'list_servers')).servers.map((s: any) => s.name).sort()).to.deep.equal(['alice-1', 'bob-1']);
      await alice.close();
      await bob.close();
    });
  });
});
