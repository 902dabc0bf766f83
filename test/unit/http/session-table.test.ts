import { expect } from 'chai';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { createLogger } from '../../../src/logging/logger.js';
import { SessionTable, type Slot } from '../../../src/http/session-table.js';

/** A transport as the MCP server leaves it after connect: an onmessage handler and a send. */
function fakeTransport(): Transport & { closed: boolean } {
  const t = { closed: false, onmessage: () => undefined, send: async () => undefined, start: async () => undefined, close: async () => void (t.closed = true) };
  return t as unknown as Transport & { closed: boolean };
}

describe('session table', () => {
  const table = (caps = { max_sessions: 3, max_sessions_per_token: 2 }) => new SessionTable(() => caps, 1000, createLogger('silent'));

  it('caps sessions per token (429) before the total (503); a released place is free again', async () => {
    const t = table();
    const a1 = t.reserve('alice', 'streamable') as Slot;
    const a2 = t.reserve('alice', 'sse') as Slot;
    expect(t.reserve('alice', 'streamable')).to.include({ status: 429 });
    const b1 = t.reserve('bob', 'sse') as Slot;
    expect(t.reserve('carol', 'sse')).to.include({ status: 503 });
    a1.open('s1', fakeTransport(), async () => undefined);
    a2.release();
    expect(t.reserve('carol', 'sse')).to.have.property('open');
    b1.release();
    await t.closeAll();
  });

  it('never reaps a session with a request in flight; reaps it once answered and idle', async () => {
    const t = table();
    const transport = fakeTransport();
    (t.reserve('alice', 'sse') as Slot).open('s1', transport, () => transport.close());
    transport.onmessage!({ jsonrpc: '2.0', id: 7, method: 'tools/call', params: { name: 'create_server' } });
    expect(t.reap(Date.now() + 60_000)).to.equal(0);
    await transport.send({ jsonrpc: '2.0', id: 7, result: {} });
    expect(t.reap(Date.now() + 500)).to.equal(0);
    expect(t.reap(Date.now() + 60_000)).to.equal(1);
    expect(transport.closed).to.equal(true);
    expect(t.use('s1', 'alice', 'sse')).to.equal(undefined);
    await t.closeAll();
  });

  it('a session answers only its owner and its own transport kind', async () => {
    const t = table();
    const transport = fakeTransport();
    (t.reserve('alice', 'streamable') as Slot).open('s1', transport, () => transport.close());
    expect(t.use('s1', 'bob', 'streamable')).to.equal(undefined);
    expect(t.use('s1', 'alice', 'sse')).to.equal(undefined);
    expect(t.use('s1', 'alice', 'streamable')).to.equal(transport);
    await t.closeAll();
  });
});
