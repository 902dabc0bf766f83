import { randomUUID } from 'node:crypto';
import { getEventListeners } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { InMemoryTransport } from '@modelcontextprotocol/sdk/inMemory.js';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'chai';
import { Gateway } from '../../../src/gateway/gateway.js';
import { createGatewayServer } from '../../../src/gateway/gateway-server.js';
import { RegistryTargets } from '../../../src/gateway/registry-targets.js';
import { createLogger } from '../../../src/logging/logger.js';
import { Registry } from '../../../src/registry/registry.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import { AuditLog } from '../../../src/security/audit-log.js';
import { toAuthInfo } from '../../../src/security/caller.js';
import { pollUntil } from '../../support/poll.js';
import { testConfig } from '../../support/test-env.js';

/** A real SDK MCP server over Streamable HTTP (a session per client), answering `who` with its label. */
async function standIn(label: string, gate: { open: Promise<void> }) {
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer(async (req, res) => {
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, transport!) });
      const mcp = new McpServer({ name: label, version: '1.0.0' });
      mcp.registerTool('who', { description: 'names the member' }, async () => ({ content: [{ type: 'text', text: label }] }));
      mcp.registerTool('slow', { description: 'answers when the test lets it' }, async () => {
        await gate.open;
        return { content: [{ type: 'text', text: label }] };
      });
      await mcp.connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('gateway: pooled calls leave nothing behind, and a drained member gets no new work', function () {
  const config = () => testConfig({ storage: { data_dir: dir }, children: { host_ip: '127.0.0.1', connect_via: 'host' } });
  let dir: string;
  let children: http.Server[];
  let registry: Registry;
  let gateway: Gateway;
  let client: Client;
  let release!: () => void;
  const gate = { open: new Promise<void>((resolve) => (release = resolve)) };
  const ids = ['mcp-20260101-membera', 'mcp-20260101-memberb'];

  before(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'mcp-forge-gateway-'));
    children = [await standIn('a', gate), await standIn('b', gate)];
    registry = await Registry.open(dir, null);
    const now = new Date().toISOString();
    for (const [i, id] of ids.entries()) {
      await registry.insert({
        id, name: `member-${'ab'[i]}`, description: 'stand-in member', capabilities: [], handlers: [], options: {},
        port: (children[i]!.address() as AddressInfo).port, container_name: 'none', container_id: 'in-process', image: null,
        phase: 'ready', desired: 'running', status: 'running', error: null, manual_restarts: 0, created_at: now, updated_at: now,
        limits: { cpu_percent: null, memory_bytes: null, memory_percent: null, io_read_bytes: null, io_write_bytes: null, connections: null },
      } as ServerRecord);
    }
    await registry.groups.insert(() => ({ name: 'pool', min_instances: 2, max_instances: 2, servers: [...ids], pending: [], rules: [], template: null, created_at: now, updated_at: now }));
    const cfg = config();
    gateway = new Gateway({ config: cfg, registry, audit: new AuditLog(dir, () => cfg.audit), log: createLogger('error') });
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
    release();
    await client?.close();
    await gateway?.stop();
    for (const child of children ?? []) {
      child.closeAllConnections();
      child.close();
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds no abort listener per call to the pooled session\'s signal: 400 calls, 40 at a time, leave it as after the first', async () => {
    expect(text((await client.callTool({ name: 'pool__who', arguments: {} })) as CallToolResult)).to.be.oneOf(['a', 'b']);
    const signals = await Promise.all(ids.map(async (id) => {
      const opening = (gateway.pool as unknown as { sessions: Map<string, { opening: Promise<Client> }> }).sessions.get(id)?.opening;
      const pooled = await opening;
      return (pooled?.transport as unknown as { _abortController?: AbortController } | undefined)?._abortController?.signal;
    }));
    const used = signals.filter((s): s is AbortSignal => !!s);
    expect(used).to.not.be.empty;
    const before = used.map((s) => getEventListeners(s, 'abort').length);
    const warnings: string[] = [];
    const onWarning = (w: Error) => w.name === 'MaxListenersExceededWarning' && warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      for (let round = 0; round < 10; round++) {
        await Promise.all(Array.from({ length: 40 }, () => client.callTool({ name: 'pool__who', arguments: {} })));
      }
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings).to.deep.equal([]);
    const after = used.map((s) => getEventListeners(s, 'abort').length);
    for (const [i, count] of after.entries()) expect(count, `listeners on member ${i}'s pooled signal`).to.be.at.most(before[i]! + 1);
  });

  it('drains a member: its call in flight finishes, drain waits for it, and new calls (and the group proxy) go to the other member', async () => {
    const slow = client.callTool({ name: 'pool__slow', arguments: {} }) as Promise<CallToolResult>;
    const busy = (await pollUntil(async () => ids.find((id) => gateway.pool.inFlight(id) > 0), (id) => !!id, 'the slow call in flight', 10_000, 20))!;
    const other = ids.find((id) => id !== busy)!;
    let drained = false;
    const draining = gateway.drain(busy, 20_000).then(() => (drained = true));
    expect(gateway.isDraining(busy)).to.equal(true);

    const answers = await Promise.all(Array.from({ length: 10 }, () => client.callTool({ name: 'pool__who', arguments: {} }) as Promise<CallToolResult>));
    const otherLabel = 'ab'[ids.indexOf(other)];
    expect(answers.map(text)).to.deep.equal(Array(10).fill(otherLabel));
    const targets = new RegistryTargets(registry, config(), () => ({}), (id) => gateway.isDraining(id));
    expect(targets.members('pool').map((m) => m.serverId)).to.deep.equal([other]);
    expect(drained, 'drain resolved while the call was in flight').to.equal(false);

    release();
    expect(text(await slow)).to.equal('ab'[ids.indexOf(busy)]);
    await draining;
    expect(gateway.pool.inFlight(busy)).to.equal(0);
  });
});
