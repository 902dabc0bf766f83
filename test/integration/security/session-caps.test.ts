import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { until } from '../../support/poll.js';
import { rawRequest } from '../../support/raw-http.js';

const ALICE = 'alice-token-0123456789abcdef';
const BOB = 'bob-token-0123456789abcdef012';
const CAROL = 'carol-token-0123456789abcdef0';
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const headers = (token: string) => ({ 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${token}` });
type Health = { sessions: { streamable: number; sse: number } };

describe('MCP session caps and idle reaping on /mcp and /sse', function () {
  let h: ForgeHandle;
  const open: Client[] = [];
  before(async () => {
    h = await startForge({
      auth: { admin_token: null, tokens: [ALICE, BOB, CAROL].map((token, i) => ({ name: ['alice', 'bob', 'carol'][i]!, token, role: 'admin' as const })) },
      // The fixture's own client (alice) holds one session.
      server: { max_sessions: 4, max_sessions_per_token: 2 },
    });
  });
  after(async () => {
    for (const c of open) await c.close().catch(() => undefined);
    await h?.stop();
  });

  it('refuses a token over its cap with 429 and the forge over its total with 503 (JSON-RPC bodies), on both transports; open sessions keep working', async () => {
    open.push(await connect(h.forge.url, 'sse', ALICE));
    const mcp = await rawRequest(`${h.forge.url}/mcp`, { method: 'POST', headers: headers(ALICE), body: JSON.stringify(initialize) });
    expect(mcp.status).to.equal(429);
    expect(JSON.parse(mcp.body)).to.deep.include({ jsonrpc: '2.0', id: null });
    expect(JSON.parse(mcp.body).error.message).to.match(/max_sessions_per_token/);
    const sse = await rawRequest(`${h.forge.url}/sse`, { headers: { authorization: `Bearer ${ALICE}`, accept: 'text/event-stream' }, keepOpen: true });
    expect(sse.status).to.equal(429);

    open.push(await connect(h.forge.url, 'streamable', BOB), await connect(h.forge.url, 'sse', BOB));
    const full = await rawRequest(`${h.forge.url}/mcp`, { method: 'POST', headers: headers(CAROL), body: JSON.stringify(initialize) });
    expect(full.status).to.equal(503);
    expect(JSON.parse(full.body).error.message).to.match(/max_sessions/);
    expect((await rawRequest(`${h.forge.url}/sse`, { headers: { authorization: `Bearer ${CAROL}` }, keepOpen: true })).status).to.equal(503);

    // Nothing already open was dropped.
    expect((await h.call('list_servers')).status).to.equal('success');
    for (const c of open) expect((await call(c, 'list_servers')).status).to.equal('success');

    // A closed session frees its place.
    await open.pop()!.close();
    await until('bob\'s SSE session to be gone', async () => (((await (await fetch(`${h.forge.url}/healthz`)).json()) as Health).sessions.sse === 1 ? true : undefined));
    const carol = await connect(h.forge.url, 'streamable', CAROL);
    expect((await call(carol, 'list_servers')).status).to.equal('success');
    await carol.close();
  });
});

describe('idle SSE sessions are reaped like Streamable HTTP ones', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ server: { session_idle_timeout_s: 1 } });
  });
  after(async () => h?.stop());

  it('an unused SSE session disappears and its id gets 404', async () => {
    const sse = async () => ((await (await fetch(`${h.forge.url}/healthz`)).json()) as Health).sessions.sse;
    const client = await connect(h.forge.url, 'sse');
    const endpoint: URL = (client as any)._transport._endpoint;
    expect(await sse()).to.equal(1);
    await until('the idle SSE session to be reaped', async () => ((await sse()) === 0 ? true : undefined), 15_000);
    const res = await fetch(endpoint, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }) });
    expect(res.status).to.equal(404);
    await client.close().catch(() => undefined);
  });
});
