import { expect } from 'chai';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { connect, startForge, type ForgeHandle } from '../support/forge-fixture.js';
import { startHttpTarget, TEST_NETWORK, type HttpTarget } from '../support/http-target.js';
import { until } from '../support/poll.js';
import { attempt } from '../support/tool-call.js';

describe('handler http_request against a real child and a server on a test network', function () {
  let target: HttpTarget;
  let h: ForgeHandle;
  let child: Client;
  let allowed: string;
  const hits = async () => Number((await attempt(child, 'http_request', { url: `${allowed}/hits` })).data.body);

  before(async function () {
    // The forge creates the network (children join it) and makes sure the child base image exists.
    h = await startForge({ children: { network: TEST_NETWORK } });
    target = await startHttpTarget(h.config.images.child_base, TEST_NETWORK);
    // The target has a private address (a Docker network): only an allow-list entry naming that IP literally reaches it.
    allowed = `http://${target.ip}:8080`;
    const created = await h.call('create_server', {
      name: 'http-1',
      capabilities: ['echo'],
      handlers: ['http_request'],
      options: { http_request: { allowed_hosts: [`${target.ip}:8080`], timeout_ms: 1000, max_response_bytes: 1024 } },
    });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    child = await connect(`http://127.0.0.1:${created.server.port}`);
    await until('the target server to answer', async () => ((await attempt(child, 'http_request', { url: `${allowed}/hits` })).isError ? undefined : true));
  });
  after(async () => {
    await child?.close();
    await h?.stop();
    await target?.remove();
  });

  it('sends GET and POST to an allowed host and returns status, headers and body', async () => {
    const get = await attempt(child, 'http_request', { url: `${allowed}/hello` });
    expect(get.data).to.include({ status: 200, method: 'GET', body: 'hello GET', encoding: 'utf8' });
    expect(get.data.headers['content-type']).to.equal('text/plain');
    const post = await attempt(child, 'http_request', { url: `${allowed}/hello`, method: 'POST', body: 'payload', headers: { 'content-type': 'text/plain' } });
    expect(post.data).to.include({ status: 200, body: 'hello POST payload' });
    expect(JSON.parse((await attempt(child, 'http_request', { url: `${allowed}/json` })).data.body)).to.deep.equal({ ok: true });
    const redirect = await attempt(child, 'http_request', { url: `${allowed}/redirect` });
    expect(redirect.data).to.include({ status: 302 });
    expect(redirect.data.headers.location).to.equal('/hello');
  });

  it('refuses hosts, ports and schemes off the allow-list before any connection', async () => {
    const before = await hits();
    const refusals: Array<[Record<string, unknown>, RegExp]> = [
      [{ url: `http://${target.name}:8080/hello` }, new RegExp(`host ${target.name}:8080 is not on this server's allow-list`)],
      [{ url: `http://${target.ip}:9999/hello` }, /is not on this server's allow-list/],
      [{ url: `http://${target.ip}/hello` }, /is not on this server's allow-list/],
      [{ url: 'file:///etc/passwd' }, /scheme file: is not allowed/],
      [{ url: `http://user:pw@${target.ip}:8080/hello` }, /credentials in the URL are not allowed/],
      [{ url: 'not a url' }, /not a valid URL/],
      [{ url: `${allowed}/hello`, body: 'x' }, /a body is only sent with POST/],
    ];
    for (const [args, message] of refusals) {
      const r = await attempt(child, 'http_request', args);
      expect(r.isError, JSON.stringify(args)).to.equal(true);
      expect(r.text).to.match(message);
    }
    const put = await attempt(child, 'http_request', { url: `${allowed}/hello`, method: 'PUT' });
    expect(put.isError).to.equal(true);
    expect(put.text).to.match(/invalid arguments for http_request: \/method must be equal to one of the allowed values/);
    expect(await hits()).to.equal(before);
  });

  it('enforces the timeout and the response size cap', async () => {
    const slow = await attempt(child, 'http_request', { url: `${allowed}/slow` });
    expect(slow.isError).to.equal(true);
    expect(slow.text).to.contain('timed out after 1000 ms');
    const big = await attempt(child, 'http_request', { url: `${allowed}/big` });
    expect(big.isError).to.equal(true);
    expect(big.text).to.contain("response body exceeds this server's cap of 1024 bytes");
  });

  it('requires an allow-list at creation', async () => {
    const missing = await h.call('create_server', { handlers: ['http_request'] });
    expect(missing.error.message).to.match(/handler "http_request" needs options.http_request, e.g./);
    const empty = await h.call('create_server', { handlers: ['http_request'], options: { http_request: { allowed_hosts: [] } } });
    expect(empty.error.message).to.match(/invalid option: options.http_request.allowed_hosts must NOT have fewer than 1 items/);
    const bad = await h.call('create_server', { handlers: ['http_request'], options: { http_request: { allowed_hosts: ['http://x.org/'] } } });
    expect(bad.error.message).to.match(/options.http_request.allowed_hosts.0 must match pattern/);
  });

  it('trusts no DNS answer: names resolving to loopback or private addresses are refused, ports need naming', async () => {
    const created = await h.call('create_server', {
      name: 'http-dns',
      handlers: ['http_request'],
      // By name only: the private address behind it is not named; the IP without a port allows 80 and 443 only.
      options: { http_request: { allowed_hosts: [`${target.name}:8080`, 'localhost:8080', 'localhost', target.ip], timeout_ms: 1000 } },
    });
    expect(created.status, JSON.stringify(created)).to.equal('success');
    const other = await connect(`http://127.0.0.1:${created.server.port}`);
    try {
      const before = await hits();
      const refusals: Array<[string, RegExp]> = [
        [`http://${target.name}:8080/hello`, new RegExp(`${target.name} resolves to ${target.ip.replaceAll('.', '\\.')}, a private address; refused`)],
        // The child's own MCP port listens on its loopback: a name for 127.0.0.1 must not reach it.
        ['http://localhost:8080/mcp', /localhost resolves to (127\.0\.0\.1|::1), a loopback address; refused/],
        ['http://localhost/', /localhost resolves to (127\.0\.0\.1|::1), a loopback address; refused/],
        [`http://${target.ip}:8080/hello`, /is not on this server's allow-list/],
      ];
      for (const [url, message] of refusals) {
        const r = await attempt(other, 'http_request', { url });
        expect(r.isError, url).to.equal(true);
        expect(r.text, url).to.match(message);
      }
      expect(await hits()).to.equal(before);
    } finally {
      await other.close();
      await h.call('delete_server', { server_id: 'http-dns' });
    }
  });

  it('returns a redirect to a private address without following it', async () => {
    const before = await hits();
    const r = await attempt(child, 'http_request', { url: `${allowed}/redirect-private` });
    expect(r.data).to.include({ status: 302, body: '' });
    expect(r.data.headers.location).to.equal(`http://${target.name}:8080/hello`);
    // Only the redirecting request itself reached the target.
    expect(await hits()).to.equal(before + 1);
  });
});
