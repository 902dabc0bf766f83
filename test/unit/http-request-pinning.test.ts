import { expect } from 'chai';
import dns from 'node:dns';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { builtinTemplatesDir } from '../../src/config/paths.js';

type Handler = (args: Record<string, unknown>, ctx: { settings: Record<string, unknown> }) => Promise<{ structuredContent: any }>;

/** A server on one loopback address that records whether it was reached. */
async function listen(host: string, port = 0): Promise<{ server: http.Server; port: number; hits: () => number }> {
  let hits = 0;
  const server = http.createServer((_req, res) => (hits++, res.end(host)));
  await new Promise<void>((resolve) => server.listen(port, host, resolve));
  return { server, port: (server.address() as AddressInfo).port, hits: () => hits };
}

describe('http_request connects to the address it checked (DNS rebinding)', () => {
  let dir: string;
  let handler: Handler;
  const original = { lookup: dns.lookup, promises: dns.promises.lookup };

  before(async () => {
    // The handler template has no template variables: loaded as the child loads its module.
    dir = await mkdtemp(path.join(os.tmpdir(), 'mcp-forge-http-'));
    await copyFile(path.join(builtinTemplatesDir, 'capabilities', 'http_request', 'handlers.js.njk'), path.join(dir, 'handlers.mjs'));
    handler = ((await import(path.join(dir, 'handlers.mjs'))) as { http_request: Handler }).http_request;
  });
  afterEach(() => {
    dns.lookup = original.lookup;
    dns.promises.lookup = original.promises;
  });
  after(() => rm(dir, { recursive: true, force: true }));

  it('a second, different DNS answer is never used: the connection goes to the checked address', async () => {
    const checked = await listen('127.0.0.2');
    const rebound = await listen('127.0.0.1', checked.port).catch(() => listen('127.0.0.1'));
    try {
      let asked = 0;
      // The first answer is the allowed one; every later one (a rebinding DNS) points elsewhere.
      const answer = () => (asked++ === 0 ? '127.0.0.2' : '127.0.0.1');
      dns.promises.lookup = (async () => [{ address: answer(), family: 4 }]) as unknown as typeof dns.promises.lookup;
      dns.lookup = ((_host: string, options: any, done?: any) => {
        const cb = typeof options === 'function' ? options : done;
        const address = answer();
        return options?.all ? cb(null, [{ address, family: 4 }]) : cb(null, address, 4);
      }) as typeof dns.lookup;
      const settings = { allowed_hosts: [`rebind.test:${checked.port}`, `127.0.0.2:${checked.port}`], timeout_ms: 2000 };
      const r = await handler({ url: `http://rebind.test:${checked.port}/` }, { settings });
      expect(r.structuredContent).to.include({ status: 200, body: '127.0.0.2' });
      expect(checked.hits()).to.equal(1);
      expect(rebound.hits()).to.equal(0);
      expect(asked).to.equal(1);
    } finally {
      checked.server.close();
      rebound.server.close();
    }
  });

  it('a name resolving to an address the allow-list does not name literally is refused before connecting', async () => {
    const target = await listen('127.0.0.1');
    try {
      dns.promises.lookup = (async () => [{ address: '127.0.0.1', family: 4 }]) as unknown as typeof dns.promises.lookup;
      dns.lookup = ((_h: string, o: any, d?: any) => ((typeof o === 'function' ? o : d)(null, o?.all ? [{ address: '127.0.0.1', family: 4 }] : '127.0.0.1', 4))) as typeof dns.lookup;
      const settings = { allowed_hosts: [`evil.test:${target.port}`] };
      const err = await handler({ url: `http://evil.test:${target.port}/` }, { settings }).then(() => null, (e: Error) => e);
      expect(err?.message).to.match(/evil\.test resolves to 127\.0\.0\.1, a loopback address; refused/);
      expect(target.hits()).to.equal(0);
    } finally {
      target.server.close();
    }
  });
});
