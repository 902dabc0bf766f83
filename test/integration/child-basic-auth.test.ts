import { expect } from 'chai';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { call, connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { docker } from '../support/docker-leaks.js';
import { until } from '../support/poll.js';
import { RUN_ID, TEST_LABEL } from '../support/test-env.js';

describe('option auth "basic" against a real child', function () {
  let h: ForgeHandle;
  let created: any;
  let base: string;
  const post = (url: string, headers: Record<string, string> = {}) =>
    fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 't', version: '1' } } }),
    });

  before(async function () {
    h = await startForge();
    created = await h.call('create_server', { name: 'locked-1', capabilities: ['echo'], options: { auth: 'basic' } });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    base = `http://127.0.0.1:${created.server.port}`;
  });
  after(async () => h?.stop());

  it('returns generated credentials once in the create result', () => {
    const { credentials } = created;
    expect(credentials).to.include({ scheme: 'basic', username: 'locked-1' });
    expect(credentials.password).to.match(/^[A-Za-z0-9_-]{32}$/);
    expect(credentials.authorization).to.equal(`Basic ${Buffer.from(`locked-1:${credentials.password}`).toString('base64')}`);
    expect(created.message).to.contain('shown only this once');
  });

  it('refuses clients without valid credentials on /mcp, /sse and /messages; /healthz stays open', async () => {
    const anonymous = await post(`${base}/mcp`);
    expect(anonymous.status).to.equal(401);
    expect(anonymous.headers.get('www-authenticate')).to.match(/^Basic realm="mcp-forge locked-1"/);
    expect((await anonymous.json()).error.message).to.equal('authentication required');
    const wrong = await post(`${base}/mcp`, { authorization: `Basic ${Buffer.from('locked-1:wrong').toString('base64')}` });
    expect(wrong.status).to.equal(401);
    expect((await wrong.json()).error.message).to.equal('invalid credentials');
    const sse = await fetch(`${base}/sse`);
    expect(sse.status).to.equal(401);
    await sse.body?.cancel();
    expect((await post(`${base}/messages?sessionId=x`)).status).to.equal(401);
    expect((await fetch(`${base}/healthz`)).status).to.equal(200);
    let refused: { code?: number; message?: string } = {};
    await connect(base).then((c) => c.close(), (err) => (refused = err));
    expect(refused.code).to.equal(401);
    expect(refused.message).to.contain('authentication required');
  });

  for (const transport of ['streamable', 'sse'] as const) {
    it(`serves an SDK client sending the credentials over ${transport}`, async () => {
      const client = await connect(base, transport, { authorization: created.credentials.authorization });
      try {
        expect(await call(client, 'echo', { message: 'let me in' })).to.deep.equal({ message: 'let me in' });
      } finally {
        await client.close();
      }
    });
  }

  it('never shows the password or its hash again; the registry keeps only a salted hash', async () => {
    const { password } = created.credentials;
    const registry = await readFile(path.join(h.config.storage.data_dir, 'registry.json'), 'utf8');
    expect(registry).to.not.contain(password);
    expect(JSON.parse(registry).servers[0].credentials.hash).to.match(/^scrypt\$16384\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/);
    const shown = [
      await h.call('list_servers', { include_details: true }),
      await h.call('list_servers'),
      JSON.parse(((await h.client.readResource({ uri: `servers://${created.server.id}/info` })).contents[0] as { text: string }).text),
    ];
    for (const view of shown) {
      const text = JSON.stringify(view);
      expect(text).to.not.contain(password);
      expect(text).to.not.contain('scrypt$');
    }
    expect(shown[0].servers[0].options).to.deep.equal({ auth: 'basic' });
  });

  it('comes back guarded after restart_server, and the same credentials still work', async () => {
    expect((await h.call('restart_server', { server_id: 'locked-1' })).status).to.equal('success');
    expect((await post(`${base}/mcp`)).status).to.equal(401);
    const client = await connect(base, 'streamable', { authorization: created.credentials.authorization });
    expect(await call(client, 'echo', { message: 'again' })).to.deep.equal({ message: 'again' });
    await client.close();
  });

  it('fails closed: its image refuses to start without the credential hash', async () => {
    const container = await docker.createContainer({ Image: created.server.image, Labels: { [TEST_LABEL]: RUN_ID } });
    try {
      await container.start();
      const state = await until('the unguarded container to exit', async () => {
        const info = await container.inspect();
        return info.State.Running ? undefined : info.State;
      });
      expect(state.ExitCode).to.not.equal(0);
      const logs = (await container.logs({ stdout: true, stderr: true })).toString('utf8');
      expect(logs).to.contain('unit auth needs credentials, but none were given; refusing to start unprotected');
    } finally {
      await container.remove({ force: true });
    }
  });
});
