import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call, connect, startForge, type ForgeHandle, type Transport } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';
import { until } from '../../support/poll.js';
import { RUN_ID } from '../../support/test-env.js';

const ADMIN = `admin-${RUN_ID}`;
const READER = `reader-${RUN_ID}`;
const GROUP = `px${RUN_ID.slice(-8)}`;

/**
 * A child's own endpoint through the forge's port: /servers/<name-or-id>/mcp and /sse, and a
 * group's /groups/<name>/mcp, whose sessions stay on one member and move when it goes away.
 */
describe('per-server and per-group paths on the forge port', function () {
  let h: ForgeHandle;
  let server: any;
  const clients: Client[] = [];
  const open = async (path: string, transport: Transport = 'streamable', token = ADMIN) => {
    const client = await connect(`${h.forge.url}${path}`, transport, token);
    clients.push(client);
    return client;
  };
  const raw = (path: string, token: string) =>
    fetch(`${h.forge.url}${path}/mcp`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });

  before(async function () {
    h = await startForge({ auth: { admin_token: ADMIN, tokens: [{ name: 'reader', token: READER, role: 'read' }] } });
    const created = await h.call('create_server', { name: `${GROUP}-solo`, capabilities: ['echo', 'uptime'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    server = created.server;
  });
  after(async () => {
    for (const c of clients) await c.close().catch(() => undefined);
    if (!h) return;
    await h.call('manage_auto_scaling', { action: 'delete_group', group_name: GROUP }).catch(() => undefined);
    await h.stop();
  });

  for (const transport of ['streamable', 'sse'] as const) {
    it(`serves the child's tools by name and by id over ${transport}`, async () => {
      for (const ref of [server.name, server.id]) {
        const client = await open(`/servers/${ref}`, transport);
        expect((await client.listTools()).tools.map((t) => t.name)).to.have.members(['echo', 'uptime']);
        expect(await call(client, 'echo', { message: `via ${ref}` })).to.deep.equal({ message: `via ${ref}` });
        expect((await call(client, 'uptime')).server_id).to.equal(server.id);
        expect(client.getServerVersion()?.name).to.equal(server.name);
      }
    });
  }

  it('refuses a read token, an unknown server and a stopped one with clear JSON-RPC errors', async () => {
    const byReader = await raw(`/servers/${server.name}`, READER);
    expect(byReader.status).to.equal(403);
    expect((await byReader.json()).error.message).to.contain('needs the use or admin role');
    expect((await raw(`/servers/${server.name}`, 'wrong')).status).to.equal(401);
    const unknown = await raw('/servers/no-such-server', ADMIN);
    expect(unknown.status).to.equal(404);
    expect((await unknown.json()).error.message).to.contain('no server with id or name "no-such-server"');
    expect((await h.call('stop_server', { server_id: server.id })).status).to.equal('success');
    const stopped = await raw(`/servers/${server.name}`, ADMIN);
    expect(stopped.status).to.equal(409);
    expect((await stopped.json()).error.message).to.contain('not running');
    expect((await h.call('start_server', { server_id: server.id })).status).to.equal('success');
    const client = await open(`/servers/${server.name}`);
    expect(await call(client, 'echo', { message: 'back' })).to.deep.equal({ message: 'back' });
  });

  it('spreads group sessions over the members; a session whose member is removed gets a clear error and a new one is served', async () => {
    const members: any[] = [];
    for (const n of [1, 2, 3]) {
      const created = await h.call('create_server', { name: `${GROUP}-m${n}`, capabilities: ['uptime'] });
      expect(created.status, JSON.stringify(created)).to.equal('success');
      members.push(created.server);
    }
    const group = await h.call('manage_auto_scaling', { action: 'create_group', group_name: GROUP, min_instances: 1, max_instances: 3, server_ids: members.map((m) => m.id) });
    expect(group.status, JSON.stringify(group)).to.equal('success');

    const sessions = [await open(`/groups/${GROUP}`), await open(`/groups/${GROUP}`, 'sse'), await open(`/groups/${GROUP}`)];
    const homes: string[] = [];
    for (const s of sessions) homes.push((await call(s, 'uptime')).server_id);
    expect(new Set(homes)).to.have.property('size', 3);
    for (let i = 0; i < 3; i++) expect((await call(sessions[i]!, 'uptime')).server_id, 'a session stays on its member').to.equal(homes[i]);

    const gone = members.find((m) => m.id === homes[0])!;
    await docker.getContainer(gone.container_name ?? `mcp-forge-${gone.name}`).remove({ force: true });
    const failed = await sessions[0]!.callTool({ name: 'uptime', arguments: {} }).then(() => null, (err: Error) => err);
    expect(failed, 'the old session gets a clear error').to.be.instanceOf(Error);
    expect(failed!.message).to.match(/went away|is not reachable/);
    const moved = await until('a new group session on a member that runs', async () => {
      const client = await open(`/groups/${GROUP}`);
      return (await call(client, 'uptime')).server_id as string;
    }, 30_000, 250);
    // The scaler may already have repaired the removed member (same id, new container): any member will do.
    expect(homes).to.include(moved);
  });
});
