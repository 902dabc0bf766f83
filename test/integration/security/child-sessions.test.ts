import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { docker } from '../../support/docker-leaks.js';
import { pollUntil } from '../../support/poll.js';
import { INITIALIZE, MCP_POST, rawRequest } from '../../support/raw-http.js';

const MAX = 3;

/** children.max_sessions caps each child's open sessions; idle SSE sessions are reaped like Streamable HTTP ones. */
describe('child session caps and SSE idle reaping', function () {
  let h: ForgeHandle;
  let base: string;
  let serverId: string;
  const open: Client[] = [];
  const health = async () => JSON.parse((await rawRequest(`${base}/healthz`)).body) as { connections: number };

  before(async function () {
    h = await startForge({ children: { max_sessions: MAX, session_idle_timeout_s: 4 } });
    const created = await h.call('create_server', { name: 'capped-1', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    base = `http://127.0.0.1:${created.server.port}`;
    serverId = created.server.id;
  });
  after(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await h?.stop();
  });

  it('passes the cap to the child as environment data', async () => {
    const info = await docker.getContainer(h.forge.registry.get(serverId)!.container_id!).inspect();
    expect(info.Config.Env).to.include(`FORGE_MAX_SESSIONS=${MAX}`);
  });

  it('refuses a session over the cap with 503 and a JSON-RPC body, on both transports; open sessions keep working', async () => {
    open.push(await connect(base, 'streamable'), await connect(base, 'sse'), await connect(base, 'streamable'));
    expect((await health()).connections).to.equal(MAX);
    const over = await rawRequest(`${base}/mcp`, { method: 'POST', headers: MCP_POST, body: INITIALIZE });
    expect(over.status, over.body).to.equal(503);
    const body = JSON.parse(over.body);
    expect(body).to.include({ jsonrpc: '2.0', id: null });
    expect(body.error.message).to.match(/too many sessions/i);
    const overSse = await rawRequest(`${base}/sse`, { firstChunkOnly: true });
    expect(overSse.status, overSse.body).to.equal(503);
    expect(JSON.parse(overSse.body).error.message).to.match(/too many sessions/i);
    for (const client of open) expect(await call(client, 'echo', { message: 'still here' })).to.deep.equal({ message: 'still here' });
    expect((await health()).connections).to.equal(MAX);
  });

  it('reaps idle sessions of both transports, which frees room for new ones', async () => {
    const stats = () => h.call('get_server_process_stats', { server_id: serverId });
    await pollUntil(stats, (r) => r.process?.connections === 0, 'the idle sessions to be reaped', 20_000, 500);
    for (const c of open.splice(0)) await c.close().catch(() => undefined);
    const fresh = await connect(base, 'sse');
    open.push(fresh);
    expect(await call(fresh, 'echo', { message: 'room again' })).to.deep.equal({ message: 'room again' });
  });
});
