import net from 'node:net';
import { Writable } from 'node:stream';
import { expect } from 'chai';
import { createLogger } from '../../src/logging/logger.js';
import { containerEvents } from '../support/container-events.js';
import { startForge, type ForgeHandle } from '../support/forge-fixture.js';

/** A warn-level logger whose lines the test can read. */
function capturedLog() {
  const lines: Array<Record<string, any>> = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(...String(chunk).split('\n').filter(Boolean).map((l) => JSON.parse(l))), done()) });
  return { log: createLogger('warn', sink), lines, portRetries: () => lines.filter((l) => l.msg === 'host port taken outside the forge; choosing another') };
}

/** Host ports held by something else: a plain process, or another forge's child on the same daemon. */
describe('host ports taken outside the forge', function () {
  const START = 18700;
  const range = { port_range_start: START, port_range_end: START + 9 };
  const firstLog = capturedLog();
  const secondLog = capturedLog();
  let first: ForgeHandle;
  let second: ForgeHandle;
  let squatter: net.Server;

  /** Docker's own record of one create: how many containers were made, started, and died on the way. */
  async function attempts(h: ForgeHandle, since: number) {
    const events = await containerEvents(h.forge.registry.instanceId, since);
    const count = (action: string) => events.filter((e) => e.action === action).length;
    return { create: count('create'), start: count('start'), die: count('die'), destroy: count('destroy') };
  }

  before(async () => {
    squatter = net.createServer();
    await new Promise<void>((resolve) => squatter.listen(START, '127.0.0.1', resolve));
    first = await startForge({ children: range }, 'streamable', { log: firstLog.log });
    second = await startForge({ children: range }, 'streamable', { log: secondLog.log });
  });
  after(async () => {
    await second?.stop();
    await first?.stop();
    await new Promise((resolve) => squatter.close(resolve));
  });

  it('a port a host process holds is refused by Docker at start, and the next one is used', async () => {
    const since = Date.now();
    const created = await first.call('create_server', { name: 'port-a', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    expect(created.server.port).to.equal(START + 1);
    // Exactly one failed start, on the squatted port: its container was made, never started, removed.
    expect(firstLog.portRetries().map((l) => l.port)).to.deep.equal([START]);
    expect(await attempts(first, since)).to.deep.equal({ create: 2, start: 1, die: 0, destroy: 1 });
  });

  it("another forge's children's ports are skipped without a failed start", async () => {
    const since = Date.now();
    const created = await second.call('create_server', { name: 'port-b', capabilities: ['echo'] });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    // START is held by the squatter, which only a failed start reveals; START + 1 is published by the first forge.
    expect(created.server.port).to.equal(START + 2);
    // The only failed start is the squatter's port; START + 1 was never tried.
    expect(secondLog.portRetries().map((l) => l.port), 'port_in_use retries').to.deep.equal([START]);
    expect(await attempts(second, since), 'Docker events of its children').to.deep.equal({ create: 2, start: 1, die: 0, destroy: 1 });
  });
});
