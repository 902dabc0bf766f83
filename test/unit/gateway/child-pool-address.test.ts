import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { expect } from 'chai';
import { pino } from 'pino';
import { loadConfig } from '../../../src/config/load-config.js';
import { ChildPool } from '../../../src/gateway/child-pool.js';
import { RegistryTargets } from '../../../src/gateway/registry-targets.js';
import type { Registry } from '../../../src/registry/registry.js';
import type { ServerRecord } from '../../../src/registry/server-record.js';
import { pollUntil } from '../../support/poll.js';

/** A real SDK MCP server on `address:port` answering `who` with its label; counts session ends (DELETE). */
async function standIn(label: string, address: string, port: number) {
  const ended: string[] = [];
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer(async (req, res) => {
    const id = req.headers['mcp-session-id'];
    if (req.method === 'DELETE' && typeof id === 'string') ended.push(id);
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, transport!) });
      const mcp = new McpServer({ name: label, version: '1.0.0' });
      mcp.registerTool('who', { description: 'names the stand-in' }, async () => ({ content: [{ type: 'text', text: label }] }));
      await mcp.connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => server.listen(port, address, resolve));
  return { server, ended, port: (server.address() as AddressInfo).port };
}

const text = (result: CallToolResult) => (result.content[0] as { text: string }).text;

describe('gateway: a child reachable at a new address (host_address) is followed', () => {
  // The same port on two loopback addresses stands for one child's task on two nodes.
  let first: Awaited<ReturnType<typeof standIn>>;
  let second: Awaited<ReturnType<typeof standIn>>;
  before(async () => {
    first = await standIn('node-a', '127.0.0.1', 0);
    second = await standIn('node-b', '127.0.0.2', first.port);
  });
  after(async () => {
    for (const s of [first, second]) await new Promise((resolve) => s?.server.close(resolve));
  });

  it('drops the pooled session opened at the old address and opens one at the new address', async () => {
    const config = loadConfig();
    const record = { id: 'mcp-20260101-aaaaaa', name: 'moving', container_name: 'mcp-forge-moving', container_id: 'svc1', port: first.port, host_address: '127.0.0.1', source: null } as unknown as ServerRecord;
    const pool = new ChildPool({ config, headersFor: () => ({}), log: pino({ level: 'silent' }), onListChanged: () => undefined });
    try {
      const who = (r: ServerRecord) => pool.callTool(r, { name: 'who', arguments: {} }, {}).then(text);
      expect(await who(record)).to.equal('node-a');
      expect(await who(record)).to.equal('node-a');
      // Same service id (container_id), another node: the task was rescheduled.
      const moved = { ...record, host_address: '127.0.0.2' };
      expect(await who(moved)).to.equal('node-b');
      await pollUntil(async () => first.ended.length, (n) => n === 1, 'the old session ended at the old address');
      expect(second.ended).to.deep.equal([]);
      expect(await who(moved)).to.equal('node-b');
    } finally {
      await pool.closeAll();
    }
  });

  it('the per-server proxy targets the recorded address', () => {
    const config = loadConfig();
    let record = { id: 'mcp-20260101-aaaaaa', name: 'moving', port: 9001, phase: 'ready', status: 'running', host_address: '10.0.0.7', source: null } as unknown as ServerRecord;
    const registry = { get: () => record, findByName: () => undefined } as unknown as Registry;
    const targets = new RegistryTargets(registry, config, () => ({}));
    expect(targets.server('moving').url).to.equal('http://10.0.0.7:9001');
    record = { ...record, host_address: '10.0.0.9' };
    expect(targets.server('moving').url).to.equal('http://10.0.0.9:9001');
  });
});
