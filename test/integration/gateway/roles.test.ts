import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { expect } from 'chai';
import { call, connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';
import { pollUntil } from '../../support/poll.js';
import { RUN_ID } from '../../support/test-env.js';

const ADMIN = 'gw-admin-token-0123456789abcdef';
const USER = 'gw-use-token-0123456789abcdef';
const READER = 'gw-read-token-0123456789abcdef';
const NAME = `gr${RUN_ID.slice(-8)}`;
const mcpHeaders = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };

describe('gateway: roles, bearer auth and the audit of every call', function () {
  let h: ForgeHandle;
  const clients: Client[] = [];
  const open = async (token: string, where = '/gateway') => {
    const client = await connect(`${h.forge.url}${where}`, 'streamable', token);
    clients.push(client);
    return client;
  };
  const echo = `${NAME}__echo`;

  before(async () => {
    h = await startForge({
      auth: { admin_token: ADMIN, tokens: [{ name: 'user', token: USER, role: 'use' }, { name: 'viewer', token: READER, role: 'read' }] },
    });
    const created = await h.call('create_server', { name: NAME, description: 'Roles test server', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
  });
  after(async () => {
    for (const client of clients) await client.close();
    await h?.stop();
  });

  it('refuses /gateway/mcp and /gateway/sse without a token', async () => {
    expect((await fetch(`${h.forge.url}/gateway/mcp`, { method: 'POST', headers: mcpHeaders, body: '{}' })).status).to.equal(401);
    expect((await fetch(`${h.forge.url}/gateway/sse`)).status).to.equal(401);
    expect((await fetch(`${h.forge.url}/gateway/messages?sessionId=x`, { method: 'POST', headers: mcpHeaders, body: '{}' })).status).to.equal(401);
  });

  it('a read token lists the children\'s tools but cannot call them', async () => {
    const reader = await open(READER);
    await pollUntil(() => reader.listTools(), (r) => r.tools.some((t) => t.name === echo), `${echo} listed`);
    const refused = await reader.callTool({ name: echo, arguments: { message: 'no' } });
    expect(refused.isError).to.equal(true);
    expect(JSON.stringify(refused.content)).to.contain('has the read role');
    const viaForge = await (await open(READER, '')).callTool({ name: echo, arguments: { message: 'no' } });
    expect(viaForge.isError).to.equal(true);
  });

  it('a use token calls children\'s tools (gateway and /mcp) but cannot create_server; every call is audited without its arguments', async () => {
    const user = await open(USER);
    await pollUntil(() => user.listTools(), (r) => r.tools.some((t) => t.name === echo), `${echo} listed`);
    expect((await user.callTool({ name: echo, arguments: { message: 'secret-words-1' } })).structuredContent).to.deep.equal({ message: 'secret-words-1' });
    const forge = await open(USER, '');
    expect((await forge.callTool({ name: echo, arguments: { message: 'secret-words-2' } })).structuredContent).to.deep.equal({ message: 'secret-words-2' });
    const create = await call(forge, 'create_server', { name: `${NAME}-no` });
    expect(create.error.code).to.equal('forbidden');
    expect(create.error.message).to.contain('has the use role');

    const audit = readFileSync(path.join(h.config.storage.data_dir, 'audit.log'), 'utf8');
    expect(audit).to.not.contain('secret-words');
    const calls = audit.split('\n').filter(Boolean).map((l) => JSON.parse(l)).filter((e) => e.action === 'gateway_call');
    const byUser = calls.filter((e) => e.actor === 'user');
    expect(byUser).to.have.length(2);
    for (const entry of byUser) expect(entry).to.include({ role: 'use', server: NAME, tool: 'echo', status: 'success' }).and.to.have.property('ms').that.is.a('number');
    expect(calls.filter((e) => e.actor === 'viewer').map((e) => e.status)).to.deep.equal(['forbidden', 'forbidden']);
  });
});
