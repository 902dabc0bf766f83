import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';
import { pollUntil } from '../../support/poll.js';
import { INITIALIZE, MCP_POST, rawRequest } from '../../support/raw-http.js';
import { childAuthHeaders } from '../../../src/servers/child-auth-headers.js';

/** children.require_token: a forge-issued bearer credential, shown once, stored and passed on only as a hash. */
describe('children.require_token', function () {
  let h: ForgeHandle;
  let created: any;
  let base: string;

  before(async function () {
    h = await startForge({ children: { require_token: true }, scaling: { interval_s: 1 } });
    created = await h.call('create_server', { name: 'tokened-1', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    base = `http://127.0.0.1:${created.server.port}`;
  });
  after(async () => h?.stop());

  it('returns the token once in create_server and says so', () => {
    expect(created.token).to.be.a('string').and.match(/^[A-Za-z0-9_-]{43}$/);
    expect(created.message).to.contain('Bearer');
  });

  it('refuses a client without the token, or with a wrong one (401 with a Bearer challenge)', async () => {
    const attempts: Record<string, string>[] = [{}, { authorization: 'Bearer not-the-token' }, { authorization: `Basic ${Buffer.from('a:b').toString('base64')}` }];
    for (const headers of attempts) {
      const answer = await rawRequest(`${base}/mcp`, { method: 'POST', headers: { ...MCP_POST, ...headers }, body: INITIALIZE });
      expect(answer.status, answer.body).to.equal(401);
      expect(answer.headers['www-authenticate']).to.match(/^Bearer /);
      expect(JSON.parse(answer.body).error.code).to.equal(-32001);
    }
    const sse = await rawRequest(`${base}/sse`, { firstChunkOnly: true });
    expect(sse.status).to.equal(401);
    let refused: { code?: number } = {};
    await connect(base).then((c) => c.close(), (err) => (refused = err));
    expect(refused.code).to.equal(401);
  });

  for (const transport of ['streamable', 'sse'] as const) {
    it(`serves an SDK client with the token over ${transport}`, async () => {
      const client = await connect(base, transport, created.token);
      try {
        expect(await call(client, 'echo', { message: 'bearer' })).to.deep.equal({ message: 'bearer' });
      } finally {
        await client.close();
      }
    });
  }

  it('keeps the token only as a hash: not in the registry, the container or any answer', async () => {
    const { token } = created;
    const hash = createHash('sha256').update(token).digest('hex');
    const registry = await readFile(path.join(h.config.storage.data_dir, 'registry.json'), 'utf8');
    expect(registry).to.not.contain(token);
    expect(JSON.parse(registry).servers[0].token_hash).to.equal(`sha256:${hash}`);
    const info = await docker.getContainer(created.server.container_id).inspect();
    const env = info.Config.Env.join('\n');
    expect(env).to.not.contain(token);
    expect(env).to.contain(hash);
    expect(JSON.stringify(info.Config.Labels)).to.not.contain(token);
    const shown = JSON.stringify([await h.call('list_servers', { include_details: true }), await h.call('get_server_logs', { server_id: created.server.id, max_lines: 200 })]);
    expect(shown).to.not.contain(token);
    expect(shown).to.not.contain(hash);
  });

  it('keeps the per-forge secret in a 0600 file of the data directory; no secret or internal token in the container', async () => {
    const file = path.join(h.config.storage.data_dir, 'child-secret');
    expect((await stat(file)).mode & 0o777).to.equal(0o600);
    const internal = childAuthHeaders(h.forge.registry.get(created.server.id)!, h.config).authorization!.replace(/^Bearer /, '');
    const env = (await docker.getContainer(created.server.container_id).inspect()).Config.Env.join('\n');
    expect(env).to.not.contain(internal);
    expect(env).to.not.contain((await readFile(file)).toString('base64url'));
  });

  it('the forge still manages and monitors the child: restart, readiness and session counts', async () => {
    expect((await h.call('restart_server', { server_id: 'tokened-1' })).status).to.equal('success');
    const client = await connect(base, 'streamable', created.token);
    const connections = () => h.call('get_server_process_stats', { server_id: 'tokened-1' });
    await pollUntil(connections, (r) => r.process?.connections === 1, 'the forge to count the open session');
    await (client.transport as StreamableHTTPClientTransport).terminateSession();
    await client.close();
    await pollUntil(connections, (r) => r.process?.connections === 0, 'the forge to count no session');
  });

  it('with a Basic credential as well, either credential lets a client in', async () => {
    const both = await h.call('create_server', { name: 'tokened-2', capabilities: ['echo'], options: { auth: 'basic' } });
    expect(both.status, JSON.stringify(both)).to.equal('success');
    const url = `http://127.0.0.1:${both.server.port}`;
    for (const auth of [both.token, { authorization: both.credentials.authorization }]) {
      const client = await connect(url, 'streamable', auth);
      expect(await call(client, 'echo', { message: 'either' })).to.deep.equal({ message: 'either' });
      await client.close();
    }
    const anonymous = await rawRequest(`${url}/mcp`, { method: 'POST', headers: MCP_POST, body: INITIALIZE });
    expect(anonymous.status).to.equal(401);
  });

  it("clones of a scaling group's member answer the member's token, and no new token is issued", async () => {
    const group = 'tok-grp';
    expect((await h.call('manage_auto_scaling', { action: 'create_group', group_name: group, min_instances: 2, max_instances: 2, server_ids: ['tokened-1'] })).status).to.equal('success');
    try {
      const members = await pollUntil(
        async () => h.forge.registry.list().filter((r) => r.name.startsWith(`${group}-`) && r.phase === 'ready'),
        (list) => list.length === 1,
        'the scaler to clone the member',
        60_000,
        500,
      );
      const clone = members[0]!;
      expect(clone.token_hash).to.equal(h.forge.registry.get(created.server.id)!.token_hash);
      const client = await connect(`http://127.0.0.1:${clone.port}`, 'streamable', created.token);
      expect(await call(client, 'echo', { message: 'clone' })).to.deep.equal({ message: 'clone' });
      await client.close();
      const anonymous = await rawRequest(`http://127.0.0.1:${clone.port}/mcp`, { method: 'POST', headers: MCP_POST, body: INITIALIZE });
      expect(anonymous.status).to.equal(401);
    } finally {
      await h.call('manage_auto_scaling', { action: 'delete_group', group_name: group });
    }
  });
});
