import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'chai';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';

const ADMIN = 'admin-token-0123456789abcdef';
const READER = 'read-token-0123456789abcdef';
const initialize = { jsonrpc: '2.0', id: 1, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'raw', version: '1' } } };
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('authentication, roles and the audit log', function () {
  let h: ForgeHandle;
  before(async () => {
    h = await startForge({
      auth: { admin_token: ADMIN, tokens: [{ name: 'viewer', token: READER, role: 'read' }] },
      server: { max_body_bytes: 4096 },
    });
  });
  after(async () => h?.stop());

  for (const [label, headers] of [['no token', {}], ['a wrong token', { authorization: 'Bearer not-the-token-at-all' }]] as const) {
    it(`${label} gets 401 with WWW-Authenticate on /mcp and /sse`, async () => {
      const mcp = await fetch(`${h.forge.url}/mcp`, { method: 'POST', headers: { ...mcpHeaders, ...headers }, body: JSON.stringify(initialize) });
      expect(mcp.status).to.equal(401);
      expect(mcp.headers.get('www-authenticate')).to.match(/^Bearer realm="mcp-forge"/);
      const sse = await fetch(`${h.forge.url}/sse`, { headers });
      expect(sse.status).to.equal(401);
      expect(sse.headers.get('www-authenticate')).to.match(/^Bearer/);
      const messages = await fetch(`${h.forge.url}/messages?sessionId=x`, { method: 'POST', headers: { ...mcpHeaders, ...headers }, body: '{}' });
      expect(messages.status).to.equal(401);
    });
  }

  it('/healthz stays open', async () => {
    expect((await fetch(`${h.forge.url}/healthz`)).status).to.equal(200);
  });

  it('/metrics needs a token unless auth.metrics_public, and a read token may read it', async () => {
    expect((await fetch(`${h.forge.url}/metrics`)).status).to.equal(401);
    const read = await fetch(`${h.forge.url}/metrics`, { headers: { authorization: `Bearer ${READER}` } });
    expect(read.status).to.equal(200);
    expect(await read.text()).to.contain('# TYPE');
    const set = (value: boolean) => h.call('set_config', { section: 'auth', key: 'metrics_public', value });
    expect((await set(true)).status).to.equal('success');
    try {
      expect((await fetch(`${h.forge.url}/metrics`)).status).to.equal(200);
    } finally {
      await set(false);
    }
    expect((await fetch(`${h.forge.url}/metrics`)).status).to.equal(401);
  });

  for (const transport of ['streamable', 'sse'] as const) {
    it(`a read token lists and inspects over ${transport}, and is refused every state-changing tool it is shown`, async () => {
      const reader = await connect(h.forge.url, transport, READER);
      expect((await call(reader, 'list_servers')).status).to.equal('success');
      const changing = (await reader.listTools()).tools.filter((t) => t.annotations?.readOnlyHint !== true).map((t) => t.name);
      expect(changing).to.include.members(['create_server', 'start_server', 'stop_server', 'restart_server', 'delete_server']);
      for (const tool of changing) {
        const result = await call(reader, tool, { server_id: 'anything' });
        expect(result, tool).to.deep.equal({ status: 'error', error: { code: 'forbidden', message: `token "viewer" has the read role; ${tool} needs admin` } });
      }
      await reader.close();
    });
  }

  it('a session answers only the token that opened it', async () => {
    const admin = await connect(h.forge.url, 'streamable', ADMIN);
    const sessionId = (admin as any)._transport.sessionId as string;
    const res = await fetch(`${h.forge.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: `Bearer ${READER}`, 'mcp-session-id': sessionId },
      body: JSON.stringify({ jsonrpc: '2.0', id: 2, method: 'tools/list' }),
    });
    expect(res.status).to.equal(404);
    await admin.close();
  });

  it('refuses a body over the limit with 413', async () => {
    const res = await fetch(`${h.forge.url}/mcp`, {
      method: 'POST',
      headers: { ...mcpHeaders, authorization: `Bearer ${ADMIN}` },
      body: JSON.stringify({ ...initialize, padding: 'x'.repeat(5000) }),
    });
    expect(res.status).to.equal(413);
  });

  it('audits state-changing calls with caller and result, secrets redacted; readable through get_audit_log', async () => {
    const created = await h.call('create_server', { name: 'audited', capabilities: ['echo'] });
    expect(created.status).to.equal('success');
    const refused = await h.call('create_server', { name: 'audited-2', options: { api_token: 'supersecret-value' } });
    expect(refused.error.code).to.equal('invalid_request');

    const reader = await connect(h.forge.url, 'streamable', READER);
    const audit = await call(reader, 'get_audit_log', { max_lines: 100 });
    await reader.close();
    const entries = audit.entries as Array<Record<string, any>>;
    const made = entries.find((e) => e.action === 'create_server' && e.status === 'success');
    expect(made).to.include({ actor: 'admin', role: 'admin' });
    expect(made!.arguments).to.deep.equal({ name: 'audited', capabilities: ['echo'] });
    expect(entries.some((e) => e.actor === 'viewer' && e.code === 'forbidden' && e.action === 'delete_server')).to.equal(true);
    const secret = entries.find((e) => e.arguments?.name === 'audited-2');
    expect(secret!.arguments.options).to.deep.equal({ api_token: '[redacted]' });
    expect(entries.every((e) => e.action !== 'list_servers' && e.action !== 'get_audit_log')).to.equal(true);
    expect(readFileSync(path.join(h.config.storage.data_dir, 'audit.log'), 'utf8')).to.not.contain('supersecret-value');
  });
});
