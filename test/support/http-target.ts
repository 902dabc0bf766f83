import { docker } from './docker-leaks.js';
import { RUN_ID, TEST_LABEL } from './test-env.js';

/** The test network a forge started with `children.network` set to it creates (with the test label). */
export const TEST_NETWORK = `mcp-forge-test-net-${RUN_ID}`;

/**
 * A tiny HTTP server the http_request tests send to: a container from the child base image on
 * the test network, reached by its name, so no test ever leaves this machine.
 * /hello echoes method and body, /json answers JSON, /big 4 KiB, /slow never answers,
 * /redirect answers 302 (/redirect-private to the target's own name), /hits counts every other request it has seen.
 */
const SERVER = `
const http = require('node:http');
let hits = 0;
http.createServer((req, res) => {
  if (req.url !== '/hits') hits++;
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    if (req.url === '/hits') return res.end(String(hits));
    if (req.url === '/slow') return;
    if (req.url === '/json') { res.setHeader('content-type', 'application/json'); return res.end(JSON.stringify({ ok: true })); }
    if (req.url === '/big') return res.end('x'.repeat(4096));
    if (req.url === '/redirect') { res.writeHead(302, { location: '/hello' }); return res.end(); }
    if (req.url === '/redirect-private') { res.writeHead(302, { location: 'http://' + process.env.TARGET_NAME + ':8080/hello' }); return res.end(); }
    res.setHeader('content-type', 'text/plain');
    res.end('hello ' + req.method + (body ? ' ' + body : ''));
  });
}).listen(8080);
`;

export interface HttpTarget {
  network: string;
  name: string;
  /** Its address on the network: a host that is NOT on any allow-list. */
  ip: string;
  remove(): Promise<void>;
}

/** Starts the server on `network` (which must exist); `remove` removes it and the network. */
export async function startHttpTarget(image: string, network: string): Promise<HttpTarget> {
  const labels = { [TEST_LABEL]: RUN_ID };
  const name = `mcp-forge-test-target-${RUN_ID}`;
  const container = await docker.createContainer({
    name,
    Image: image,
    Cmd: ['node', '-e', SERVER],
    Env: [`TARGET_NAME=${name}`],
    Labels: labels,
    HostConfig: { NetworkMode: network },
  });
  await container.start();
  const info = await container.inspect();
  return {
    network,
    name,
    ip: info.NetworkSettings.Networks[network]!.IPAddress,
    async remove() {
      await container.remove({ force: true });
      await docker.getNetwork(network).remove();
    },
  };
}
