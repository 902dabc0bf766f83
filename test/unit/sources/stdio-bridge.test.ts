import { expect } from 'chai';
// @ts-expect-error plain JS of the child runtime, without type declarations
import { createBridge } from '../../../images/child-base/runtime/stdio-bridge.js';

/** A fake server transport: what the bridge sends to this session, with the options it gave. */
function session() {
  const sent: Array<{ message: any; options: any }> = [];
  const transport: any = {
    start: async () => undefined,
    send: async (message: any, options: any) => void sent.push({ message, options }),
  };
  return { transport, sent, receive: (message: any) => transport.onmessage(message) };
}

async function bridged() {
  const written: any[] = [];
  const bridge = createBridge({ write: (m: any) => written.push(m) });
  const init = bridge.initialize(1000);
  bridge.onServerMessage({ jsonrpc: '2.0', id: written[0].id, result: { protocolVersion: '2025-11-25', capabilities: { tools: {} }, serverInfo: { name: 'fake', version: '1' } } });
  await init;
  written.length = 0;
  return { bridge, written };
}

describe('stdio bridge routing', () => {
  it('answers initialize from the cached result, remaps ids per session, and routes responses and progress back', async () => {
    const { bridge, written } = await bridged();
    const a = session();
    const b = session();
    await bridge.connect(a.transport);
    await bridge.connect(b.transport);
    a.receive({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { capabilities: {} } });
    expect(a.sent[0]!.message.result.serverInfo.name).to.equal('fake');
    expect(written).to.deep.equal([]);

    a.receive({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 't', _meta: { progressToken: 7 } } });
    b.receive({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 't', _meta: { progressToken: 7 } } });
    const [toA, toB] = written;
    expect(toA.id).to.not.equal(toB.id);
    expect(toA.params._meta.progressToken).to.not.equal(toB.params._meta.progressToken);

    bridge.onServerMessage({ jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: toB.params._meta.progressToken, progress: 1 } });
    bridge.onServerMessage({ jsonrpc: '2.0', id: toB.id, result: { content: [{ type: 'text', text: 'for b' }] } });
    expect(b.sent.map((s) => s.message)).to.deep.equal([
      { jsonrpc: '2.0', method: 'notifications/progress', params: { progressToken: 7, progress: 1 } },
      { jsonrpc: '2.0', id: 1, result: { content: [{ type: 'text', text: 'for b' }] } },
    ]);
    expect(b.sent[0]!.options).to.deep.equal({ relatedRequestId: 1 });
    expect(a.sent).to.have.length(1);

    bridge.onServerMessage({ jsonrpc: '2.0', method: 'notifications/tools/list_changed' });
    expect(a.sent.at(-1)!.message.method).to.equal('notifications/tools/list_changed');
    expect(b.sent.at(-1)!.message.method).to.equal('notifications/tools/list_changed');
  });

  it('forwards a server request to the one session with a request in flight, and refuses it otherwise', async () => {
    const { bridge, written } = await bridged();
    const a = session();
    const b = session();
    await bridge.connect(a.transport);
    await bridge.connect(b.transport);
    a.receive({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { capabilities: { sampling: {} } } });
    b.receive({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { capabilities: {} } });

    bridge.onServerMessage({ jsonrpc: '2.0', id: 'srv-1', method: 'sampling/createMessage', params: {} });
    expect(written.pop()).to.deep.include({ id: 'srv-1', error: { code: -32000, message: 'mcp-forge bridge: cannot tell which client session sampling/createMessage is for (0 sessions have requests in flight); refused' } });

    a.receive({ jsonrpc: '2.0', id: 5, method: 'tools/call', params: { name: 'sample' } });
    bridge.onServerMessage({ jsonrpc: '2.0', id: 'srv-2', method: 'sampling/createMessage', params: {} });
    const forwarded = a.sent.at(-1)!;
    expect(forwarded.message.method).to.equal('sampling/createMessage');
    expect(forwarded.options).to.deep.equal({ relatedRequestId: 5 });
    a.receive({ jsonrpc: '2.0', id: forwarded.message.id, result: { model: 'm' } });
    expect(written.pop()).to.deep.equal({ jsonrpc: '2.0', id: 'srv-2', result: { model: 'm' } });

    b.receive({ jsonrpc: '2.0', id: 9, method: 'tools/call', params: { name: 'sample' } });
    bridge.onServerMessage({ jsonrpc: '2.0', id: 'srv-3', method: 'sampling/createMessage', params: {} });
    expect(written.pop().error.code).to.equal(-32000);
  });

  it('answers ping itself and cancels a closed session\u2019s requests at the server', async () => {
    const { bridge, written } = await bridged();
    const a = session();
    await bridge.connect(a.transport);
    a.receive({ jsonrpc: '2.0', id: 3, method: 'ping' });
    expect(a.sent[0]!.message).to.deep.equal({ jsonrpc: '2.0', id: 3, result: {} });
    bridge.onServerMessage({ jsonrpc: '2.0', id: 'p', method: 'ping' });
    expect(written.pop()).to.deep.equal({ jsonrpc: '2.0', id: 'p', result: {} });
    a.receive({ jsonrpc: '2.0', id: 4, method: 'tools/call', params: {} });
    const bridgeId = written.at(-1).id;
    a.transport.onclose();
    expect(written.at(-1)).to.deep.equal({ jsonrpc: '2.0', method: 'notifications/cancelled', params: { requestId: bridgeId, reason: 'client session closed' } });
  });
});
