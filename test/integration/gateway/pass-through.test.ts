import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { expect } from 'chai';
import { z } from 'zod';
import { Gateway } from '../../../src/gateway/gateway.js';
import { createGatewayServer } from '../../../src/gateway/gateway-server.js';
import { createLogger } from '../../../src/logging/logger.js';
import { Registry } from '../../../src/registry/registry.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import { AuditLog } from '../../../src/security/audit-log.js';
import { toAuthInfo } from '../../../src/security/caller.js';
import { listChanges } from '../../support/list-changes.js';
import { testConfig } from '../../support/test-env.js';

/**
 * What the forged child runtime cannot show yet (its handlers get no request context, so no
 * child sends progress, honours cancellation, has an output schema or changes its own tool
 * list): a real SDK MCP server over real Streamable HTTP stands in for the child, registered
 * like a forged one, and the gateway forwards to it exactly as it does to containers.
 */
describe('gateway: progress, cancellation, results, resources, prompts and the child\'s own list_changed pass through', function () {
  let child: http.Server;
  let mcp: McpServer;
  let gateway: Gateway;
  let client: Client;
  let dir: string;
  let cancelled: Promise<void>;
  let transport: StreamableHTTPServerTransport;
  let port: number;

  before(async () => {
    mcp = new McpServer({ name: 'stand-in', version: '1.0.0' });
    mcp.registerTool('work', { description: 'reports progress', inputSchema: { steps: z.number() } }, async ({ steps }, extra) => {
      const token = extra._meta?.progressToken;
      for (let i = 1; i <= steps; i++) {
        if (token !== undefined) await extra.sendNotification({ method: 'notifications/progress', params: { progressToken: token, progress: i, total: steps, message: `step ${i}` } });
      }
      return { content: [{ type: 'text', text: 'done' }], structuredContent: { steps } };
    });
    mcp.registerTool('fail', { description: 'fails' }, async () => ({ isError: true, content: [{ type: 'text', text: 'it went wrong' }] }));
    let sawAbort!: () => void;
    cancelled = new Promise((resolve) => (sawAbort = resolve));
    mcp.registerTool('hang', { description: 'waits to be cancelled' }, async (extra) => {
      await new Promise<void>((resolve) => extra.signal.addEventListener('abort', () => resolve()));
      sawAbort();
      return { content: [] };
    });
    mcp.registerResource('motd', 'memo://motd', { description: 'message of the day' }, async (uri) => ({ contents: [{ uri: uri.href, text: 'hello' }] }));
    mcp.registerPrompt('greet', { argsSchema: { who: z.string() } }, ({ who }) => ({ messages: [{ role: 'user', content: { type: 'text', text: `greet ${who}` } }] }));
    transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
    await mcp.connect(transport);
    child = http.createServer((req, res) => void transport.handleRequest(req, res));
    await new Promise<void>((resolve) => child.listen(0, '127.0.0.1', resolve));
    port = (child.address() as AddressInfo).port;

    dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-gateway-'));
    const config = testConfig({ storage: { data_dir: dir }, children: { host_ip: '127.0.0.1', connect_via: 'host' } });
    const registry = await Registry.open(dir, null);
    const now = new Date().toISOString();
    await registry.insert({
      id: 'mcp-20260101-standin', name: 'standin', description: 'stand-in child', capabilities: [], handlers: [], options: {},
      port, container_name: 'none', container_id: 'in-process', image: null,
      phase: 'ready', desired: 'running', status: 'running', error: null, manual_restarts: 0, created_at: now, updated_at: now,
      limits: { cpu_percent: null, memory_bytes: null, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: null },
    } as ServerRecord);
    gateway = new Gateway({ config, registry, audit: new AuditLog(dir, () => config.audit), log: createLogger('error') });
    gateway.start();
    const [a, b] = InMemoryTransport.createLinkedPair();
    await createGatewayServer(gateway).connect(a);
    // As the HTTP layer does: every request carries its caller.
    const send = b.send.bind(b);
    b.send = (message, options) => send(message, { ...options, authInfo: toAuthInfo({ name: 'tester', role: 'use' }) });
    client = new Client({ name: 'test', version: '1' });
    await client.connect(b);
  });
  after(async () => {
    await client?.close();
    await gateway?.stop();
    await mcp?.close();
    child?.closeAllConnections();
    child?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('forwards progress notifications to the caller and returns structuredContent unchanged', async () => {
    const seen: Array<{ progress: number; total?: number; message?: string }> = [];
    const result = await client.callTool({ name: 'standin__work', arguments: { steps: 3 } }, undefined, { onprogress: (p) => seen.push(p) });
    expect(result.structuredContent).to.deep.equal({ steps: 3 });
    expect(seen).to.deep.equal([1, 2, 3].map((i) => ({ progress: i, total: 3, message: `step ${i}` })));
  });

  it('lists the child\'s resources and prompts under its name, and reads and gets them', async () => {
    const { resources } = await client.listResources();
    expect(resources).to.deep.equal([{ uri: 'gateway://standin/memo://motd', name: 'standin__motd', description: 'message of the day' }]);
    expect((await client.readResource({ uri: 'gateway://standin/memo://motd' })).contents).to.deep.equal([{ uri: 'gateway://standin/memo://motd', text: 'hello' }]);
    expect((await client.listPrompts()).prompts.map((p) => p.name)).to.deep.equal(['standin__greet']);
    const prompt = await client.getPrompt({ name: 'standin__greet', arguments: { who: 'you' } });
    expect(prompt.messages).to.deep.equal([{ role: 'user', content: { type: 'text', text: 'greet you' } }]);
  });

  it('passes a tool error through as isError, unchanged', async () => {
    const result = await client.callTool({ name: 'standin__fail', arguments: {} });
    expect(result).to.deep.include({ isError: true, content: [{ type: 'text', text: 'it went wrong' }] });
  });

  it('cancels the child\'s call when the caller cancels', async () => {
    const abort = new AbortController();
    const pending = client.callTool({ name: 'standin__hang', arguments: {} }, undefined, { signal: abort.signal });
    setTimeout(() => abort.abort(), 200);
    const outcome = await pending.then(() => 'answered', (err: Error) => err.message);
    expect(outcome).to.match(/abort/i);
    await cancelled;
  });

  it('relays the child\'s own tools/list_changed', async () => {
    const changes = listChanges(client);
    const added = changes.next((tools) => tools.some((t) => t.name === 'standin__late'), 'standin__late listed');
    mcp.registerTool('late', { description: 'added later' }, async () => ({ content: [] }));
    await added;
  });

  it('takes a child that stops answering out of the list, names it in the call\'s error, and lists it again once it answers', async () => {
    const changes = listChanges(client);
    const gone = changes.next((tools) => !tools.some((t) => t.name.startsWith('standin__')), 'standin out of the list');
    child.closeAllConnections();
    await new Promise<void>((resolve) => child.close(() => resolve()));
    const failed = await client.callTool({ name: 'standin__fail', arguments: {} });
    expect(failed.isError).to.equal(true);
    expect(JSON.stringify(failed.content)).to.contain('server \\"standin\\" cannot be reached');
    await gone;

    const back = changes.next((tools) => tools.some((t) => t.name === 'standin__work'), 'standin listed again');
    const again = new McpServer({ name: 'stand-in', version: '1.0.0' });
    again.registerTool('work', { description: 'reports progress', inputSchema: { steps: z.number() } }, async ({ steps }) => ({ content: [], structuredContent: { steps } }));
    transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID() });
    await again.connect(transport);
    child = http.createServer((req, res) => void transport.handleRequest(req, res));
    await new Promise<void>((resolve) => child.listen(port, '127.0.0.1', resolve));
    await back;
    expect((await client.callTool({ name: 'standin__work', arguments: { steps: 1 } })).structuredContent).to.deep.equal({ steps: 1 });
    await again.close();
  });
});
