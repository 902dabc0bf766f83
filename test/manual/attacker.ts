// Manual attacker checks (not committed): a forge on the host with tokens and child tokens on.
import http from 'node:http';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { Forge } from '../../src/forge.js';
import { testConfig } from '../support/test-env.js';
const ADMIN = 'admin-token-0123456789abcdef', READ = 'read-token-0123456789abcdef', NEW = 'brand-new-admin-secret-XYZ-123456';
const forge = await Forge.start(testConfig({ auth: { admin_token: ADMIN, tokens: [{ name: 'ops', token: READ, role: 'read' }] }, children: { require_token: true } }));
const conn = async (url: string, token?: string) => { const c = new Client({ name: 'attacker', version: '1' }); await c.connect(new StreamableHTTPClientTransport(new URL(url), { requestInit: { headers: token ? { Authorization: `Bearer ${token}` } : {} } })); return c; };
const call = async (c: Client, name: string, args: any = {}) => (await c.callTool({ name, arguments: args })).structuredContent as any;
const raw = (port: number, path: string, headers: Record<string, string>) => new Promise<number>((res) => { const r = http.request({ host: '127.0.0.1', port, path, method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream', ...headers } }, (x) => { x.resume(); res(x.statusCode!); }); r.end('{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"a","version":"1"}}}'); });
try {
  const admin = await conn(`${forge.url}/mcp`, ADMIN);
  const created = await call(admin, 'create_server', { name: 'victim', capabilities: ['echo', 'uptime'] });
  console.log('create:', created.status, 'token shown once:', typeof created.token === 'string');
  console.log('set_config admin_token:', (await call(admin, 'set_config', { section: 'auth', key: 'admin_token', value: NEW })).status);
  const reader = await conn(`${forge.url}/mcp`, READ);
  let seen = '';
  for (const t of (await reader.listTools()).tools) { const r = await reader.callTool({ name: t.name, arguments: t.name.includes('server') && t.inputSchema.required?.includes('server_id') ? { server_id: 'victim' } : {} }); seen += JSON.stringify(r); }
  for (const r of (await reader.listResources()).resources) seen += JSON.stringify(await reader.readResource({ uri: r.uri }).catch((e) => String(e)));
  console.log('read token saw the new admin token:', seen.includes(NEW), '| saw old admin token:', seen.includes(ADMIN), '| saw child token:', seen.includes(created.token));
  console.log('read token create_server:', (await call(reader, 'create_server', { name: 'x' })).error?.code);
  const port = Number(new URL(forge.url).port);
  console.log('forge Host evil.example:', await raw(port, '/mcp', { host: 'evil.example', authorization: `Bearer ${NEW}` }));
  console.log('forge foreign Origin:', await raw(port, '/mcp', { origin: 'http://evil.example', authorization: `Bearer ${NEW}` }));
  const cp = created.server.port;
  console.log('child Host evil.example:', await raw(cp, '/mcp', { host: `evil.example:${cp}`, authorization: `Bearer ${created.token}` }));
  console.log('child foreign Origin:', await raw(cp, '/mcp', { origin: 'http://evil.example', authorization: `Bearer ${created.token}` }));
  console.log('child without token:', await raw(cp, '/mcp', {}));
  console.log('child with its token:', await raw(cp, '/mcp', { authorization: `Bearer ${created.token}` }));
  const admin2 = await conn(`${forge.url}/mcp`, NEW);
  const stats = await call(admin2, 'get_server_process_stats', { server_id: 'victim' });
  console.log('forge still monitors it: status', stats.status, 'pid', stats.process?.pid ?? stats.pid, 'connections', JSON.stringify(stats).match(/"connections":[^,}]*/)?.[0]);
  console.log('gateway call through the forge:', JSON.stringify(await call(admin2, 'victim__echo', { message: 'hi' })));
  console.log('restart:', (await call(admin2, 'restart_server', { server_id: 'victim' })).status, 'delete:', (await call(admin2, 'delete_server', { server_id: 'victim' })).status);
} finally { await forge.stop(); }
