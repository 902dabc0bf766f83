import { expect } from 'chai';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { INITIALIZE, MCP_POST, rawRequest } from '../../support/raw-http.js';

/**
 * DNS rebinding: a web page resolves its own name to 127.0.0.1 and drives a child from the
 * browser. The child must refuse any Host that is not one of its own addresses, and any
 * Origin that is not one of them either (the MCP specification requires Origin validation).
 */
describe('children validate Host and Origin', function () {
  let h: ForgeHandle;
  let port: number;
  let base: string;
  let containerName: string;
  const initialize = (headers: Record<string, string>) => rawRequest(`${base}/mcp`, { method: 'POST', headers: { ...MCP_POST, ...headers }, body: INITIALIZE });
  const expectForbidden = (answer: { status: number; body: string }, what: string) => {
    expect(answer.status, `${what}: ${answer.body}`).to.equal(403);
    const body = JSON.parse(answer.body);
    expect(body.jsonrpc).to.equal('2.0');
    expect(body.error.message).to.match(/forbidden/i);
  };

  before(async function () {
    h = await startForge({ children: { allowed_hosts: ['children.example.test'] } });
    const created = await h.call('create_server', { name: 'rebind-1', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    port = created.server.port;
    base = `http://127.0.0.1:${port}`;
    containerName = h.forge.registry.get(created.server.id)!.container_name;
  });
  after(async () => h?.stop());

  it('refuses a foreign Host with 403 and a JSON-RPC body on /mcp, /sse, /messages and /healthz', async () => {
    expectForbidden(await initialize({ host: `evil.example:${port}` }), '/mcp');
    expectForbidden(await initialize({ host: `127.0.0.1.evil.example:${port}` }), '/mcp lookalike');
    expectForbidden(await rawRequest(`${base}/sse`, { headers: { host: 'evil.example' } }), '/sse');
    expectForbidden(await rawRequest(`${base}/messages?sessionId=x`, { method: 'POST', headers: { ...MCP_POST, host: 'evil.example' }, body: '{}' }), '/messages');
    expectForbidden(await rawRequest(`${base}/healthz`, { headers: { host: `evil.example:${port}` } }), '/healthz');
  });

  it('refuses a request whose Host names its own address on another port', async () => {
    expectForbidden(await initialize({ host: `127.0.0.1:${port + 1}` }), 'wrong port');
  });

  it('refuses a foreign Origin, and a null one, even with a valid Host', async () => {
    expectForbidden(await initialize({ origin: 'http://evil.example' }), 'foreign origin');
    expectForbidden(await initialize({ origin: `http://evil.example:${port}` }), 'foreign origin with port');
    expectForbidden(await initialize({ origin: 'null' }), 'null origin');
  });

  it('serves its own addresses: published, localhost, container name on the network, configured names', async () => {
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `${containerName}:${h.config.children.container_port}`, `children.example.test:${port}`]) {
      const answer = await initialize({ host });
      expect(answer.status, `${host}: ${answer.body}`).to.equal(200);
    }
    const withOrigin = await initialize({ origin: `http://localhost:${port}` });
    expect(withOrigin.status, withOrigin.body).to.equal(200);
  });

  it('still serves the SDK client on both transports, and the forge still reads its sessions', async () => {
    for (const transport of ['streamable', 'sse'] as const) {
      const client = await connect(base, transport);
      try {
        expect(await call(client, 'echo', { message: 'same host' })).to.deep.equal({ message: 'same host' });
      } finally {
        await client.close();
      }
    }
    const stats = await h.call('get_server_process_stats', { server_id: 'rebind-1' });
    expect(stats.process.connections, JSON.stringify(stats)).to.be.a('number');
  });
});
