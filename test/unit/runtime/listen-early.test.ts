import { once } from 'node:events';
import type { Server } from 'node:http';
import { expect } from 'chai';
// @ts-expect-error plain JS of the child runtime, without type declarations
import { listenEarly } from '../../../images/child-base/runtime/child.js';

/** Sessions that answer every request with its path (what sessions.js does is not the point here). */
const echoSessions = () => ({
  route: async (req: any, res: any) => void res.end(`served ${req.url}`),
  closeAll: () => undefined,
});

describe('a child binds its port before it serves (listenEarly)', () => {
  const SIGNALS = ['SIGTERM', 'SIGINT'] as const;
  let early: { server: Server; serve: (sessions: unknown, options: unknown) => void };
  let before: Set<NodeJS.SignalsListener>;
  /** The SIGTERM/SIGINT handlers `serve` installed (removed after each test: this is the test process). */
  const added = () => SIGNALS.flatMap((signal) => process.listeners(signal).filter((l) => !before.has(l)).map((l) => [signal, l] as const));

  beforeEach(async () => {
    before = new Set(SIGNALS.flatMap((signal) => process.listeners(signal)));
    early = listenEarly(0);
    await once(early.server, 'listening');
  });
  afterEach(async () => {
    for (const [signal, listener] of added()) process.off(signal, listener);
    early.server.closeAllConnections();
    await new Promise((resolve) => early.server.close(resolve));
  });

  it('accepts a request made while it starts and answers it once the sessions are served, instead of refusing it', async () => {
    const port = (early.server.address() as { port: number }).port;
    const arrived = once(early.server, 'request');
    let answered = false;
    const response = fetch(`http://127.0.0.1:${port}/mcp`).then(async (r) => ((answered = true), { status: r.status, body: await r.text() }));
    await arrived;
    // The request is in the server and nothing answers it until serve: the client is not refused.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered).to.equal(false);
    early.serve(echoSessions(), { identity: { id: 'mcp-test' }, onClose: () => undefined });
    expect(await response).to.deep.equal({ status: 200, body: 'served /mcp' });
  });

  it('routes requests straight to the sessions once served', async () => {
    early.serve(echoSessions(), { identity: { id: 'mcp-test' }, onClose: () => undefined });
    const port = (early.server.address() as { port: number }).port;
    const [a, b] = await Promise.all([`/a`, `/b`].map((p) => fetch(`http://127.0.0.1:${port}${p}`).then((r) => r.text())));
    expect([a, b]).to.deep.equal(['served /a', 'served /b']);
    expect(added().map(([signal]) => signal).sort()).to.deep.equal(['SIGINT', 'SIGTERM']);
  });
});
