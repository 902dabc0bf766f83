import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { expect } from 'chai';
import fc from 'fast-check';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import type { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { connect, startForge, type ForgeHandle } from '../../support/forge-fixture.js';

const RUNS = 1000;
const CODES = ['invalid_request', 'not_found', 'server_error', 'invalid_id', 'server_not_running', 'limit_exceeded', 'forbidden'];

/** Strings an attacker would try: traversal, template and code syntax, control characters, unicode, sheer size. */
const hostile = fc.oneof(
  fc.constantFrom(
    '../../../../etc/passwd', '/var/run/docker.sock', '{{ 7*7 }}', '{% include "/etc/passwd" %}', '${process.exit(1)}',
    '`rm -rf /`', "'; DROP TABLE servers; --", 'mcp-20250404-abc123\u0000', '\r\nHost: evil', '<script>alert(1)</script>',
    'mcp-forge-x; docker rm -f $(docker ps -aq)', '%2e%2e%2f', 'échoー🔥', '\u202e', ' ', '',
  ),
  fc.string({ unit: 'grapheme', maxLength: 300 }),
  fc.string({ unit: 'binary', maxLength: 300 }),
);
/** Sizes around and past server.max_body_bytes (1 MiB), one at a time to keep the test's own memory small. */
const huge = fc.integer({ min: 1000, max: 1_500_000 }).map((n) => 'x'.repeat(n));
const value: fc.Arbitrary<unknown> = fc.oneof(
  { depthSize: 'small' },
  hostile,
  huge,
  fc.anything({ maxDepth: 4, maxKeys: 6, withBigInt: false }),
  fc.array(hostile, { maxLength: 40 }),
  fc.dictionary(hostile, hostile, { maxKeys: 5 }),
);
const argsFor = (keys: string[]) =>
  fc.oneof(
    fc.dictionary(fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 20 })), value, { maxKeys: 6 }),
    fc.record(Object.fromEntries(keys.map((k) => [k, value])), { requiredKeys: [] }),
  );

describe('fuzz: hostile and malformed calls to every tool', function () {
  this.timeout(600_000);
  let h: ForgeHandle;
  let registryBefore: string;
  const tally = { tried: 0, failed: 0 };
  const registryText = () => readFileSync(path.join(h.config.storage.data_dir, 'registry.json'), 'utf8');

  /** One call; a body over server.max_body_bytes is refused with 413 before MCP, which is a well-formed answer too. */
  async function answer(name: string, args: unknown, client: Client = h.client) {
    tally.tried++;
    try {
      return await client.callTool({ name, arguments: args as Record<string, unknown> });
    } catch (err) {
      const refused = /exceeds the limit/.test((err as Error).message);
      if (!refused) tally.failed++;
      expect(refused, `${name}: ${(err as Error).message.slice(0, 300)}`).to.equal(true);
      return 'refused' as const;
    }
  }

  before(async () => {
    h = await startForge({ quotas: { creates_per_minute_per_token: null, max_servers: null, max_running: null, max_servers_per_token: null } });
    const keeper = await h.call('create_server', { name: 'fuzz-keeper', capabilities: ['echo'] });
    expect(keeper.status, JSON.stringify(keeper)).to.equal('success');
    registryBefore = registryText();
  });
  after(async () => {
    console.log(`      fuzz: ${tally.tried} calls tried, ${tally.failed} answered badly`);
    await h?.stop();
  });

  it('every tool answers each of 1,000 hostile calls with a well-formed result and never changes state', async () => {
    const { tools } = await h.client.listTools();
    const ajv = new Ajv({ strict: false });
    for (const tool of tools) {
      // A fresh session per tool: the SDK client keeps the handler (and arguments) of every request refused with 413, for good.
      const client = await connect(h.forge.url);
      const accepts = ajv.compile(tool.inputSchema);
      const readOnly = tool.annotations?.readOnlyHint === true;
      const keys = Object.keys(tool.inputSchema.properties ?? {});
      await fc.assert(
        fc.asyncProperty(argsFor(keys.length ? keys : ['x']), async (raw) => {
          // Judged as sent: JSON drops undefined values, so {"": undefined} arrives as a valid {}.
          const sent = JSON.parse(JSON.stringify(raw)) as Record<string, unknown>;
          // Arguments the advertised schema accepts could really create a server: poison them with an unknown capability.
          const args = tool.name === 'create_server' && accepts(sent) ? { ...sent, capabilities: ['no_such_capability'] } : sent;
          const result = await answer(tool.name, args, client);
          if (result === 'refused') return;
          const body = result.structuredContent as any;
          const text = JSON.parse((result.content as Array<{ text: string }>)[0]!.text);
          const ok =
            JSON.stringify(text) === JSON.stringify(body) &&
            (body.status === 'error'
              ? result.isError === true && CODES.includes(body.error?.code) && typeof body.error.message === 'string' && Object.keys(body).length === 2
              : readOnly && body.status === 'success');
          if (!ok) tally.failed++;
          expect(ok, `${tool.name} ${JSON.stringify(args).slice(0, 300)} → ${JSON.stringify(body).slice(0, 300)}`).to.equal(true);
        }),
        { numRuns: RUNS },
      );
      await (client.transport as StreamableHTTPClientTransport).terminateSession();
      await client.close();
    }
    expect(registryText()).to.equal(registryBefore);
  });

  it('unknown tool names and JSON-RPC garbage never crash the forge or yield a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostile, value, async (name, args) => {
        const result = await answer(`zz-${name}`, { v: args });
        if (result !== 'refused') expect((result.structuredContent as any).error.code).to.equal('invalid_request');
      }),
      { numRuns: 200 },
    );
    const garbage = fc.oneof(
      fc.string({ maxLength: 500 }),
      fc.json().map((j) => j),
      fc.record({ jsonrpc: fc.constantFrom('2.0', '1.0', 2), id: value, method: hostile, params: value }, { requiredKeys: [] }).map((o) => JSON.stringify(o)),
    );
    await fc.assert(
      fc.asyncProperty(garbage, fc.boolean(), async (body, withSession) => {
        tally.tried++;
        const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json, text/event-stream' };
        if (withSession) headers['mcp-session-id'] = (h.client as any)._transport.sessionId;
        const res = await fetch(`${h.forge.url}/mcp`, { method: 'POST', headers, body });
        await res.body?.cancel();
        if (res.status >= 500) tally.failed++;
        expect(res.status, `${res.status} for ${body.slice(0, 200)}`).to.be.below(500);
      }),
      { numRuns: 500 },
    );
    expect((await fetch(`${h.forge.url}/healthz`)).status).to.equal(200);
    expect(registryText()).to.equal(registryBefore);
    expect((await h.call('list_servers')).servers.map((s: any) => s.name)).to.deep.equal(['fuzz-keeper']);
  });
});
