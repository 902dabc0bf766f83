import http from 'node:http';
import { expect } from 'chai';
import { call, connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';

/** A raw request with a chosen Host header (fetch drops custom Host headers). */
function rawPost(url: string, host: string, body: unknown): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { hostname: target.hostname, port: target.port, path: target.pathname, method: 'POST', headers: { host, 'content-type': 'application/json', accept: 'application/json, text/event-stream' } },
      (res) => {
        let text = '';
        res.on('data', (c) => (text += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(JSON.stringify(body));
  });
}

const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };

describe('forge endpoint: transports, Host guard, health, sessions', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ server: { session_idle_timeout_s: 1 } }, 'sse');
  });
  after(async () => h?.stop());

  it('serves the lifecycle over legacy SSE (/sse + /messages), children included', async () => {
    const created = await h.call('create_server', { name: 'sse-made', description: 'Created over SSE' });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    const child = await connect(`http://127.0.0.1:${created.server.port}`, 'sse');
    expect(await call(child, 'echo', { message: 'via sse' })).to.deep.equal({ message: 'via sse' });
    await child.close();
    expect((await h.call('list_servers')).servers.map((s: any) => s.name)).to.deep.equal(['sse-made']);
    expect((await h.call('delete_server', { server_id: 'sse-made' })).status).to.equal('success');
  });

  it('advertises every tool with the JSON Schema it validates against', async () => {
    const { tools } = await h.client.listTools();
    const create = tools.find((t) => t.name === 'create_server')!;
    expect(create.inputSchema.properties).to.have.keys('name', 'description', 'capabilities', 'handlers', 'options', 'source', 'secrets');
    const bad = await h.call('create_server', { name: 'ok-name', colour: 'red' });
    expect(bad.error.code).to.equal('invalid_request');
    expect(bad.error.message).to.contain('unknown parameter "colour"');
  });

  it('refuses a foreign Host header with 403 and accepts the loopback names', async () => {
    const url = `${h.forge.url}/mcp`;
    const port = new URL(url).port;
    expect((await rawPost(url, `evil.example:${port}`, initialize)).status).to.equal(403);
    expect((await rawPost(url, `localhost:${port}`, initialize)).status).to.equal(200);
    expect((await rawPost(url, `127.0.0.1:${port}`, initialize)).status).to.equal(200);
  });

  it('answers GET /healthz with Docker reachable', async () => {
    const res = await fetch(`${h.forge.url}/healthz`);
    expect(res.status).to.equal(200);
    expect(await res.json()).to.include({ status: 'ok', docker: 'ok', instance: h.forge.registry.instanceId });
  });

  it('reaps idle Streamable HTTP sessions: an unused session disappears and its id gets 404', async () => {
    type Health = { sessions: { streamable: number; sse: number } };
    const streamable = async () => ((await (await fetch(`${h.forge.url}/healthz`)).json()) as Health).sessions.streamable;
    const client = await connect(h.forge.url, 'streamable');
    const sessionId: string = (client as any)._transport.sessionId;
    expect(await streamable()).to.be.at.least(1);
    // /healthz does not touch MCP sessions, so polling it lets them go idle.
    const deadline = Date.now() + 15_000;
    while ((await streamable()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(await streamable()).to.equal(0);
    const res = await fetch(`${h.forge.url}/mcp`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 9, method: 'ping' }),
    });
    expect(res.status).to.equal(404);
    await client.close().catch(() => undefined);
  });
});
