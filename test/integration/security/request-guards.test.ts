import { expect } from 'chai';
import { startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { rawRequest } from '../../support/raw-http.js';

const ADMIN = 'admin-token-0123456789abcdef';
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream', authorization: `Bearer ${ADMIN}` };

describe('request guards: Origin, streamed body limit, /healthz', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({ auth: { admin_token: ADMIN }, server: { max_body_bytes: 4096, allowed_hosts: ['forge.example'] } });
  });
  after(async () => h?.stop());

  const post = (headers: Record<string, string>, path = '/mcp') =>
    rawRequest(`${h.forge.url}${path}`, { method: 'POST', headers: { ...mcpHeaders, ...headers }, body: JSON.stringify(initialize) });

  for (const origin of ['http://evil.example', 'https://evil.example:9000', 'null', 'http://forge.example.evil.example']) {
    it(`refuses Origin ${origin} on /mcp, /sse and /messages with 403 and a JSON-RPC error`, async () => {
      const mcp = await post({ origin });
      expect(mcp.status).to.equal(403);
      expect(JSON.parse(mcp.body)).to.deep.include({ jsonrpc: '2.0', id: null });
      expect(JSON.parse(mcp.body).error.message).to.match(/Origin/);
      const sse = await rawRequest(`${h.forge.url}/sse`, { headers: { authorization: `Bearer ${ADMIN}`, accept: 'text/event-stream', origin }, keepOpen: true });
      expect(sse.status).to.equal(403);
      expect((await post({ origin }, '/messages?sessionId=x')).status).to.equal(403);
    });
  }

  for (const origin of [undefined, 'http://localhost:3000', 'http://127.0.0.1', 'http://[::1]:8080', 'https://forge.example']) {
    it(`accepts ${origin ? `Origin ${origin}` : 'no Origin'} (loopback and allowed hosts)`, async () => {
      const res = await post(origin ? { origin } : {});
      expect(res.status).to.equal(200);
      expect(res.body).to.contain('"protocolVersion"');
    });
  }

  it('counts streamed bytes: a chunked body without Content-Length over the limit gets 413', async () => {
    const big = JSON.stringify({ ...initialize, padding: 'x'.repeat(6000) });
    const res = await rawRequest(`${h.forge.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'transfer-encoding': 'chunked' },
      body: [Buffer.from(big.slice(0, 3000)), Buffer.from(big.slice(3000))],
    });
    expect(res.status).to.equal(413);
    expect(JSON.parse(res.body).error.message).to.match(/exceeds the limit of 4096/);
    // A chunked body within the limit still works.
    const small = await rawRequest(`${h.forge.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, 'transfer-encoding': 'chunked' },
      body: [Buffer.from(JSON.stringify(initialize))],
    });
    expect(small.status).to.equal(200);
  });

  it('/healthz says "unavailable" and reveals no internal error text when Docker cannot be reached', async () => {
    const runtime = h.forge.services.runtime as { ping(): Promise<void> };
    const ping = runtime.ping;
    runtime.ping = async () => {
      throw new Error('connect ENOENT /var/run/secret-internal-socket.sock');
    };
    try {
      const res = await rawRequest(`${h.forge.url}/healthz`, {});
      expect(res.status).to.equal(503);
      expect(JSON.parse(res.body)).to.include({ status: 'degraded', docker: 'unavailable' });
      expect(res.body).to.not.match(/ENOENT|secret-internal/);
    } finally {
      runtime.ping = ping;
    }
  });
});
