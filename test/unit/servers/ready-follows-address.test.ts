import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { expect } from 'chai';
import type { ChildInfo, Runtime } from '../../../src/runtime/runtime.js';
import { McpInitializeWait } from '../../../src/servers/mcp-ready.js';

/** A real MCP server over Streamable HTTP on `address` (another "node"), counting sessions opened. */
async function mcpOn(address: string) {
  let initializes = 0;
  const sessions = new Map<string, StreamableHTTPServerTransport>();
  const server = http.createServer(async (req, res) => {
    const id = req.headers['mcp-session-id'];
    let transport = typeof id === 'string' ? sessions.get(id) : undefined;
    if (!transport) {
      initializes++;
      transport = new StreamableHTTPServerTransport({ sessionIdGenerator: () => randomUUID(), onsessioninitialized: (sid) => void sessions.set(sid, transport!) });
      await new McpServer({ name: 'landed', version: '1.0.0' }).connect(transport);
    }
    await transport.handleRequest(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return { server, port: (server.address() as AddressInfo).port, initializes: () => initializes };
}

describe('readiness asks the engine where the child landed', () => {
  it('sends initialize to the reported host address, not the configured one', async () => {
    const landed = await mcpOn('127.0.0.2');
    try {
      const info = { id: 'svc1', running: true, status: 'running', restartCount: 0, exitCode: null, oomKilled: false, hostAddress: '127.0.0.2' } as ChildInfo;
      const runtime = { children: { inspect: async () => info } } as unknown as Runtime;
      await new McpInitializeWait(runtime).waitUntilReady(
        {
          // Nothing listens there: only following the engine's answer can succeed.
          url: 'http://127.0.0.3:1',
          urlAt: (host) => `http://${host ?? '127.0.0.3'}:${landed.port}`,
          containerId: 'svc1',
        },
        5000,
      );
      expect(landed.initializes()).to.be.greaterThan(0);
    } finally {
      await new Promise((resolve) => landed.server.close(resolve));
    }
  });
});
