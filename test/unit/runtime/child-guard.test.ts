import { expect } from 'chai';
import { createHash } from 'node:crypto';
import { networkInterfaces } from 'node:os';
// The child runtime's own module: plain JS in the child base image, typed by its JSDoc (// @ts-check), no declarations.
// @ts-expect-error -- no .d.ts shipped for the child runtime
import { createGuard } from '../../../images/child-base/runtime/guard.js';

const req = (headers: Record<string, string>) => ({ headers }) as any;
const digest = (token: string) => createHash('sha256').update(token).digest('hex');

describe('child runtime guard (Host, Origin, tokens)', () => {
  const guard = createGuard({ FORGE_ALLOWED_HOSTS: JSON.stringify(['127.0.0.1:9005', 'localhost:9005', 'mcp-forge-one:8080', 'kids.test', '[fd00::5]:9005']) }, 8080);

  it('accepts its own addresses in any letter case, and loopback on the container port', () => {
    for (const host of ['127.0.0.1:9005', 'LOCALHOST:9005', 'mcp-forge-one:8080', 'kids.test', 'kids.test:1234', 'kids.test.:9005', '[fd00::5]:9005', '127.0.0.1:8080', '[::1]:8080']) {
      expect(guard.checkOrigin(req({ host })), host).to.equal(null);
    }
  });

  it('refuses other hosts, other ports, lookalikes and a missing Host', () => {
    for (const host of ['evil.example', '127.0.0.1:9006', '127.0.0.1', 'mcp-forge-one:9005', 'kids.test.evil.example', 'evil-kids.test', '[fd00::5]:9006', '']) {
      expect(guard.checkOrigin(req({ host })), host).to.deep.include({ status: 403 });
    }
    expect(guard.checkOrigin(req({}))).to.deep.include({ status: 403 });
  });

  it("accepts its own IP addresses on the container port (a forge on the host reaches it there), not on others", () => {
    const own = Object.values(networkInterfaces()).flat().filter((a) => a && a.family === 'IPv4').map((a) => a!.address);
    expect(own).to.include('127.0.0.1');
    for (const ip of own) {
      expect(guard.checkOrigin(req({ host: `${ip}:8080` })), ip).to.equal(null);
      expect(guard.checkOrigin(req({ host: `${ip}:8081` })), ip).to.deep.include({ status: 403 });
    }
    expect(guard.checkOrigin(req({ host: '203.0.113.7:8080' }))).to.deep.include({ status: 403 });
  });

  it('accepts an Origin naming an allowed host over http(s) only', () => {
    const host = '127.0.0.1:9005';
    expect(guard.checkOrigin(req({ host, origin: 'http://localhost:9005' }))).to.equal(null);
    expect(guard.checkOrigin(req({ host, origin: 'https://kids.test' }))).to.equal(null);
    for (const origin of ['http://evil.example', 'null', 'file://', 'chrome-extension://kids.test', 'http://localhost:9006', 'not a url']) {
      expect(guard.checkOrigin(req({ host, origin })), origin).to.deep.include({ status: 403, message: 'Forbidden: Origin not allowed' });
    }
  });

  it('accepts a bearer token only by its digest', () => {
    const tokened = createGuard({ FORGE_ALLOWED_HOSTS: '[]', FORGE_TOKEN_HASHES: `${digest('one')},${digest('two')}`, FORGE_REQUIRE_TOKEN: '1' }, 8080);
    expect(tokened.requireToken).to.equal(true);
    expect(tokened.hasValidToken(req({ authorization: 'Bearer one' }))).to.equal(true);
    expect(tokened.hasValidToken(req({ authorization: 'bearer two ' }))).to.equal(true);
    for (const authorization of ['Bearer three', 'Basic b25lOm9uZQ==', 'one', '']) expect(tokened.hasValidToken(req({ authorization }))).to.equal(false);
    expect(guard.hasValidToken(req({ authorization: 'Bearer one' }))).to.equal(false);
  });

  it('fails closed: a required token without hashes, or a broken host list, stops the child', () => {
    expect(() => createGuard({ FORGE_REQUIRE_TOKEN: '1' }, 8080)).to.throw(/refusing to start unprotected/);
    expect(() => createGuard({ FORGE_ALLOWED_HOSTS: '{' }, 8080)).to.throw(/not a JSON list/);
  });
});
